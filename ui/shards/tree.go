package shards

import "github.com/kinspect/kinspect/kinesisx"

// treeRow is one line of the lineage tree: a shard and the drawing before
// its ID.
type treeRow struct {
	idx    int
	prefix string
}

// buildTree orders shards depth-first from the roots (shards with no
// listed parent), children under their parent in the input order. A merged
// shard, child of two parents, is drawn under the first one listed.
func buildTree(shards []kinesisx.Shard) []treeRow {
	index := make(map[string]int, len(shards))
	for i, s := range shards {
		index[s.ID] = i
	}
	children := make(map[int][]int)
	var roots []int
	for i, s := range shards {
		parent := -1
		for _, p := range s.Parents() {
			if j, ok := index[p]; ok {
				parent = j
				break
			}
		}
		if parent < 0 {
			roots = append(roots, i)
			continue
		}
		children[parent] = append(children[parent], i)
	}
	rows := make([]treeRow, 0, len(shards))
	seen := make([]bool, len(shards))
	var walk func(i int, indent string, last, root bool)
	walk = func(i int, indent string, last, root bool) {
		if seen[i] {
			return
		}
		seen[i] = true
		prefix, next := "", ""
		if !root {
			if last {
				prefix, next = indent+"└─", indent+"  "
			} else {
				prefix, next = indent+"├─", indent+"│ "
			}
		}
		rows = append(rows, treeRow{idx: i, prefix: prefix})
		kids := children[i]
		for n, c := range kids {
			walk(c, next, n == len(kids)-1, false)
		}
	}
	for _, r := range roots {
		walk(r, "", true, true)
	}
	// A cycle (impossible in Kinesis, possible in bad input) leaves shards
	// unvisited: list them as roots so that every shard is shown once.
	for i := range shards {
		if !seen[i] {
			walk(i, "", true, true)
		}
	}
	return rows
}
