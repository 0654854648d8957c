package kinesisx

import (
	"fmt"
	"math"
	"slices"
	"testing"
	"time"

	"pgregory.net/rapid"
)

// The merge's property tests use rapid (already a test dependency of the
// module): it draws lineages, records and read interleavings, and shrinks a
// failure to the smallest case, which testing/quick does not.

var t0 = time.Date(2026, 12, 5, 10, 0, 0, 0, time.UTC)

// modelShard is one shard of a drawn stream: its records' arrival times in
// sequence order, when it opened and (for a parent) when it closed.
type modelShard struct {
	id       string
	parents  []string
	children []string
	start    time.Duration
	close    time.Duration // 0: open
	arrivals []time.Duration
	next     int // the first record not read yet
	ended    bool
	reading  bool
	opened   bool
	// held are the parents it waited for: as the tail's loop does, a
	// child waits only for the parents the tail reads.
	held []string
}

// drawStream draws up to 4 shards and up to 3 reshards (splits and
// merges) over 10 s, with up to 20 records a shard. jitter lets arrival
// times within a shard go back by up to 300 ms, a child's even before its
// parents closed (Kinesis's are approximate).
func drawStream(t *rapid.T, jitter bool) []*modelShard {
	var all, live []*modelShard
	n := rapid.IntRange(1, 4).Draw(t, "shards")
	for i := range n {
		s := &modelShard{id: fmt.Sprintf("s%d", i)}
		all, live = append(all, s), append(live, s)
	}
	at := time.Duration(0)
	for range rapid.IntRange(0, 3).Draw(t, "reshards") {
		at += time.Duration(rapid.IntRange(1, 3000).Draw(t, "gap")) * time.Millisecond
		if at >= 9*time.Second {
			break
		}
		var parents []*modelShard
		kids := 2
		i := rapid.IntRange(0, len(live)-1).Draw(t, "parent")
		parents = append(parents, live[i])
		if len(live) > 1 && rapid.Bool().Draw(t, "merge") {
			parents = append(parents, live[(i+1)%len(live)])
			kids = 1
		}
		live = slices.DeleteFunc(live, func(s *modelShard) bool { return slices.Contains(parents, s) })
		for range kids {
			c := &modelShard{id: fmt.Sprintf("s%d", len(all)), start: at}
			for _, p := range parents {
				p.close = at
				p.children = append(p.children, c.id)
				c.parents = append(c.parents, p.id)
			}
			all, live = append(all, c), append(live, c)
		}
	}
	for _, s := range all {
		end := s.close
		if end == 0 {
			end = 10 * time.Second
		}
		k := rapid.IntRange(0, 20).Draw(t, "records")
		for range k {
			a := time.Duration(rapid.Int64Range(int64(s.start), int64(end)-1).Draw(t, "arrival"))
			s.arrivals = append(s.arrivals, a)
		}
		slices.Sort(s.arrivals)
		if jitter {
			for i := range s.arrivals {
				d := time.Duration(rapid.IntRange(0, 300).Draw(t, "jitter")) * time.Millisecond
				s.arrivals[i] = max(s.arrivals[i]-d, 0)
			}
		}
	}
	return all
}

// TestMergeProperties drives the merge as the tail's loop does, with reads
// of random shards at random times, each returning some of what has
// arrived, and checks what comes out: each record once, each shard's in
// sequence order, parents' before children's, never back in time by more
// than the watermark (with jitter: than the watermark plus how far the
// record's own shard went back), and nothing held once every shard has
// been read up to the end.
func TestMergeProperties(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		jitter := rapid.Bool().Draw(t, "jitter")
		slack := time.Duration(rapid.IntRange(0, 2000).Draw(t, "watermarkMs")) * time.Millisecond
		preopen := rapid.Bool().Draw(t, "preopen") // a tail from the trim horizon knows the children at once
		shards := drawStream(t, jitter)
		byID := map[string]*modelShard{}
		for _, s := range shards {
			byID[s.id] = s
		}
		m := newMerger(slack, math.MaxInt32)
		if slack == 0 {
			m = newMerger(-1, math.MaxInt32)
		}
		for _, s := range shards {
			if len(s.parents) == 0 || preopen {
				m.open(s.id, s.parents)
				s.opened = true
			}
		}
		for _, s := range shards {
			startIfReady(s, byID)
		}
		var out []Record
		now := time.Duration(0)
		for {
			var reading []*modelShard
			for _, s := range shards {
				if s.reading && !s.ended {
					reading = append(reading, s)
				}
			}
			if len(reading) == 0 {
				break
			}
			now += time.Duration(rapid.IntRange(0, 400).Draw(t, "step")) * time.Millisecond
			s := reading[rapid.IntRange(0, len(reading)-1).Draw(t, "read")]
			readShard(t, m, s, now, byID)
			out = m.release(out, false)
			if now > 12*time.Second {
				break
			}
		}
		// Read every open shard to its tip at one time: nothing may stay held.
		now += 10 * time.Second
		for _, s := range shards {
			if s.reading && !s.ended {
				m.push(s.id, recordsOf(s, s.next, len(s.arrivals)), t0.Add(now))
				s.next = len(s.arrivals)
			}
		}
		out = m.release(out, false)
		if m.held != 0 {
			t.Fatalf("%d records still held after every shard was read to its tip", m.held)
		}
		out = m.release(out, true)
		checkMerged(t, shards, out, slack)
	})
}

