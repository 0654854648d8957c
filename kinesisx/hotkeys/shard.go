package hotkeys

import (
	"math/rand/v2"

	"github.com/kinspect/kinspect/kinesisx"
	"github.com/kinspect/kinspect/kinesisx/hashkey"
)

// ShardStats is what the analyser knows of one shard's traffic.
type ShardStats struct {
	ShardID string
	// Range is the hash range the histogram divides: the shard's, once
	// SetShards has told it (RangeKnown), else the whole key space.
	Range      hashkey.Range
	RangeKnown bool
	Records    int64 // records (KPL sub-records counted one by one)
	Bytes      int64 // data plus partition key, as the shard's limits count
	Aggregated int64 // of Records, how many were KPL sub-records
	// DistinctKeys estimates the number of different partition keys
	// (HyperLogLog, about 3% error).
	DistinctKeys int64
	// TopByBytes and TopByRecords are the heaviest keys, heaviest first.
	TopByBytes   []KeyCount
	TopByRecords []KeyCount
	// Skew is 0 when the bytes are spread evenly over the keys and 1 when
	// one key carries them all; see Skew.
	Skew float64
	// TopShare is the guaranteed share of the bytes of the heaviest key.
	TopShare float64
	// Histogram holds the bytes per cell of Range, cut into equal cells,
	// lowest hash keys first; KPL aggregates fall where Kinesis routes them.
	Histogram []int64
	// Samples is how many split samples are kept (see Analyser.Samples).
	Samples int
}

// Skew scores how unevenly bytes spread over keys: with s the heaviest
// key's guaranteed share of the bytes and n the number of distinct keys,
// (s - 1/n) / (1 - 1/n), clamped to [0, 1]. It is 0 when n keys carry
// equal bytes (s = 1/n), 1 when one key carries everything (including a
// shard with a single key: it cannot be split), and about s for one hot key
// among many cold ones (a hot key with 60% of the bytes scores about 0.6).
// The guaranteed share (count minus Space-Saving's error) is used so that
// a uniform spread over more keys than counters does not look skewed.
func Skew(topShare float64, distinctKeys int64) float64 {
	if distinctKeys <= 1 {
		if topShare > 0 {
			return 1
		}
		return 0
	}
	u := 1 / float64(distinctKeys)
	v := (topShare - u) / (1 - u)
	return min(1, max(0, v))
}

type shardState struct {
	id         string
	hashRange  hashkey.Range
	rangeKnown bool
	width      float64 // of hashRange, as a float, +1

	records, bytes, aggregated int64
	byBytes, byRecords         *topK
	keys                       distinct
	hist                       []int64

	maxSamples int
	units      int64 // routing units offered to the reservoir
	samples    []kinesisx.KeySample
	// The aggregate being read: its sequence number and its slot in
	// samples (-1 when it was not sampled).
	aggSeq  string
	aggKey  hashkey.Key
	aggSlot int
}

func newShardState(id string, o Options) *shardState {
	return &shardState{id: id, byBytes: newTopK(o.TopK), byRecords: newTopK(o.TopK), maxSamples: o.Samples, aggSlot: -1}
}

func (s *shardState) setRange(r hashkey.Range, known bool, buckets int) {
	s.hashRange, s.rangeKnown = r, known
	w, _ := r.End.Sub(r.Start)
	s.width = w.Float() + 1
	s.hist = make([]int64, buckets)
}

func (s *shardState) add(r kinesisx.Record, rng *rand.Rand) {
	size := int64(len(r.Data) + len(r.PartitionKey))
	pk := hashkey.FromPartitionKey(r.PartitionKey)
	s.records++
	s.bytes += size
	s.byBytes.add(r.PartitionKey, size)
	s.byRecords.add(r.PartitionKey, 1)
	s.keys.add(pk.Hi ^ pk.Lo)

	key := routingKey(r, pk)
	if r.Aggregated {
		s.aggregated++
		if r.SequenceNumber == s.aggSeq {
			// A later sub-record of the aggregate being read: it goes where
			// the aggregate went.
			s.bucketAdd(s.aggKey, size)
			if s.aggSlot >= 0 {
				s.samples[s.aggSlot].Bytes += int(size)
			}
			return
		}
		s.aggSeq, s.aggKey = r.SequenceNumber, key
	} else {
		s.aggSeq = ""
	}
	s.bucketAdd(key, size)
	s.aggSlot = s.sample(kinesisx.KeySample{Key: key, Bytes: int(size)}, rng)
}

// sample offers one routing unit to the reservoir (Vitter's algorithm R)
// and returns its slot, or -1.
func (s *shardState) sample(x kinesisx.KeySample, rng *rand.Rand) int {
	s.units++
	if len(s.samples) < s.maxSamples {
		s.samples = append(s.samples, x)
		return len(s.samples) - 1
	}
	if j := rng.Int64N(s.units); j < int64(s.maxSamples) {
		s.samples[j] = x
		return int(j)
	}
	return -1
}

func (s *shardState) bucketAdd(k hashkey.Key, size int64) {
	if !s.hashRange.Contains(k) {
		return // routed elsewhere: a stale range, or a sub-record's own key
	}
	off, _ := k.Sub(s.hashRange.Start)
	i := int(off.Float() / s.width * float64(len(s.hist)))
	s.hist[min(max(i, 0), len(s.hist)-1)] += size
}

func (s *shardState) sampleCopy() []kinesisx.KeySample {
	return append([]kinesisx.KeySample(nil), s.samples...)
}

func (s *shardState) stats(n int) ShardStats {
	st := ShardStats{
		ShardID: s.id, Range: s.hashRange, RangeKnown: s.rangeKnown,
		Records: s.records, Bytes: s.bytes, Aggregated: s.aggregated,
		DistinctKeys: s.keys.estimate(),
		TopByBytes:   s.byBytes.top(n),
		TopByRecords: s.byRecords.top(n),
		Histogram:    append([]int64(nil), s.hist...),
		Samples:      len(s.samples),
	}
	if s.bytes > 0 {
		st.TopShare = float64(s.byBytes.maxGuaranteed()) / float64(s.bytes)
	}
	// Until the counters are full, they hold every key: an exact count.
	if h := len(s.byBytes.heap); h < s.byBytes.k {
		st.DistinctKeys = int64(h)
	} else {
		st.DistinctKeys = max(st.DistinctKeys, int64(h))
	}
	st.Skew = Skew(st.TopShare, st.DistinctKeys)
	return st
}
