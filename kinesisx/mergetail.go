package kinesisx

import (
	"container/heap"
	"context"
	"math"
	"time"
)

// DefaultWatermark is how far back in arrival time a merged tail may go:
// a caught-up polling shard is read every second (IdlePollInterval), so a
// watermark of that much delivers an idle stream's records as soon as they
// are read, and still keeps a shard whose read comes late within a second.
const DefaultWatermark = time.Second

// DefaultMergeHeld is how many records a merged tail holds at most while
// it waits for a shard that lags; past it the oldest go out anyway (and
// the order may go back further than the watermark).
const DefaultMergeHeld = 100_000

// merger orders the records of a tail's shards by arrival time. Each shard
// has a low watermark, the promise that none of its records still to come
// arrived before it: the time of the read that answered for the shard
// less how far behind the tip that answer was (a caught-up shard promises
// the time of its last read). A held record goes out once the lowest
// promise of the shards being read, plus the slack, has passed it.
//
// A record sorts by its key: its arrival time, raised to its shard's
// previous key (so that a shard's own order is never broken) and, for a
// shard's first record, to its parents' last keys (so that a child never
// comes before its parents). Equal keys go out in the order they came in,
// and a child's records come in after its parents' (the tail starts a
// child once its parents are drained). It is owned by the tail's loop.
type merger struct {
	slack   int64 // nanoseconds
	maxHeld int
	shards  map[string]*mergeShard
	ready   shardHeap // shards with held records, by their first record's key
	held    int
	seq     uint64
	// forced counts records sent out past the cap before their time.
	forced int
}

// mergeShard is one shard's place in the merge.
type mergeShard struct {
	id      string
	parents []string
	state   int   // shardPending, shardRunning or shardDone, as in the loop
	low     int64 // its promise (UnixNano); math.MinInt64 until it has one
	floor   int64 // the key of its last record; math.MinInt64 before any
	q       []heldRecord
	head    int // q[head:] are held
	idx     int // in ready, or -1
}

type heldRecord struct {
	key int64
	seq uint64
	r   Record
}

func newMerger(watermark time.Duration, maxHeld int) *merger {
	if watermark == 0 {
		watermark = DefaultWatermark
	}
	if maxHeld <= 0 {
		maxHeld = DefaultMergeHeld
	}
	return &merger{slack: max(int64(watermark), 0), maxHeld: maxHeld, shards: map[string]*mergeShard{}}
}

// open registers a shard with its parents (once). It is read once every
// parent the merge knows of has ended.
func (m *merger) open(id string, parents []string) {
	if _, ok := m.shards[id]; ok {
		return
	}
	s := &mergeShard{id: id, parents: parents, low: math.MinInt64, floor: math.MinInt64, idx: -1}
	m.shards[id] = s
	m.activate(s)
}

// activate starts a pending shard whose parents have all ended. Its keys
// start at their last keys, which is also all it promises until its first
// read answers (its records arrived after its parents closed, but
// arrival times are approximate: a promise of the keys holds regardless).
func (m *merger) activate(s *mergeShard) {
	if s.state != shardPending {
		return
	}
	for _, p := range s.parents {
		if ps, ok := m.shards[p]; ok && ps.state != shardDone {
			return
		}
	}
	for _, p := range s.parents {
		if ps, ok := m.shards[p]; ok {
			s.floor = max(s.floor, ps.floor)
		}
	}
	s.low = max(s.low, s.floor)
	s.state = shardRunning
}

// push holds a shard's records (in its sequence order) and raises its
// promise to low (zero: no news of it).
func (m *merger) push(id string, recs []Record, low time.Time) {
	s := m.shards[id]
	if s == nil {
		m.open(id, nil)
		s = m.shards[id]
	}
	if !low.IsZero() {
		s.low = max(s.low, low.UnixNano())
	}
	if len(recs) == 0 {
		return
	}
	for _, r := range recs {
		s.floor = max(s.floor, r.ArrivedAt.UnixNano())
		s.q = append(s.q, heldRecord{key: s.floor, seq: m.seq, r: r})
		m.seq++
	}
	m.held += len(recs)
	if s.idx < 0 {
		heap.Push(&m.ready, s)
	}
}

