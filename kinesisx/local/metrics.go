package local

import (
	"encoding/json"
	"sort"
	"sync"
	"time"
)

// metricRetention is how much per-minute history the endpoint keeps.
const metricRetention = 3 * time.Hour

// Bucket is one minute of one metric, as CloudWatch aggregates it.
type Bucket struct {
	Start       time.Time // the minute, truncated
	Sum         float64
	SampleCount float64
	Min, Max    float64
}

type seriesKey struct{ stream, shard, metric string }

// metricStore keeps sparse per-minute buckets of the endpoint's traffic for
// each (stream, shard, metric); shard "" is the stream level.
type metricStore struct {
	mu     sync.Mutex
	series map[seriesKey][]Bucket // ascending by Start
	adds   int
}

func newMetricStore() *metricStore {
	return &metricStore{series: map[seriesKey][]Bucket{}}
}

// add records one sample v at t.
func (m *metricStore) add(stream, shard, metric string, v float64, t time.Time) {
	minute := t.Truncate(time.Minute)
	k := seriesKey{stream, shard, metric}
	m.mu.Lock()
	defer m.mu.Unlock()
	bs := m.series[k]
	if n := len(bs); n > 0 && bs[n-1].Start.Equal(minute) {
		b := &bs[n-1]
		b.Sum += v
		b.SampleCount++
		b.Min = min(b.Min, v)
		b.Max = max(b.Max, v)
	} else if n == 0 || bs[n-1].Start.Before(minute) {
		bs = append(bs, Bucket{Start: minute, Sum: v, SampleCount: 1, Min: v, Max: v})
		cut := 0
		for cut < len(bs) && minute.Sub(bs[cut].Start) > metricRetention {
			cut++
		}
		if cut > 0 {
			bs = append(bs[:0:0], bs[cut:]...)
		}
		m.series[k] = bs
	}
	// (A sample for a minute older than the newest bucket comes from a clock
	// that went back; it is dropped.)
	m.adds++
	if m.adds%100000 == 0 {
		m.sweep(t)
	}
}

// sweep drops series with no data in the retention window. The caller
// holds m.mu.
func (m *metricStore) sweep(now time.Time) {
	for k, bs := range m.series {
		if len(bs) == 0 || now.Sub(bs[len(bs)-1].Start) > metricRetention {
			delete(m.series, k)
		}
	}
}

// addIncoming records accepted writes at stream and shard level.
func (m *metricStore) addIncoming(stream, shard string, bytes, records float64, t time.Time) {
	m.add(stream, "", "IncomingBytes", bytes, t)
	m.add(stream, "", "IncomingRecords", records, t)
	m.add(stream, shard, "IncomingBytes", bytes, t)
	m.add(stream, shard, "IncomingRecords", records, t)
}

// MetricBuckets returns the per-minute buckets of one metric with Start in
// [from, to), oldest first; minutes without data are absent, as in
// CloudWatch. shardID "" selects the stream-level metric.
//
// Stream level: IncomingBytes, IncomingRecords, GetRecords.Bytes,
// GetRecords.Records, GetRecords.IteratorAgeMilliseconds, GetRecords.Success,
// ReadProvisionedThroughputExceeded, WriteProvisionedThroughputExceeded,
// PutRecord.{Bytes,Latency,Success}, PutRecords.{Bytes,Latency,Success,
// TotalRecords,SuccessfulRecords,FailedRecords,ThrottledRecords}.
// Shard level: IncomingBytes, IncomingRecords, OutgoingBytes,
// OutgoingRecords (GetRecords and EFO), IteratorAgeMilliseconds,
// ReadProvisionedThroughputExceeded, WriteProvisionedThroughputExceeded.
// Shard-level data is kept whether or not enhanced monitoring is on; the
// CloudWatch front end decides what to show (see EnhancedMonitoring).
func (s *Server) MetricBuckets(stream, shardID, metric string, from, to time.Time) []Bucket {
	m := s.metrics
	m.mu.Lock()
	defer m.mu.Unlock()
	bs := m.series[seriesKey{stream, shardID, metric}]
	i := sort.Search(len(bs), func(i int) bool { return !bs[i].Start.Before(from) })
	var out []Bucket
	for ; i < len(bs) && bs[i].Start.Before(to); i++ {
		out = append(out, bs[i])
	}
	return out
}

// metricThrottle records an injected throttle of a polling read or a
// write, best effort from the request body.
func (s *Server) metricThrottle(op string, body []byte, now time.Time) {
	var in struct {
		StreamName, StreamARN, ShardIterator string
	}
	if json.Unmarshal(body, &in) != nil {
		return
	}
	if op == "GetRecords" {
		it, err := decodeIterator(in.ShardIterator)
		if err != nil {
			return
		}
		s.metrics.add(it.stream, "", "ReadProvisionedThroughputExceeded", 1, now)
		return
	}
	if name, err := streamName(in.StreamName, in.StreamARN); err == nil {
		s.metrics.add(name, "", "WriteProvisionedThroughputExceeded", 1, now)
	}
}
