package hotkeys

import (
	"fmt"
	"strconv"
	"testing"

	"github.com/kinspect/kinspect/kinesisx"
	"github.com/kinspect/kinspect/kinesisx/hashkey"
)

const testShard = "shardId-000000000000"

// keyAt returns a partition key whose hash lies in [lo, hi) of the whole
// key space (as fractions).
func keyAt(t testing.TB, prefix string, lo, hi float64) string {
	t.Helper()
	for i := 0; i < 1_000_000; i++ {
		k := prefix + strconv.Itoa(i)
		f := hashkey.FromPartitionKey(k).Float() / hashkey.Max.Float()
		if f >= lo && f < hi {
			return k
		}
	}
	t.Fatalf("no key in [%v, %v)", lo, hi)
	return ""
}

// traffic is records of one shard: uniform records of `uniform` keys, and
// every `every`-th record (if every > 0) carrying the hot key instead.
func traffic(n, uniform, every int, hot string, size int) []kinesisx.Record {
	out := make([]kinesisx.Record, n)
	data := make([]byte, size)
	for i := range out {
		key := "u-" + strconv.Itoa(i%uniform)
		if every > 0 && i%every == 0 {
			key = hot
		}
		out[i] = kinesisx.Record{ShardID: testShard, SequenceNumber: strconv.Itoa(i), PartitionKey: key, Data: data}
	}
	return out
}

func feed(a *Analyser, recs []kinesisx.Record) {
	for _, r := range recs {
		a.Add(r)
	}
}

func TestHotKeyRankedFirstAndSkewed(t *testing.T) {
	hot := keyAt(t, "hot-", 0.80, 0.86)
	tests := []struct {
		name         string
		every        int
		wantTop      string
		minSk, maxSk float64
	}{
		{name: "uniform", every: 0, minSk: 0, maxSk: 0.05},
		{name: "one hot key in two", every: 2, wantTop: hot, minSk: 0.45, maxSk: 0.55},
		{name: "one hot key in three", every: 3, wantTop: hot, minSk: 0.28, maxSk: 0.38},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := New(Options{Seed: 1, TopK: 32})
			feed(a, traffic(30_000, 2000, tt.every, hot, 100))
			st, ok := a.Shard(testShard, 5)
			if !ok {
				t.Fatal("no stats")
			}
			if st.Records != 30_000 || st.Bytes != 30_000*100+int64(sumKeyLen(traffic(30_000, 2000, tt.every, hot, 100))) {
				t.Errorf("records %d bytes %d", st.Records, st.Bytes)
			}
			if tt.wantTop != "" && (st.TopByBytes[0].Key != tt.wantTop || st.TopByRecords[0].Key != tt.wantTop) {
				t.Errorf("top keys %v / %v, want %s first", st.TopByBytes, st.TopByRecords, tt.wantTop)
			}
			if st.Skew < tt.minSk || st.Skew > tt.maxSk {
				t.Errorf("skew %.3f, want in [%v, %v] (top share %.3f, %d keys)", st.Skew, tt.minSk, tt.maxSk, st.TopShare, st.DistinctKeys)
			}
			if len(st.TopByBytes) != 5 {
				t.Errorf("%d top keys, want 5", len(st.TopByBytes))
			}
			// Bounded memory whatever the key count.
			a.mu.Lock()
			s := a.shards[testShard]
			if len(s.byBytes.heap) > 32 || len(s.samples) > 2048 {
				t.Errorf("%d counters, %d samples", len(s.byBytes.heap), len(s.samples))
			}
			a.mu.Unlock()
		})
	}
}

func sumKeyLen(recs []kinesisx.Record) int {
	n := 0
	for _, r := range recs {
		n += len(r.PartitionKey)
	}
	return n
}

// trueShares splits the records' bytes at x exactly.
func trueShares(recs []kinesisx.Record, x hashkey.Key) (lo, hi int64) {
	for _, r := range recs {
		n := int64(len(r.Data) + len(r.PartitionKey))
		if hashkey.FromPartitionKey(r.PartitionKey).Cmp(x) < 0 {
			lo += n
		} else {
			hi += n
		}
	}
	return lo, hi
}

func imbalance(a, b int64) float64 {
	return float64(max(a-b, b-a)) / float64(max(a, b))
}

// The median split from the samples divides the real traffic within 10%;
// the midpoint split of the same shard does not.
func TestMedianSplitFromSamples(t *testing.T) {
	hot := keyAt(t, "hot-", 0.81, 0.85)
	whole := hashkey.Range{Start: hashkey.Key{}, End: hashkey.Max}
	for seed := uint64(1); seed <= 5; seed++ {
		t.Run(fmt.Sprint(seed), func(t *testing.T) {
			a := New(Options{Seed: seed})
			a.SetShards([]kinesisx.Shard{{ID: testShard, HashRange: whole, Open: true}})
			recs := traffic(40_000, 3000, 3, hot, 200) // the hot key: a third
			feed(a, recs)
			p, ok := a.SplitPreview(testShard)
			if !ok {
				t.Fatal("no preview")
			}
			lo, hi := trueShares(recs, p.Median)
			if d := imbalance(lo, hi); d >= 0.10 {
				t.Errorf("median split: %d / %d bytes, imbalance %.3f", lo, hi, d)
			}
			mlo, mhi := trueShares(recs, p.Midpoint)
			if d := imbalance(mlo, mhi); d < 0.10 {
				t.Errorf("midpoint split balances too (%d / %d): the test traffic is not skewed", mlo, mhi)
			}
			// The preview's estimates agree with the truth.
			if f := float64(lo) / float64(lo+hi); p.MedianLower < f-0.03 || p.MedianLower > f+0.03 {
				t.Errorf("preview lower %.3f, true %.3f", p.MedianLower, f)
			}
			if f := float64(mlo) / float64(mlo+mhi); p.MidpointLower < f-0.03 || p.MidpointLower > f+0.03 {
				t.Errorf("preview midpoint lower %.3f, true %.3f", p.MidpointLower, f)
			}
		})
	}
}

