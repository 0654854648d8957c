package session

import (
	"github.com/kinspect/kinspect/kinesisx"
	"github.com/kinspect/kinspect/kinesisx/hotkeys"
)

// Traffic keeps what the UI has seen of each stream's traffic: one
// hotkeys.Analyser per stream, fed by every tail the screens run (the
// stream screen's live rates, the tail screen). The stream screen's
// hot-key panel reads it, and the split dialog proposes the traffic
// median from it and previews each child's load (hotkeys.SplitPreview).
//
// It is used on the event loop only (see the package comment): it has no
// lock of its own.
type Traffic struct {
	opts    hotkeys.Options
	max     int
	tick    uint64
	streams map[string]*entry
}

type entry struct {
	a    *hotkeys.Analyser
	used uint64
}

// MaxStreams is the default number of streams Traffic analyses; a new
// stream beyond it evicts the least recently fed one.
const MaxStreams = 8

// NewTraffic analyses up to maxStreams streams (zero or less:
// MaxStreams), each with an analyser built from opts.
func NewTraffic(maxStreams int, opts hotkeys.Options) *Traffic {
	if maxStreams <= 0 {
		maxStreams = MaxStreams
	}
	return &Traffic{opts: opts, max: maxStreams, streams: map[string]*entry{}}
}

// Analyser returns the stream's analyser, creating it when needed. A nil
// Traffic returns nil.
func (t *Traffic) Analyser(stream string) *hotkeys.Analyser {
	if t == nil {
		return nil
	}
	t.tick++
	e := t.streams[stream]
	if e == nil {
		t.evict()
		e = &entry{a: hotkeys.New(t.opts)}
		t.streams[stream] = e
	}
	e.used = t.tick
	return e.a
}

// Lookup returns the stream's analyser if there is one.
func (t *Traffic) Lookup(stream string) (*hotkeys.Analyser, bool) {
	if t == nil {
		return nil, false
	}
	e, ok := t.streams[stream]
	if !ok {
		return nil, false
	}
	return e.a, true
}

// AddBatch analyses a tail's batch of the stream. Safe on a nil Traffic.
func (t *Traffic) AddBatch(stream string, b kinesisx.Batch) {
	if t == nil || len(b.Records) == 0 {
		return
	}
	t.Analyser(stream).AddBatch(b)
}

// SetShards tells the stream's analyser the shards' hash ranges (its
// histograms and split previews need them). Safe on a nil Traffic.
func (t *Traffic) SetShards(stream string, shards []kinesisx.Shard) {
	if t == nil {
		return
	}
	t.Analyser(stream).SetShards(shards)
}

// evict drops the least recently used stream when the map is full.
func (t *Traffic) evict() {
	if len(t.streams) < t.max {
		return
	}
	var oldest string
	first := true
	var at uint64
	for k, e := range t.streams {
		if first || e.used < at {
			oldest, at, first = k, e.used, false
		}
	}
	delete(t.streams, oldest)
}
