// Package samples keeps a bounded sample of the traffic the UI has seen,
// per shard: the effective hash key and the size of recent records. The
// split dialog proposes the traffic median from it and previews each
// child's share.
//
// A Store is owned by the root model and fed on the event loop (the tail
// screen and the stream screen's live rates); it is also safe for
// concurrent use, as a dialog may copy it from a Cmd.
package samples

import (
	"sync"

	"github.com/kinspect/kinspect/kinesisx"
	"github.com/kinspect/kinspect/kinesisx/hashkey"
)

// Defaults of New.
const (
	PerShard  = 2048 // samples kept per shard, the newest
	MaxShards = 512  // shards kept; a new shard beyond it evicts the least recently fed
)

// Store is a bounded sample of (hash key, bytes) per shard of each stream.
type Store struct {
	mu        sync.Mutex
	perShard  int
	maxShards int
	tick      uint64
	shards    map[shardKey]*ring
}

type shardKey struct{ stream, shard string }

// ring is one shard's samples, oldest overwritten first.
type ring struct {
	buf  []kinesisx.KeySample
	next int
	used uint64 // tick of the last Add, for eviction
}

// New returns a Store keeping perShard samples for up to maxShards shards
// (zero or less: the defaults).
func New(perShard, maxShards int) *Store {
	if perShard <= 0 {
		perShard = PerShard
	}
	if maxShards <= 0 {
		maxShards = MaxShards
	}
	return &Store{perShard: perShard, maxShards: maxShards, shards: map[shardKey]*ring{}}
}

// Of returns a record's sample: its explicit hash key when it has a valid
// one, else the MD5 of its partition key, and its payload size.
func Of(r *kinesisx.Record) kinesisx.KeySample {
	if r.ExplicitHashKey != "" {
		if k, err := hashkey.Parse(r.ExplicitHashKey); err == nil {
			return kinesisx.KeySample{Key: k, Bytes: len(r.Data)}
		}
	}
	return kinesisx.KeySample{Key: hashkey.FromPartitionKey(r.PartitionKey), Bytes: len(r.Data)}
}

// Entry is one sample with its place.
type Entry struct {
	Stream, Shard string
	Sample        kinesisx.KeySample
}

// Entries turns records into entries (callable off the event loop).
func Entries(recs []kinesisx.Record) []Entry {
	out := make([]Entry, 0, len(recs))
	for i := range recs {
		r := &recs[i]
		out = append(out, Entry{Stream: r.Stream, Shard: r.ShardID, Sample: Of(r)})
	}
	return out
}

// AddRecords samples records.
func (s *Store) AddRecords(recs []kinesisx.Record) {
	if s == nil || len(recs) == 0 {
		return
	}
	s.Add(Entries(recs))
}

// Add stores entries, keeping the newest perShard of each shard.
func (s *Store) Add(es []Entry) {
	if s == nil || len(es) == 0 {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.tick++
	for _, e := range es {
		k := shardKey{e.Stream, e.Shard}
		r := s.shards[k]
		if r == nil {
			s.evict()
			r = &ring{buf: make([]kinesisx.KeySample, 0, min(64, s.perShard))}
			s.shards[k] = r
		}
		r.used = s.tick
		if len(r.buf) < s.perShard {
			r.buf = append(r.buf, e.Sample)
			continue
		}
		r.buf[r.next] = e.Sample
		r.next = (r.next + 1) % s.perShard
	}
}

// evict drops the least recently fed shard when the store is full.
func (s *Store) evict() {
	if len(s.shards) < s.maxShards {
		return
	}
	var oldest shardKey
	first := true
	var at uint64
	for k, r := range s.shards {
		if first || r.used < at {
			oldest, at, first = k, r.used, false
		}
	}
	delete(s.shards, oldest)
}

// Shard returns a copy of a shard's samples.
func (s *Store) Shard(stream, shard string) []kinesisx.KeySample {
	if s == nil {
		return nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	r := s.shards[shardKey{stream, shard}]
	if r == nil {
		return nil
	}
	return append([]kinesisx.KeySample(nil), r.buf...)
}
