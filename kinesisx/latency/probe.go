package latency

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"sync"
	"time"

	"github.com/kinspect/kinspect/kinesisx"
)

// KeyPrefix starts the partition key of every probe record, followed by
// the run ID, so that probes are recognisable in any tail.
const KeyPrefix = "kinspect-probe-"

// probe is the payload of one probe record.
type probe struct {
	Run   string `json:"kinspectProbe"`
	Index int    `json:"index"`
	PutNs int64  `json:"putUnixNano"`
}

// parseProbe reads a record of run, or says it is not one.
func parseProbe(run string, r kinesisx.Record) (probe, bool) {
	if r.PartitionKey != KeyPrefix+run || !bytes.Contains(r.Data, []byte(run)) {
		return probe{}, false
	}
	var p probe
	if err := json.Unmarshal(r.Data, &p); err != nil || p.Run != run || p.Index < 0 || p.PutNs <= 0 {
		return probe{}, false
	}
	return p, true
}

// schedule paces the probes of all shards together: probe g is due at
// start + g/rate. Shard j of n sends probes j, j+n, j+2n, ...
type schedule struct {
	start time.Time
	rate  float64
	total int
	now   func() time.Time

	mu       sync.Mutex
	firstPut time.Time
	lastPut  time.Time
}

func (s *schedule) due(g int) time.Time {
	return s.start.Add(time.Duration(float64(g) / s.rate * float64(time.Second)))
}

// stamp records a put time and returns it. The time is stripped of its
// monotonic reading: it travels in the payload as wall-clock nanoseconds,
// and the report's put times must equal the ones decoded from probes.
func (s *schedule) stamp() time.Time {
	t := s.now().Round(0)
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.firstPut.IsZero() || t.Before(s.firstPut) {
		s.firstPut = t
	}
	if t.After(s.lastPut) {
		s.lastPut = t
	}
	return t
}

func (s *schedule) span() (first, last time.Time) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.firstPut, s.lastPut
}

// shardSource gives the probes of one shard to kinesisx.Put. Next blocks
// until the probe is due and stamps it then, so that its put time is the
// moment it leaves; Ready tells Put not to wait for a probe that is not
// due yet but to send what it has (Put looks for a Ready method).
type shardSource struct {
	ctx    context.Context
	run    string
	sched  *schedule
	shard  int // j
	shards int // n
	wait   func(ctx context.Context, d time.Duration) error
	last   int // the last seq drawn (Put draws from one goroutine)
}

func (s *shardSource) index(seq int) int { return (seq-1)*s.shards + s.shard }

// Count is how many probes this source sends.
func (s *shardSource) count() int {
	if s.shard >= s.sched.total {
		return 0
	}
	return (s.sched.total-s.shard-1)/s.shards + 1
}

// Next returns probe seq of this shard once it is due.
func (s *shardSource) Next(info kinesisx.RecordInfo) ([]byte, error) {
	g := s.index(info.Seq)
	if err := s.wait(s.ctx, s.sched.due(g).Sub(s.sched.now())); err != nil {
		return nil, fmt.Errorf("probe %d: %w", g, err)
	}
	s.last = info.Seq
	t := s.sched.stamp()
	return json.Marshal(probe{Run: s.run, Index: g, PutNs: t.UnixNano()})
}

// Ready reports whether the next probe is due already; it is only asked
// after a probe was drawn, so the next one is the one after the last.
func (s *shardSource) Ready() bool {
	return !s.sched.now().Before(s.sched.due(s.index(s.last + 1)))
}