// end marks a shard read to its end and starts its children that were
// waiting for it.
func (m *merger) end(id string) {
	s := m.shards[id]
	if s == nil || s.state == shardDone {
		return
	}
	s.state = shardDone
	for _, c := range m.shards {
		if c.state == shardPending {
			m.activate(c)
		}
	}
}

// low returns the lowest promise of the shards being read, MaxInt64 when
// none is.
func (m *merger) low() int64 {
	low := int64(math.MaxInt64)
	for _, s := range m.shards {
		if s.state == shardRunning {
			low = min(low, s.low)
		}
	}
	return low
}

// release appends to dst, in key order, the held records whose time has
// come, and with all every held record (the tail is ending).
func (m *merger) release(dst []Record, all bool) []Record {
	if m.held == 0 {
		return dst
	}
	limit := m.low()
	if limit != math.MaxInt64 && limit != math.MinInt64 {
		limit = satAdd(limit, m.slack)
	}
	for len(m.ready) > 0 {
		s := m.ready[0]
		h := &s.q[s.head]
		due := all || limit == math.MaxInt64 || (limit != math.MinInt64 && h.key <= limit)
		if !due {
			if m.held <= m.maxHeld {
				break
			}
			m.forced++
		}
		dst = append(dst, h.r)
		*h = heldRecord{} // let the payload go
		s.head++
		m.held--
		if s.head == len(s.q) {
			s.q, s.head = s.q[:0], 0
			heap.Pop(&m.ready)
		} else {
			if s.head > 1024 && s.head*2 > len(s.q) {
				s.q = append(s.q[:0], s.q[s.head:]...)
				s.head = 0
			}
			heap.Fix(&m.ready, 0)
		}
	}
	return dst
}

// satAdd adds without passing MaxInt64.
func satAdd(a, b int64) int64 {
	if a > math.MaxInt64-b {
		return math.MaxInt64
	}
	return a + b
}

// shardHeap orders shards by the key of their first held record, then by
// the order records came in.
type shardHeap []*mergeShard

func (h shardHeap) Len() int { return len(h) }
func (h shardHeap) Less(i, j int) bool {
	a, b := &h[i].q[h[i].head], &h[j].q[h[j].head]
	if a.key != b.key {
		return a.key < b.key
	}
	return a.seq < b.seq
}
func (h shardHeap) Swap(i, j int) {
	h[i], h[j] = h[j], h[i]
	h[i].idx, h[j].idx = i, j
}
func (h *shardHeap) Push(x any) {
	s := x.(*mergeShard)
	s.idx = len(*h)
	*h = append(*h, s)
}
func (h *shardHeap) Pop() any {
	old := *h
	s := old[len(old)-1]
	old[len(old)-1] = nil
	*h = old[:len(old)-1]
	s.idx = -1
	return s
}

// hold gives a reader event to the merge: its records, and the shard's
// promise, the time of the read that answered (EFO: when the reader got
// the event) less how far behind the tip it was. An end promises nothing of the
// shard's children: they inherit the promise the shard had before.
func (l *tailLoop) hold(ev shardEvent) {
	var low time.Time
	if !ev.ended {
		switch n := len(ev.calls); {
		case n > 0:
			low = ev.calls[n-1].at
		case !ev.got.IsZero():
			low = ev.got
		default:
			low = l.c.now()
		}
		low = low.Add(-time.Duration(ev.behind) * time.Millisecond)
	}
	l.merge.push(ev.shardID, ev.records, low)
	if ev.ended {
		l.merge.end(ev.shardID)
	}
}

// flushAll sends what the merge holds with the last batch: the tail ends.
func (l *tailLoop) flushAll(ctx context.Context) {
	if l.merge != nil {
		l.batch.Records = l.merge.release(l.batch.Records, true)
	}
	l.flush(ctx)
}
