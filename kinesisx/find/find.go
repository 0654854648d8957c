// Package find searches a time window of a stream as a tail reads it: by
// partition key, sequence number or a pattern in the payload, with the
// records around each match as grep -C shows them. It only looks at the
// batches it is given; the caller runs the tail.
package find

import (
	"regexp"
	"time"

	"github.com/kinspect/kinspect/kinesisx"
	"github.com/kinspect/kinspect/kinesisx/payload"
)

// Query says what matches. Every criterion given must hold; with none,
// every record of the window matches.
type Query struct {
	// Key is a partition key, matched exactly (a KPL sub-record's own key).
	Key string
	// Sequence is a sequence number, matched exactly.
	Sequence string
	// Pattern is looked for in the payload as it is and with its gzip and
	// base64 wrappings undone (payload.Match).
	Pattern *regexp.Regexp
	// Decode, if set, turns a payload into text that Pattern is also
	// looked for in (protobuf as JSON); an error means nothing to add.
	Decode func(data []byte) ([]byte, error)
	// From starts the window: a record that arrived before it is not
	// looked at (a child shard read from its start). Zero: no start.
	From time.Time
	// Until ends the window: a record that arrived after it is not looked
	// at, and its shard is done. Zero leaves the window open.
	Until time.Time
	// Context is how many records of the same shard to show before and
	// after each match.
	Context int
	// Max stops the search after this many matches (and the context after
	// them); zero does not.
	Max int
}

// Match says whether r matches the query, whatever its arrival time.
func (q Query) Match(r kinesisx.Record) bool {
	switch {
	case q.Key != "" && r.PartitionKey != q.Key:
		return false
	case q.Sequence != "" && r.SequenceNumber != q.Sequence:
		return false
	case q.Pattern != nil && !q.matchPayload(r.Data):
		return false
	}
	return true
}

func (q Query) matchPayload(data []byte) bool {
	if payload.Match(q.Pattern, data) {
		return true
	}
	if q.Decode == nil {
		return false
	}
	text, err := q.Decode(data)
	return err == nil && q.Pattern.Match(text)
}

// Line is a record to show: a match, or context around one.
type Line struct {
	Record kinesisx.Record
	Match  bool
}

// Search follows a tail's batches through the window.
type Search struct {
	q      Query
	before map[string][]kinesisx.Record // per shard, the last records not shown
	after  map[string]int               // per shard, records still to show after a match
	shards map[string]kinesisx.ShardProgress
	past   map[string]bool // shards that reached Until
	expect []string        // shards that must report before the window can end early
	caught bool

	newest  map[string]time.Time // per shard, the latest arrival looked at
	scanned map[string]int       // per shard, the records looked at

	// Scanned counts the records looked at, Matches those that matched.
	Scanned, Matches int
}

// New starts a search.
func New(q Query) *Search {
	return &Search{
		q: q, before: map[string][]kinesisx.Record{}, after: map[string]int{},
		shards: map[string]kinesisx.ShardProgress{}, past: map[string]bool{},
		newest: map[string]time.Time{}, scanned: map[string]int{},
	}
}

// Expect names the shards the tail started with (Tail.Started): the
// window does not end early before each has reported.
func (s *Search) Expect(shards []string) { s.expect = shards }

// Add looks at a batch and returns what to show of it, in the batch's
// order: each match, up to Context records of its shard before it that were
// not shown yet, and up to Context after it.
func (s *Search) Add(b kinesisx.Batch) []Line {
	for id, p := range b.Shards {
		s.shards[id] = p
	}
	s.caught = b.CaughtUp
	var out []Line
	for _, r := range b.Records {
		if !s.q.Until.IsZero() && r.ArrivedAt.After(s.q.Until) {
			s.past[r.ShardID] = true
			s.after[r.ShardID] = 0 // no context from past the window
			continue
		}
		if s.past[r.ShardID] {
			continue // arrival times are not strictly ordered: keep to the first
		}
		if r.ArrivedAt.Before(s.q.From) {
			continue
		}
		s.Scanned++
		id := r.ShardID
		s.scanned[id]++
		if r.ArrivedAt.After(s.newest[id]) {
			s.newest[id] = r.ArrivedAt
		}
		if !s.full() && s.q.Match(r) {
			s.Matches++
			for _, c := range s.before[id] {
				out = append(out, Line{Record: c})
			}
			s.before[id] = s.before[id][:0]
			out = append(out, Line{Record: r, Match: true})
			s.after[id] = s.q.Context
			continue
		}
		if s.after[id] > 0 {
			s.after[id]--
			out = append(out, Line{Record: r})
			continue
		}
		if s.q.Context > 0 {
			ring := append(s.before[id], r)
			if len(ring) > s.q.Context {
				ring = append(ring[:0], ring[len(ring)-s.q.Context:]...)
			}
			s.before[id] = ring
		}
	}
	return out
}

// Pending says whether some match still waits for records after it from
// a shard that can still give them (one behind its tip, not past Until).
func (s *Search) Pending() bool {
	for id, n := range s.after {
		if n > 0 && !s.quiet(id) {
			return true
		}
	}
	return false
}

// full says whether Max matches have been found.
func (s *Search) full() bool { return s.q.Max > 0 && s.Matches >= s.q.Max }

// quiet says whether a shard will give no more records in the window: it
// has passed Until, or it is at its tip, or it is closed and read to its end.
func (s *Search) quiet(id string) bool {
	p := s.shards[id]
	return s.past[id] || p.Closed || p.MillisBehindLatest == 0
}

// Done says whether the search is over: Max matches were shown with the
// context after them, or the window has been read. The window is read when
// the tail is caught up, or when every shard the tail started with has
// reported and every shard is quiet, a closed one only once each of its
// children has reported too (their records may still fall in the window).
func (s *Search) Done() bool {
	if s.caught || (s.full() && !s.Pending()) {
		return true
	}
	if len(s.shards) == 0 {
		return false
	}
	for _, id := range s.expect {
		if _, ok := s.shards[id]; !ok && !s.past[id] {
			return false
		}
	}
	for id, p := range s.shards {
		if !s.quiet(id) {
			return false
		}
		if p.Closed && !s.past[id] {
			for _, ch := range p.Children {
				if _, ok := s.shards[ch]; !ok {
					return false
				}
			}
		}
	}
	return true
}

// Position is how far the search has come: the arrival time reached by
// the slowest shard still being read (zero before any record).
func (s *Search) Position() time.Time {
	var pos time.Time
	for id, t := range s.newest {
		if p := s.shards[id]; s.past[id] || (p.MillisBehindLatest == 0 && !p.Closed) {
			continue
		}
		if pos.IsZero() || t.Before(pos) {
			pos = t
		}
	}
	if pos.IsZero() {
		for _, t := range s.newest {
			if t.After(pos) {
				pos = t
			}
		}
	}
	return pos
}

// Shards returns how many shards have reported.
func (s *Search) Shards() int { return len(s.shards) }
