package latency

import (
	"sort"
	"time"

	"github.com/kinspect/kinspect/kinesisx"
)

// ModeReport is what one read mode saw of the probes.
type ModeReport struct {
	Mode     kinesisx.Mode
	Consumer string // the EFO consumer the tail read through (deregistered since)
	// Seen counts the distinct probes received; Missing those never
	// received (of the probes put); Duplicates the records the tail
	// delivered twice (same shard and sequence number: a tail fault);
	// Repeated the probes the stream holds twice under two sequence numbers
	// (the SDK retried a put whose answer was lost), counted once.
	Seen, Missing, Duplicates, Repeated int
	// LastArrival is from the first probe's put to the receipt of the last
	// probe to arrive: the time to read the whole run.
	LastArrival time.Duration
	// Delivery latency (received minus put) over the probes seen, by
	// nearest rank: P50 is the smallest latency at least half the probes
	// had.
	Min, P50, P90, P99, Max, Mean time.Duration
	// MaxMillisBehindLatest is the largest MillisBehindLatest a shard
	// reported from the first put on.
	MaxMillisBehindLatest int64
	// Err says why the tail stopped early, if it did.
	Err string
	// Samples are the probes received, by index.
	Samples []Sample
}

// Complete reports whether every probe put arrived exactly once.
func (m ModeReport) Complete() bool { return m.Missing == 0 && m.Duplicates == 0 }

// Percentile returns the nearest-rank p-th percentile (0 < p ≤ 100) of
// sorted latencies: the smallest value at least p% of them do not exceed.
// It returns 0 for no values.
func Percentile(sorted []time.Duration, p float64) time.Duration {
	n := len(sorted)
	if n == 0 {
		return 0
	}
	rank := int(p/100*float64(n) + 0.999999999) // ceil, robust to p*n rounding
	return sorted[min(max(rank, 1), n)-1]
}

// report builds a mode's figures from its collector.
func (c *collector) report(put int, firstPut time.Time) ModeReport {
	c.mu.Lock()
	defer c.mu.Unlock()
	m := ModeReport{Mode: c.mode, Seen: len(c.samples), Duplicates: c.duplicates, Repeated: c.repeated, MaxMillisBehindLatest: c.maxBehind}
	m.Missing = max(put-m.Seen, 0)
	m.Samples = make([]Sample, 0, len(c.samples))
	for _, s := range c.samples {
		m.Samples = append(m.Samples, s)
	}
	sort.Slice(m.Samples, func(i, j int) bool { return m.Samples[i].Index < m.Samples[j].Index })
	lat := make([]time.Duration, len(m.Samples))
	var sum time.Duration
	var last time.Time
	for i, s := range m.Samples {
		lat[i] = s.Latency()
		sum += lat[i]
		if s.ReceivedAt.After(last) {
			last = s.ReceivedAt
		}
	}
	if len(lat) == 0 {
		return m
	}
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	m.Min, m.Max = lat[0], lat[len(lat)-1]
	m.P50, m.P90, m.P99 = Percentile(lat, 50), Percentile(lat, 90), Percentile(lat, 99)
	m.Mean = sum / time.Duration(len(lat))
	m.LastArrival = last.Sub(firstPut)
	return m
}
