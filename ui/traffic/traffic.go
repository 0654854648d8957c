// Package traffic keeps what the UI has seen of each stream's traffic: one
// hotkeys.Analyser per stream, fed by every tail the screens run (the
// stream screen's live rates, the tail screen). The stream screen's hot-key
// panel reads it, and the split dialog proposes the traffic median from it
// and previews each child's load (hotkeys.SplitPreview).
//
// A Store is owned by the root model. It and its analysers are safe for
// concurrent use: a tail's batches are added from the Cmd that received
// them, off the event loop, while a screen reads the statistics.
package traffic

import (
	"sync"

	"github.com/kinspect/kinspect/kinesisx"
	"github.com/kinspect/kinspect/kinesisx/hotkeys"
)

// MaxStreams is the default number of streams a Store analyses; a new
// stream beyond it evicts the least recently fed one.
const MaxStreams = 8

// Store holds one analyser per stream.
type Store struct {
	mu      sync.Mutex
	opts    hotkeys.Options
	max     int
	tick    uint64
	streams map[string]*entry
}

type entry struct {
	a    *hotkeys.Analyser
	used uint64
}

// New returns a Store analysing up to maxStreams streams (zero or less:
// MaxStreams), each with an analyser built from opts.
func New(maxStreams int, opts hotkeys.Options) *Store {
	if maxStreams <= 0 {
		maxStreams = MaxStreams
	}
	return &Store{opts: opts, max: maxStreams, streams: map[string]*entry{}}
}

// Analyser returns the stream's analyser, creating it when needed. A nil
// Store returns nil.
func (s *Store) Analyser(stream string) *hotkeys.Analyser {
	if s == nil {
		return nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.tick++
	e := s.streams[stream]
	if e == nil {
		s.evict()
		e = &entry{a: hotkeys.New(s.opts)}
		s.streams[stream] = e
	}
	e.used = s.tick
	return e.a
}

// Lookup returns the stream's analyser if the Store has one.
func (s *Store) Lookup(stream string) (*hotkeys.Analyser, bool) {
	if s == nil {
		return nil, false
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	e, ok := s.streams[stream]
	if !ok {
		return nil, false
	}
	return e.a, true
}

// AddBatch analyses a tail's batch of the stream. Safe on a nil Store.
func (s *Store) AddBatch(stream string, b kinesisx.Batch) {
	if s == nil || len(b.Records) == 0 {
		return
	}
	s.Analyser(stream).AddBatch(b)
}

// SetShards tells the stream's analyser the shards' hash ranges (its
// histograms and split previews need them). Safe on a nil Store.
func (s *Store) SetShards(stream string, shards []kinesisx.Shard) {
	if s == nil {
		return
	}
	s.Analyser(stream).SetShards(shards)
}

// evict drops the least recently used stream when the store is full.
func (s *Store) evict() {
	if len(s.streams) < s.max {
		return
	}
	var oldest string
	first := true
	var at uint64
	for k, e := range s.streams {
		if first || e.used < at {
			oldest, at, first = k, e.used, false
		}
	}
	delete(s.streams, oldest)
}
