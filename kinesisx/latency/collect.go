package latency

import (
	"fmt"
	"sync"
	"time"

	"github.com/kinspect/kinspect/kinesisx"
)

// Sample is one probe as one mode received it.
type Sample struct {
	Index      int
	PutAt      time.Time
	ReceivedAt time.Time // when the tail's reader received it from the service
}

// Latency is the probe's delivery latency: received minus put.
func (s Sample) Latency() time.Duration { return s.ReceivedAt.Sub(s.PutAt) }

// collector drains one tail: it recognises the run's probes, keeps the
// first receipt of each, counts duplicates, follows MillisBehindLatest, and
// says when every target shard has reported (the tail is reading) and when
// every probe has arrived.
type collector struct {
	mode   kinesisx.Mode
	run    string
	total  int
	shards map[string]bool // targets not yet reported

	ready chan struct{} // closed once every target shard reported
	done  chan struct{} // closed once every probe arrived

	mu         sync.Mutex
	samples    map[int]Sample
	delivered  map[string]bool // shard/sequence/subsequence of each record seen
	duplicates int             // records the tail delivered twice
	repeated   int             // probes the stream holds twice (a producer retry)
	maxBehind  int64
	measuring  bool // MillisBehindLatest counts from the first put on
}

func newCollector(mode kinesisx.Mode, run string, total int, shards []string) *collector {
	c := &collector{mode: mode, run: run, total: total, shards: map[string]bool{},
		ready: make(chan struct{}), done: make(chan struct{}), samples: make(map[int]Sample, total), delivered: make(map[string]bool, total)}
	for _, s := range shards {
		c.shards[s] = true
	}
	return c
}

// drain reads the tail until its batches end.
func (c *collector) drain(t *kinesisx.Tail, now func() time.Time) {
	for b := range t.Batches() {
		c.take(b, now())
	}
}

func (c *collector) take(b kinesisx.Batch, now time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.shards) > 0 {
		for id := range b.Shards {
			delete(c.shards, id)
		}
		if len(c.shards) == 0 {
			close(c.ready)
		}
	}
	if c.measuring {
		for _, p := range b.Shards {
			c.maxBehind = max(c.maxBehind, p.MillisBehindLatest)
		}
	}
	for _, r := range b.Records {
		p, ok := parseProbe(c.run, r)
		if !ok || p.Index >= c.total {
			continue
		}
		id := fmt.Sprintf("%s/%s/%d", r.ShardID, r.SequenceNumber, r.SubSequence)
		if c.delivered[id] {
			c.duplicates++
			continue
		}
		c.delivered[id] = true
		if _, seen := c.samples[p.Index]; seen {
			// The same probe under another sequence number: the put was
			// retried after its answer was lost. The first arrival counts.
			c.repeated++
			continue
		}
		rec := r.ReceivedAt
		if rec.IsZero() {
			rec = now
		}
		c.samples[p.Index] = Sample{Index: p.Index, PutAt: time.Unix(0, p.PutNs), ReceivedAt: rec}
		if len(c.samples) == c.total {
			close(c.done)
		}
	}
}

// startMeasuring makes MillisBehindLatest count from now on.
func (c *collector) startMeasuring() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.measuring = true
}

func (c *collector) seen() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.samples)
}
