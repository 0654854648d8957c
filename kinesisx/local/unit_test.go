package local

import (
	"math/big"
	"sort"
	"strings"
	"testing"
	"time"

	"pgregory.net/rapid"

	"github.com/kinspect/kinspect/kinesisx/hashkey"
)

func TestParseFaults(t *testing.T) {
	tests := []struct {
		spec    string
		want    Faults
		wantErr string
	}{
		{spec: "", want: Faults{}},
		{spec: "throttle=0.1,internal=0.02,reset=0.01,seed=7", want: Faults{Throttle: 0.1, Internal: 0.02, Reset: 0.01, Seed: 7}},
		{spec: " reset = 0.5 ", want: Faults{Reset: 0.5}},
		{spec: "throttle=1.5", wantErr: "probability"},
		{spec: "throttle=-0.1", wantErr: "probability"},
		{spec: "throttle=NaN", wantErr: "probability"},
		{spec: "throttle=0.6,internal=0.6", wantErr: "more than 1"},
		{spec: "explode=0.1", wantErr: "unknown fault"},
		{spec: "throttle", wantErr: "key=value"},
		{spec: "seed=x", wantErr: "seed"},
	}
	for _, tt := range tests {
		t.Run(tt.spec, func(t *testing.T) {
			got, err := ParseFaults(tt.spec)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Fatalf("got %+v, %v; want %+v", got, err, tt.want)
			}
			if again, err := ParseFaults(got.String()); err != nil || again != got {
				t.Errorf("String does not round-trip: %q → %+v, %v", got.String(), again, err)
			}
		})
	}
}

func TestSequenceNumbers(t *testing.T) {
	created := time.Unix(1764000000, 123456789)
	a := &shard{prefix: seqPrefix(3, created)}
	b := &shard{prefix: seqPrefix(4, created)}
	var prev string
	for _, n := range []uint64{1, 9, 10, 11, 99, 100, 1 << 40, 1<<64 - 1} {
		s := a.seqString(n)
		if len(s) != seqLen || !validSeqSyntax(s) {
			t.Fatalf("%d → %q: not a %d-digit API sequence number", n, s, seqLen)
		}
		if prev != "" {
			x, _ := new(big.Int).SetString(prev, 10)
			y, _ := new(big.Int).SetString(s, 10)
			if x.Cmp(y) >= 0 || prev >= s {
				t.Fatalf("%s then %s: not increasing as numbers and strings", prev, s)
			}
		}
		prev = s
		if got, ok := a.parseSeq(s); !ok || got != n {
			t.Fatalf("parseSeq(%s) = %d, %v", s, got, ok)
		}
		if _, ok := b.parseSeq(s); ok {
			t.Fatalf("shard 4 accepted shard 3's sequence number %s", s)
		}
	}
	other := &shard{prefix: seqPrefix(3, created.Add(time.Second))}
	if _, ok := other.parseSeq(a.seqString(5)); ok {
		t.Error("a re-created stream accepted the old stream's sequence number")
	}
}

func TestIteratorRoundTripAndTamper(t *testing.T) {
	it := iterator{stream: "orders", created: 42, shard: 7, pos: 1 << 50, minArrival: 99, issued: 1234567}
	s := it.encode()
	got, err := decodeIterator(s)
	if err != nil || got != it {
		t.Fatalf("round trip: %+v, %v", got, err)
	}
	bad := []string{"", "!!!", s[:len(s)-2], strings.ToUpper(s), s + "A", strings.Repeat("A", 600)}
	for _, b := range bad {
		if _, err := decodeIterator(b); err == nil {
			t.Errorf("decodeIterator(%.20q) accepted a damaged iterator", b)
		} else if ae, ok := err.(*apiError); !ok || ae.code != "InvalidArgumentException" {
			t.Errorf("decodeIterator(%.20q) = %v, want InvalidArgumentException", b, err)
		}
	}
}

func TestBucket(t *testing.T) {
	t0 := time.Unix(0, 0)
	b := newBucket(5, 5, t0)
	for i := 0; i < 5; i++ {
		if !b.take(1, t0) {
			t.Fatalf("call %d refused within the burst", i+1)
		}
	}
	if b.take(1, t0) {
		t.Fatal("sixth call in the same instant admitted")
	}
	if !b.take(1, t0.Add(200*time.Millisecond)) {
		t.Fatal("no token after 200 ms at 5/s")
	}
	r := newBucket(2<<20, 2<<20, t0)
	r.level -= 10 << 20 // a 10 MiB response over a 2 MiB budget
	if d := r.wait(t0); d != 4*time.Second {
		t.Fatalf("wait after overdraw = %v, want 4s", d)
	}
}