func TestHistogram(t *testing.T) {
	r := hashkey.Split(4)[1] // the second quarter
	inRange := func(frac float64) hashkey.Key {
		w, _ := r.End.Sub(r.Start)
		off, _ := hashkey.FromBig(new(bigFloat).mul(w, frac))
		k, _ := r.Start.Add(off)
		return k
	}
	tests := []struct {
		name string
		key  hashkey.Key
		want int // bucket of 4
	}{
		{"start", r.Start, 0},
		{"end", r.End, 3},
		{"just below the middle", inRange(0.49), 1},
		{"just above the middle", inRange(0.51), 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := New(Options{Buckets: 4, Seed: 1})
			a.SetShards([]kinesisx.Shard{{ID: testShard, HashRange: r}})
			a.Add(kinesisx.Record{ShardID: testShard, PartitionKey: "k", ExplicitHashKey: tt.key.String(), Data: make([]byte, 9)})
			// Outside the range: not in the histogram, still counted.
			a.Add(kinesisx.Record{ShardID: testShard, PartitionKey: "k", ExplicitHashKey: "0", Data: make([]byte, 9)})
			st, _ := a.Shard(testShard, -1)
			want := make([]int64, 4)
			want[tt.want] = 10
			if fmt.Sprint(st.Histogram) != fmt.Sprint(want) || st.Bytes != 20 || !st.RangeKnown {
				t.Errorf("histogram %v bytes %d, want %v", st.Histogram, st.Bytes, want)
			}
		})
	}
}

// KPL sub-records count by their inner keys for top keys, but are placed
// where the aggregate is routed (its first sub-record's key) for the
// histogram and the split samples.
func TestAggregatedRecords(t *testing.T) {
	lowKey, highKey := keyAt(t, "lo-", 0.0, 0.2), keyAt(t, "hi-", 0.8, 1.0)
	a := New(Options{Buckets: 2, Seed: 1})
	a.SetShards([]kinesisx.Shard{{ID: testShard, HashRange: hashkey.Range{End: hashkey.Max}}})
	sub := func(seq string, i int, key string) kinesisx.Record {
		return kinesisx.Record{ShardID: testShard, SequenceNumber: seq, SubSequence: i, PartitionKey: key, Data: make([]byte, 10), Aggregated: true}
	}
	a.AddBatch(kinesisx.Batch{Records: []kinesisx.Record{
		sub("1", 0, lowKey), sub("1", 1, highKey), sub("1", 2, highKey),
		sub("2", 0, highKey), sub("2", 1, lowKey),
	}})
	st, _ := a.Shard(testShard, -1)
	if st.Records != 5 || st.Aggregated != 5 || st.DistinctKeys != 2 {
		t.Errorf("records %d aggregated %d distinct %d", st.Records, st.Aggregated, st.DistinctKeys)
	}
	if st.TopByRecords[0].Key != highKey || st.TopByRecords[0].Count != 3 {
		t.Errorf("top by records %v", st.TopByRecords)
	}
	lo := int64(30 + len(lowKey) + 2*len(highKey)) // aggregate 1, routed by lowKey
	hi := int64(20 + len(highKey) + len(lowKey))   // aggregate 2, routed by highKey
	if st.Bytes != lo+hi {
		t.Errorf("bytes %d, want %d", st.Bytes, lo+hi)
	}
	if st.Histogram[0] != lo || st.Histogram[1] != hi {
		t.Errorf("histogram %v, want [%d %d]", st.Histogram, lo, hi)
	}
	samples := a.Samples(testShard)
	if len(samples) != 2 || samples[0].Key != hashkey.FromPartitionKey(lowKey) || int64(samples[0].Bytes) != lo || int64(samples[1].Bytes) != hi {
		t.Errorf("samples %v", samples)
	}
}

func TestMaxShardsAndReset(t *testing.T) {
	a := New(Options{MaxShards: 2, Seed: 1})
	for i := 0; i < 3; i++ {
		a.Add(kinesisx.Record{ShardID: fmt.Sprintf("s%d", i), PartitionKey: "k", Data: []byte("x")})
	}
	if got := a.ShardIDs(); fmt.Sprint(got) != "[s0 s1]" || a.Overflow() != 1 || len(a.Stats(1)) != 2 {
		t.Errorf("shards %v overflow %d", got, a.Overflow())
	}
	if _, ok := a.SplitPreview("s0"); ok {
		t.Error("a preview without a known range")
	}
	a.Reset()
	if len(a.ShardIDs()) != 0 || a.Overflow() != 0 || a.Samples("s0") != nil {
		t.Error("reset kept state")
	}
}
