package kinesisx

// Lineage is the parent/child graph of a stream's shards.
type Lineage struct {
	byID     map[string]Shard
	children map[string][]string
	roots    []string
}

// NewLineage builds the graph. A shard whose parents have expired out of
// retention (or were never listed) is a root.
func NewLineage(shards []Shard) Lineage {
	l := Lineage{byID: make(map[string]Shard, len(shards)), children: map[string][]string{}}
	for _, s := range shards {
		l.byID[s.ID] = s
	}
	sorted := append([]Shard(nil), shards...)
	SortShards(sorted)
	for _, s := range sorted {
		known := false
		for _, p := range s.Parents() {
			if _, ok := l.byID[p]; ok {
				l.children[p] = appendUnique(l.children[p], s.ID)
				known = true
			}
		}
		if !known {
			l.roots = append(l.roots, s.ID)
		}
	}
	return l
}

// Roots returns the shards with no listed parent, by hash range.
func (l Lineage) Roots() []string { return l.roots }

// Children returns the IDs of a shard's children.
func (l Lineage) Children(id string) []string { return l.children[id] }

// Shard returns a shard by ID.
func (l Lineage) Shard(id string) (Shard, bool) {
	s, ok := l.byID[id]
	return s, ok
}

// Walk visits every shard depth-first from the roots, with its depth. A
// merged child, reachable from two parents, is visited under the first.
func (l Lineage) Walk(visit func(s Shard, depth int)) {
	seen := map[string]bool{}
	var walk func(id string, depth int)
	walk = func(id string, depth int) {
		if seen[id] {
			return
		}
		seen[id] = true
		visit(l.byID[id], depth)
		for _, c := range l.children[id] {
			walk(c, depth+1)
		}
	}
	for _, r := range l.roots {
		walk(r, 0)
	}
}

// AdjacentOpen returns the IDs of the open shards whose hash ranges touch
// the given shard's, so that they can be merged with it.
func AdjacentOpen(shards []Shard, id string) []string {
	target, ok := FindShard(shards, id)
	if !ok {
		return nil
	}
	var out []string
	for _, s := range shards {
		if !s.Open || s.ID == id {
			continue
		}
		if s.HashRange.End.Inc() == target.HashRange.Start || target.HashRange.End.Inc() == s.HashRange.Start {
			out = append(out, s.ID)
		}
	}
	return out
}

func appendUnique(list []string, v string) []string {
	for _, x := range list {
		if x == v {
			return list
		}
	}
	return append(list, v)
}