// TestScaleUniformLineage checks, for random shard counts and prior
// splits, that UpdateShardCount leaves exactly n open shards that tile the
// key space, creates as many shards as AWS does (up: a split of every open
// shard and 2·open − n merges; down: open − n merges), keeps shards within
// a factor of two of each other when they were uniform, and that every
// shard has at most two parents whose ranges are adjacent and whose union is
// the child's range, and that every parent is closed.
func TestScaleUniformLineage(t *testing.T) {
	rapid.Check(t, func(rt *rapid.T) {
		now := time.Unix(1764000000, 0)
		from := rapid.IntRange(1, 40).Draw(rt, "from")
		opts := Options{}
		st := &stream{name: "s", created: now, opts: &opts, status: "ACTIVE", mode: "PROVISIONED"}
		st.mu.Lock()
		defer st.mu.Unlock()
		for _, r := range hashkey.Split(from) {
			st.newShard(r, "", "", now)
		}
		st.publishOpen()
		// Unevenness: split a few open shards at random points first.
		uneven := false
		for i := rapid.IntRange(0, 3).Draw(rt, "splits"); i > 0; i-- {
			open := *st.open.Load()
			sh := open[rapid.IntRange(0, len(open)-1).Draw(rt, "which")]
			if sh.rng.End.Cmp(sh.rng.Start.Inc().Inc()) <= 0 {
				continue
			}
			x := hashkey.Mid(sh.rng.Start.Inc(), sh.rng.End)
			st.reshape([]*shard{sh}, []shardSpec{{rng: hashkey.Range{Start: sh.rng.Start, End: x.Dec()}, parent: sh.id}, {rng: hashkey.Range{Start: x, End: sh.rng.End}, parent: sh.id}}, now)
			uneven = true
		}
		current, before := st.openCount(), len(st.shards)
		n := rapid.IntRange((current+1)/2, 2*current).Draw(rt, "to")
		st.scaleUniform(n, now)
		open := append([]*shard(nil), *st.open.Load()...)
		if len(open) != n {
			rt.Fatalf("%d open shards, want %d", len(open), n)
		}
		created := 0
		switch {
		case n > current:
			created = 2*current + (2*current - n)
		case n < current:
			created = current - n
		}
		if got := len(st.shards) - before; got != created {
			rt.Fatalf("%d → %d open shards created %d shards, AWS creates %d", current, n, got, created)
		}
		next, last := hashkey.Key{}, hashkey.Key{}
		lo, hi := 2.0, 0.0
		for _, sh := range open {
			if sh.rng.Start != next {
				rt.Fatalf("open shards leave a gap before %s", sh.id)
			}
			next, last = sh.rng.End.Inc(), sh.rng.End
			lo, hi = min(lo, sh.rng.Share()), max(hi, sh.rng.Share())
		}
		if last != hashkey.Max {
			rt.Fatalf("open shards end at %v, not at the top of the key space", last)
		}
		if !uneven && hi > 2*lo*(1+1e-9) {
			rt.Fatalf("uniform shards scaled to widths %.4f..%.4f: more than twice apart", lo, hi)
		}
		byID := map[string]*shard{}
		for _, sh := range st.shards {
			byID[sh.id] = sh
		}
		for _, sh := range st.shards {
			var ps []*shard
			for _, p := range []string{sh.parent, sh.adjacent} {
				if p != "" {
					ps = append(ps, byID[p])
				}
			}
			if len(ps) == 0 {
				continue
			}
			sort.Slice(ps, func(i, j int) bool { return ps[i].rng.Start.Cmp(ps[j].rng.Start) < 0 })
			if len(ps) == 2 && ps[0].rng.End.Inc() != ps[1].rng.Start {
				rt.Fatalf("%s's parents are not adjacent", sh.id)
			}
			union := hashkey.Range{Start: ps[0].rng.Start, End: ps[len(ps)-1].rng.End}
			if len(ps) == 2 && union != sh.rng {
				rt.Fatalf("merge child %s range %v != parents' union %v", sh.id, sh.rng, union)
			}
			if !union.Contains(sh.rng.Start) || !union.Contains(sh.rng.End) {
				rt.Fatalf("%s's range is outside its parents'", sh.id)
			}
			for _, p := range ps {
				if !p.isClosed() {
					rt.Fatalf("parent %s of %s is open", p.id, sh.id)
				}
			}
		}
	})
}

func TestMetricStore(t *testing.T) {
	m := newMetricStore()
	t0 := time.Date(2026, 11, 26, 7, 0, 0, 0, time.UTC)
	m.add("s", "", "IncomingBytes", 10, t0.Add(5*time.Second))
	m.add("s", "", "IncomingBytes", 30, t0.Add(50*time.Second))
	m.add("s", "", "IncomingBytes", 5, t0.Add(61*time.Second))
	m.add("s", "", "IncomingBytes", 7, t0.Add(4*time.Hour)) // drops everything older than 3 h
	s := &Server{metrics: m}
	got := s.MetricBuckets("s", "", "IncomingBytes", t0, t0.Add(5*time.Hour))
	if len(got) != 1 || got[0].Sum != 7 {
		t.Fatalf("after 4 h: %+v", got)
	}
	m2 := newMetricStore()
	m2.setMonitoring("s", []string{"IteratorAgeMilliseconds"})
	m2.add("s", "sh", "IteratorAgeMilliseconds", 10, t0)
	m2.add("s", "sh", "IteratorAgeMilliseconds", 30, t0.Add(time.Second))
	m2.add("s", "sh", "IteratorAgeMilliseconds", 20, t0.Add(2*time.Second))
	s2 := &Server{metrics: m2}
	b := s2.MetricBuckets("s", "sh", "IteratorAgeMilliseconds", t0, t0.Add(time.Minute))
	if len(b) != 1 || b[0].Sum != 60 || b[0].SampleCount != 3 || b[0].Min != 10 || b[0].Max != 30 || !b[0].Start.Equal(t0) {
		t.Fatalf("bucket %+v", b)
	}
	if got := s2.MetricBuckets("s", "sh", "IteratorAgeMilliseconds", t0.Add(time.Minute), t0.Add(2*time.Minute)); len(got) != 0 {
		t.Errorf("window after the data: %+v", got)
	}
}
