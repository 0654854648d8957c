package find

import (
	"context"
	"slices"
	"time"

	"github.com/kinspect/kinspect/kinesisx"
)

// ShardState is how far a search has read one shard.
type ShardState struct {
	ID string
	// Scanned counts the shard's records looked at (in the window).
	Scanned int
	// Reached is the latest arrival time looked at (zero before any).
	Reached time.Time
	// MillisBehindLatest is how far the shard's reads are from its tip.
	MillisBehindLatest int64
	// Done: the shard has passed Until, is at its tip, or is closed and
	// read to its end.
	Done bool
}

// ShardStates returns each shard that has reported, by ID.
func (s *Search) ShardStates() []ShardState {
	out := make([]ShardState, 0, len(s.shards))
	for id, p := range s.shards {
		out = append(out, ShardState{
			ID: id, Scanned: s.scanned[id], Reached: s.newest[id],
			MillisBehindLatest: p.MillisBehindLatest, Done: s.quiet(id),
		})
	}
	slices.SortFunc(out, func(a, b ShardState) int {
		switch {
		case a.ID < b.ID:
			return -1
		case a.ID > b.ID:
			return 1
		}
		return 0
	})
	return out
}

// Tail is the tail a search reads: *kinesisx.Tail has this shape.
type Tail interface {
	Batches() <-chan kinesisx.Batch
	Err() error
	Close()
}

// Report is what a running search says: the lines found since the last
// report and where it stands.
type Report struct {
	Lines            []Line
	Scanned, Matches int
	// Position is Search.Position.
	Position time.Time
	Shards   []ShardState
	// Done: the window is read, or Max matches were found.
	Done bool
	// Final is the last report (Done, or the tail ended); Err is then
	// the tail's error, if any.
	Final bool
	Err   error
}

// Run reads t into s and sends what it finds on out: a report as soon as
// a batch gives lines, otherwise at most one every `every` (the progress),
// and a final one when the search is done or the tail ends. It returns
// when ctx ends too (a search stopped or a screen closed), without a final
// report. It closes t, then out.
func Run(ctx context.Context, t Tail, s *Search, every time.Duration, out chan<- Report) {
	defer close(out)
	defer t.Close()
	var lines []Line
	var last time.Time
	send := func(r Report) bool {
		select {
		case out <- r:
			return true
		case <-ctx.Done():
			return false
		}
	}
	report := func() Report {
		r := Report{Lines: lines, Scanned: s.Scanned, Matches: s.Matches, Position: s.Position(), Shards: s.ShardStates(), Done: s.Done()}
		lines = nil
		return r
	}
	for {
		select {
		case <-ctx.Done():
			return
		case b, ok := <-t.Batches():
			if !ok {
				r := report()
				r.Final, r.Err = true, t.Err()
				send(r)
				return
			}
			lines = append(lines, s.Add(b)...)
			if s.Done() {
				r := report()
				r.Final = true
				send(r)
				return
			}
			if len(lines) == 0 && time.Since(last) < every {
				continue
			}
			last = time.Now()
			if !send(report()) {
				return
			}
		}
	}
}

// Start starts the tail a search reads: from from on the shards given,
// or, with none, on every shard of the stream, or only on the shard that
// issued q.Sequence. The search expects the shards the tail started with.
// The caller runs the search (Run, or its own loop) and closes the tail.
func Start(ctx context.Context, c *kinesisx.Client, stream string, shards []string, q Query, from kinesisx.StartPosition) (*kinesisx.Tail, *Search, error) {
	if q.Sequence != "" && len(shards) == 0 {
		all, err := c.ListShards(ctx, stream)
		if err != nil {
			return nil, nil, err
		}
		sh, err := c.ShardOfSequence(ctx, stream, all, q.Sequence)
		if err != nil {
			return nil, nil, err
		}
		shards = []string{sh.ID}
	}
	t, err := c.Tail(ctx, kinesisx.TailOptions{Stream: stream, Shards: shards, From: from})
	if err != nil {
		return nil, nil, err
	}
	s := New(q)
	s.Expect(t.Started())
	return t, s, nil
}
