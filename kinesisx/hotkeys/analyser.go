// Package hotkeys finds the partition keys that make a shard hot, from the
// records a tail delivers: per shard, the top keys by bytes and by records,
// a skew score, a histogram of where the bytes fall in the shard's hash
// range, and a bounded sample of hash keys and sizes from which
// kinesisx.MedianSplitKey proposes a traffic-weighted split.
//
// Memory is bounded per shard, whatever the traffic: Options.TopK counters
// per measure (Space-Saving: a reported count overestimates the true one
// by at most its Error, itself at most total/TopK, and every key heavier
// than total/TopK is listed), a 1 KiB HyperLogLog for the number of
// distinct keys (about 3% error), Options.Buckets histogram cells and
// Options.Samples samples (a uniform reservoir over the routing units). At
// most Options.MaxShards shards are tracked; records of further shards are
// only counted (Overflow).
//
// KPL aggregates: a tail delivers their sub-records, each with its own
// (inner) partition key and explicit hash key. The top keys and the skew
// count sub-records by their inner keys. The histogram and the split
// samples follow routing instead: Kinesis routes a whole aggregate by its
// outer key, which KPL and the aws-kinesis-agg libraries take from the
// first sub-record, so every sub-record of one aggregate is placed at its
// first sub-record's hash key.
//
// Concurrency: an Analyser is safe for concurrent use; Add may run in a
// tail-draining goroutine while a view reads Stats.
package hotkeys

import (
	"math/rand/v2"
	"sort"
	"sync"

	"github.com/kinspect/kinspect/kinesisx"
	"github.com/kinspect/kinspect/kinesisx/hashkey"
)

// Options size an Analyser. Zero values take the defaults.
type Options struct {
	TopK      int    // counters per shard and measure (default 64)
	Samples   int    // split samples kept per shard (default 2048)
	Buckets   int    // hash-range histogram cells (default 32)
	MaxShards int    // shards tracked (default 1024)
	Seed      uint64 // seeds the reservoir; 0 picks a random seed
}

func (o *Options) defaults() {
	if o.TopK <= 0 {
		o.TopK = 64
	}
	if o.Samples <= 0 {
		o.Samples = 2048
	}
	if o.Buckets <= 0 {
		o.Buckets = 32
	}
	if o.MaxShards <= 0 {
		o.MaxShards = 1024
	}
	if o.Seed == 0 {
		o.Seed = rand.Uint64()
	}
}

// Analyser accumulates hot-key statistics per shard. Build it with New.
type Analyser struct {
	mu       sync.Mutex
	opts     Options
	rng      *rand.Rand
	ranges   map[string]hashkey.Range
	shards   map[string]*shardState
	overflow int64
}

// New returns an empty Analyser.
func New(opts Options) *Analyser {
	opts.defaults()
	return &Analyser{
		opts:   opts,
		rng:    rand.New(rand.NewPCG(opts.Seed, opts.Seed^0x9e3779b97f4a7c15)),
		ranges: map[string]hashkey.Range{},
		shards: map[string]*shardState{},
	}
}

// SetShards tells the analyser the shards' hash ranges, which the
// histogram divides. Until a shard's range is known its histogram spans
// the whole key space; when the range changes the histogram restarts.
func (a *Analyser) SetShards(shards []kinesisx.Shard) {
	a.mu.Lock()
	defer a.mu.Unlock()
	for _, s := range shards {
		a.ranges[s.ID] = s.HashRange
		if st, ok := a.shards[s.ID]; ok && (!st.rangeKnown || st.hashRange != s.HashRange) {
			st.setRange(s.HashRange, true, a.opts.Buckets)
		}
	}
}

// AddBatch adds every record of a tail's batch.
func (a *Analyser) AddBatch(b kinesisx.Batch) {
	a.mu.Lock()
	defer a.mu.Unlock()
	for _, r := range b.Records {
		a.add(r)
	}
}

// Add counts one record (a KPL sub-record counts by its inner key).
func (a *Analyser) Add(r kinesisx.Record) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.add(r)
}

func (a *Analyser) add(r kinesisx.Record) {
	st := a.shards[r.ShardID]
	if st == nil {
		if len(a.shards) >= a.opts.MaxShards {
			a.overflow++
			return
		}
		st = newShardState(r.ShardID, a.opts)
		rg, known := a.ranges[r.ShardID]
		if !known {
			rg = hashkey.Range{Start: hashkey.Key{}, End: hashkey.Max}
		}
		st.setRange(rg, known, a.opts.Buckets)
		a.shards[r.ShardID] = st
	}
	st.add(r, a.rng)
}

// Reset forgets every record (the shard ranges are kept).
func (a *Analyser) Reset() {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.shards = map[string]*shardState{}
	a.overflow = 0
}

// Overflow is the number of records not analysed because MaxShards shards
// were tracked already.
func (a *Analyser) Overflow() int64 {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.overflow
}

// ShardIDs lists the shards seen, sorted.
func (a *Analyser) ShardIDs() []string {
	a.mu.Lock()
	defer a.mu.Unlock()
	ids := make([]string, 0, len(a.shards))
	for id := range a.shards {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	return ids
}

// Stats returns every shard's statistics, by shard ID, each list cut to n
// keys (n < 0: all TopK).
func (a *Analyser) Stats(n int) []ShardStats {
	a.mu.Lock()
	defer a.mu.Unlock()
	out := make([]ShardStats, 0, len(a.shards))
	for _, st := range a.shards {
		out = append(out, st.stats(n))
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ShardID < out[j].ShardID })
	return out
}

// Shard returns one shard's statistics with its top n keys; ok is false
// for a shard with no records.
func (a *Analyser) Shard(id string, n int) (ShardStats, bool) {
	a.mu.Lock()
	defer a.mu.Unlock()
	st, ok := a.shards[id]
	if !ok {
		return ShardStats{}, false
	}
	return st.stats(n), true
}

// Samples returns a copy of the shard's split samples (hash key and bytes
// of up to Options.Samples routing units, chosen uniformly), the input of
// kinesisx.MedianSplitKey and kinesisx.SplitShares.
func (a *Analyser) Samples(id string) []kinesisx.KeySample {
	a.mu.Lock()
	defer a.mu.Unlock()
	st, ok := a.shards[id]
	if !ok {
		return nil
	}
	return st.sampleCopy()
}

// routingKey is where Kinesis routes a record: its explicit hash key when
// it has a valid one, else the MD5 of its partition key.
func routingKey(r kinesisx.Record, pkHash hashkey.Key) hashkey.Key {
	if r.ExplicitHashKey != "" {
		if k, err := hashkey.Parse(r.ExplicitHashKey); err == nil {
			return k
		}
	}
	return pkHash
}
