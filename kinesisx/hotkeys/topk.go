package hotkeys

import "sort"

// KeyCount is one partition key of a top-k list. Count may overestimate
// the key's true weight by at most Error (Space-Saving's guarantee), so the
// true weight lies in [Count-Error, Count].
type KeyCount struct {
	Key   string
	Count int64
	Error int64
}

// Guaranteed is the weight the key is known to have carried at least.
func (k KeyCount) Guaranteed() int64 { return k.Count - k.Error }

// topK is the weighted Space-Saving summary (Metwally et al., 2005) with k
// counters kept in a min-heap, so an update costs O(log k). When a key
// that is not counted arrives and the table is full, the smallest counter
// is given to it: its count becomes min+w and its error min. Guarantees,
// for N the total weight added: every count overestimates by at most
// min ≤ N/k, and every key whose true weight exceeds N/k is in the table.
type topK struct {
	k     int
	heap  []KeyCount     // min-heap on Count
	index map[string]int // key -> position in heap
	total int64
}

func newTopK(k int) *topK {
	return &topK{k: k, index: make(map[string]int, k)}
}

// add counts w more for key.
func (t *topK) add(key string, w int64) {
	t.total += w
	if i, ok := t.index[key]; ok {
		t.heap[i].Count += w
		t.down(i)
		return
	}
	if len(t.heap) < t.k {
		t.heap = append(t.heap, KeyCount{Key: key, Count: w})
		t.index[key] = len(t.heap) - 1
		t.up(len(t.heap) - 1)
		return
	}
	min := t.heap[0]
	delete(t.index, min.Key)
	t.heap[0] = KeyCount{Key: key, Count: min.Count + w, Error: min.Count}
	t.index[key] = 0
	t.down(0)
}

// top returns the n heaviest counters, heaviest first (ties by key).
func (t *topK) top(n int) []KeyCount {
	out := append([]KeyCount(nil), t.heap...)
	sort.Slice(out, func(i, j int) bool {
		if out[i].Count != out[j].Count {
			return out[i].Count > out[j].Count
		}
		return out[i].Key < out[j].Key
	})
	if n >= 0 && len(out) > n {
		out = out[:n]
	}
	return out
}

// maxGuaranteed is the largest guaranteed weight of any counted key.
func (t *topK) maxGuaranteed() int64 {
	var m int64
	for _, c := range t.heap {
		m = max(m, c.Guaranteed())
	}
	return m
}

func (t *topK) less(i, j int) bool { return t.heap[i].Count < t.heap[j].Count }

func (t *topK) swap(i, j int) {
	t.heap[i], t.heap[j] = t.heap[j], t.heap[i]
	t.index[t.heap[i].Key] = i
	t.index[t.heap[j].Key] = j
}

func (t *topK) up(i int) {
	for i > 0 {
		p := (i - 1) / 2
		if !t.less(i, p) {
			return
		}
		t.swap(i, p)
		i = p
	}
}

func (t *topK) down(i int) {
	n := len(t.heap)
	for {
		l, r, m := 2*i+1, 2*i+2, i
		if l < n && t.less(l, m) {
			m = l
		}
		if r < n && t.less(r, m) {
			m = r
		}
		if m == i {
			return
		}
		t.swap(i, m)
		i = m
	}
}