// readShard is one read of a shard at now: some of the records that have
// arrived, with the promise a read gives (now when caught up, else the
// first record left), or the shard's end.
func readShard(t *rapid.T, m *merger, s *modelShard, now time.Duration, byID map[string]*modelShard) {
	avail := s.next
	for avail < len(s.arrivals) && s.arrivals[avail] <= now {
		avail++
	}
	take := avail
	if avail > s.next {
		take = s.next + rapid.IntRange(0, avail-s.next).Draw(t, "take")
	}
	recs := recordsOf(s, s.next, take)
	s.next = take
	if s.close != 0 && now >= s.close && s.next == len(s.arrivals) {
		m.push(s.id, recs, time.Time{})
		m.end(s.id)
		s.ended = true
		for _, c := range s.children {
			m.open(c, byID[c].parents)
			byID[c].opened = true
		}
		for _, c := range byID {
			startIfReady(c, byID)
		}
		return
	}
	low := now
	for _, a := range s.arrivals[s.next:] {
		low = min(low, a)
	}
	m.push(s.id, recs, t0.Add(low))
}

// startIfReady starts reading an opened shard once each of its parents
// that is opened has ended.
func startIfReady(s *modelShard, byID map[string]*modelShard) {
	if !s.opened || s.reading {
		return
	}
	s.held = nil
	for _, p := range s.parents {
		if byID[p].opened {
			if !byID[p].ended {
				return
			}
			s.held = append(s.held, p)
		}
	}
	s.reading = true
}

func recordsOf(s *modelShard, from, to int) []Record {
	var out []Record
	for i := from; i < to; i++ {
		out = append(out, Record{ShardID: s.id, SequenceNumber: fmt.Sprintf("%04d", i), ArrivedAt: t0.Add(s.arrivals[i])})
	}
	return out
}

// checkMerged checks the merge's promises on what came out.
func checkMerged(t *rapid.T, shards []*modelShard, out []Record, slack time.Duration) {
	want := 0
	byID := map[string]*modelShard{}
	for _, s := range shards {
		want += len(s.arrivals)
		byID[s.id] = s
	}
	if len(out) != want {
		t.Fatalf("%d records out, %d in", len(out), want)
	}
	next := map[string]int{}
	// floor: the latest arrival of a record's shard and its ancestors so
	// far, the time a record of a shard that went back sorts at.
	floor := map[string]time.Duration{}
	var lineage func(id string) time.Duration
	lineage = func(id string) time.Duration {
		f := floor[id]
		for _, p := range byID[id].held {
			f = max(f, lineage(p))
		}
		return f
	}
	var latest time.Duration
	for i, r := range out {
		s := byID[r.ShardID]
		if got := r.SequenceNumber; got != fmt.Sprintf("%04d", next[s.id]) {
			t.Fatalf("record %d: %s %s, want sequence %04d (each once, in order)", i, s.id, got, next[s.id])
		}
		next[s.id]++
		for _, p := range s.held {
			if next[p] != len(byID[p].arrivals) {
				t.Fatalf("record %d of %s came before all of its parent %s's", i, s.id, p)
			}
		}
		at := r.ArrivedAt.Sub(t0)
		key := max(at, lineage(s.id))
		floor[s.id] = key
		if key < latest-slack {
			t.Fatalf("record %d (%s %s) at %v after one at %v: back by more than %v", i, s.id, r.SequenceNumber, key, latest, slack)
		}
		latest = max(latest, key)
	}
}
