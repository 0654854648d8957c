// Package calllog records every API call kinspect makes, for the TUI's
// command log (`:log`): when, which service and operation, the stream and
// shard it was about, how long it took with its retries, how it ended, and
// for a mutation the equivalent `aws kinesis ...` command.
//
// Attach Middleware(log) to kinesis.Options.APIOptions (and cloudwatch's).
// The Log is a bounded ring: the oldest entries give way. It is safe for
// concurrent use: SDK calls append from any goroutine while the UI polls
// Entries or Since from its own.
package calllog

import (
	"sync"
	"time"
)

// DefaultSize is how many entries a Log keeps unless told otherwise.
const DefaultSize = 1000

// Entry is one API call.
type Entry struct {
	Seq       uint64 // 1 for the first call logged, then counting up
	Time      time.Time
	Service   string // "Kinesis", "CloudWatch"
	Operation string // "PutRecords", "GetMetricData"
	Stream    string // stream name or ARN, when the input names one
	Shard     string // shard ID(s), when the input names them
	Consumer  string // consumer ARN or name, when the input names one
	Latency   time.Duration
	Attempts  int    // sends, retries included (1 when the SDK did not retry)
	Outcome   string // "ok", or the error code ("ProvisionedThroughputExceededException", "Canceled", ...)
	Message   string // the error's message, if any
	Mutation  bool   // the call changes the stream (put, split, register, ...)
	Command   string // for mutations, the equivalent AWS CLI command
}

// OK reports whether the call succeeded.
func (e Entry) OK() bool { return e.Outcome == OutcomeOK }

// OutcomeOK is the Outcome of a call that succeeded.
const OutcomeOK = "ok"

// Log is a bounded ring of entries. Build it with New.
type Log struct {
	mu   sync.Mutex
	ring []Entry
	next int    // where the next entry goes once the ring is full
	seq  uint64 // entries ever added
	now  func() time.Time
}

// Option configures a Log.
type Option func(*Log)

// WithClock replaces time.Now (tests).
func WithClock(now func() time.Time) Option {
	return func(l *Log) { l.now = now }
}

// New returns a Log keeping the last size entries (DefaultSize if size is
// not positive).
func New(size int, opts ...Option) *Log {
	if size <= 0 {
		size = DefaultSize
	}
	l := &Log{ring: make([]Entry, 0, size), now: time.Now}
	for _, o := range opts {
		o(l)
	}
	return l
}

// Add appends an entry, giving it the next Seq, and returns it.
func (l *Log) Add(e Entry) Entry {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.seq++
	e.Seq = l.seq
	if len(l.ring) < cap(l.ring) {
		l.ring = append(l.ring, e)
		return e
	}
	l.ring[l.next] = e
	l.next = (l.next + 1) % len(l.ring)
	return e
}

// Entries returns a copy of the kept entries, oldest first.
func (l *Log) Entries() []Entry {
	return l.Since(0)
}

// Since returns the kept entries with Seq greater than seq, oldest first:
// a view polls it with the last Seq it showed.
func (l *Log) Since(seq uint64) []Entry {
	l.mu.Lock()
	defer l.mu.Unlock()
	out := make([]Entry, 0, len(l.ring))
	for i := range l.ring {
		e := l.ring[(l.next+i)%len(l.ring)]
		if e.Seq > seq {
			out = append(out, e)
		}
	}
	return out
}

// Total is the number of calls ever logged; Total minus the kept entries
// is how many gave way.
func (l *Log) Total() uint64 {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.seq
}
