package local

import (
	"fmt"
	"slices"
	"time"
)

// BackfillMetric adds past minutes to one metric of a stream, as if
// traffic had flowed then, so that GetMetricData (and MetricBuckets) shows
// history the endpoint never served: kinspect demo starts with an hour of
// it. Each bucket is merged into the minute it starts in (truncated), with
// what that minute already holds. shardID "" is the stream level.
//
// A shard-level metric is taken only while enhanced monitoring is on for
// it, as the endpoint records live shard-level samples only then: a
// backfill stands for traffic seen with the stream's monitoring as it is
// now, so turn it on first. Buckets must start before the current minute
// (which live traffic fills) and within the 3 hours of metrics the endpoint
// keeps; the stream, and a shard, must exist. Nothing is added on error.
func (s *Server) BackfillMetric(stream, shardID, metric string, buckets []Bucket) error {
	now := s.opts.Now()
	st, err := s.store.get(stream, now)
	if err != nil {
		return fmt.Errorf("backfill %s: %w", metric, err)
	}
	if shardID != "" {
		if _, err := st.shard(shardID); err != nil {
			return fmt.Errorf("backfill %s: %w", metric, err)
		}
		if shardMetricBit(metric) == 0 {
			return fmt.Errorf("backfill %s of %s: not a shard-level metric", metric, shardID)
		}
		if !s.metrics.monitored(stream, metric) {
			return fmt.Errorf("backfill %s of %s: enhanced monitoring of %s is off for stream %s", metric, shardID, metric, stream)
		}
	}
	current := now.Truncate(time.Minute)
	add := make([]Bucket, len(buckets))
	for i, b := range buckets {
		b.Start = b.Start.Truncate(time.Minute)
		if !b.Start.Before(current) {
			return fmt.Errorf("backfill %s: minute %s is not in the past", metric, b.Start.UTC().Format(time.RFC3339))
		}
		if current.Sub(b.Start) > metricRetention {
			return fmt.Errorf("backfill %s: minute %s is older than the %s of metrics kept", metric, b.Start.UTC().Format(time.RFC3339), metricRetention)
		}
		if b.SampleCount <= 0 {
			return fmt.Errorf("backfill %s: minute %s has no samples", metric, b.Start.UTC().Format(time.RFC3339))
		}
		add[i] = b
	}
	s.metrics.backfill(seriesKey{stream, shardID, metric}, add, now)
	return nil
}

// backfill merges past buckets into k's series (part 0 of a stream-level
// spread: MetricBuckets merges the parts) and drops what falls out of the
// retention.
func (m *metricStore) backfill(k seriesKey, add []Bucket, now time.Time) {
	st := &m.stripes[stripe(k, 0)]
	st.mu.Lock()
	defer st.mu.Unlock()
	if st.series == nil {
		st.series = map[seriesKey][]Bucket{}
	}
	bs := mergeMinutes(append(slices.Clone(st.series[k]), add...))
	bs = slices.DeleteFunc(bs, func(b Bucket) bool { return now.Sub(b.Start) > metricRetention })
	st.series[k] = bs
}
