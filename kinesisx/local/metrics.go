package local

import (
	"encoding/json"
	"maps"
	"math/rand/v2"
	"slices"
	"sort"
	"sync"
	"sync/atomic"
	"time"

	"github.com/kinspect/kinspect/kinesisx/local/cwserver"
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

// merge adds the samples of o (same minute) to b.
func (b *Bucket) merge(o Bucket) {
	b.Sum += o.Sum
	b.SampleCount += o.SampleCount
	b.Min = min(b.Min, o.Min)
	b.Max = max(b.Max, o.Max)
}

type seriesKey struct{ stream, shard, metric string }

// metricStripes is how many independently locked parts the store has (a
// power of two); streamSpread is how many of them one stream-level series
// is spread over, so that parallel writers to one stream rarely meet.
const (
	metricStripes = 64
	streamSpread  = 4
)

// metricStore keeps sparse per-minute buckets of the endpoint's traffic for
// each (stream, shard, metric); shard "" is the stream level. There is no
// lock over the whole store: series live in stripes chosen by a hash of
// their key, each with its own lock, and a stream-level series (which every
// writer to the stream adds to) is split over streamSpread stripes and
// merged when read. Which shard-level metrics each stream records is a map
// replaced whole on change, read without a lock.
type metricStore struct {
	stripes    [metricStripes]metricStripe
	monMu      sync.Mutex                        // serialises setMonitoring
	monitoring atomic.Pointer[map[string]uint32] // stream → shardMetricBit set
}

// metricStripe is one locked part of the store.
type metricStripe struct {
	mu     sync.Mutex
	series map[seriesKey][]Bucket // ascending by Start
	adds   int
	_      [40]byte // keeps neighbouring stripes' locks off one cache line
}

func newMetricStore() *metricStore { return &metricStore{} }

// stripe returns the index of the stripe of k, part i of its spread. It
// mixes the lengths and last bytes of the key's names rather than hashing
// them whole (the stripe's map hashes the key anyway): two series that mix
// alike share a lock, nothing more. Shard IDs differ in their last digits,
// metric names in length or last letters.
func stripe(k seriesKey, i uint32) uint32 {
	h := fmix(tail(k.stream) ^ uint32(len(k.stream))<<24)
	h = fmix(h ^ tail(k.metric) ^ uint32(len(k.metric))<<24)
	h = fmix(h ^ tail(k.shard))
	return (h + i) % metricStripes
}

// fmix is MurmurHash3's finaliser: every input bit moves every output bit.
func fmix(h uint32) uint32 {
	h ^= h >> 16
	h *= 0x85ebca6b
	h ^= h >> 13
	h *= 0xc2b2ae35
	return h ^ h>>16
}

// tail is the last four bytes of s as a number.
func tail(s string) uint32 {
	var t uint32
	for j := max(0, len(s)-4); j < len(s); j++ {
		t = t<<8 | uint32(s[j])
	}
	return t
}

// shardMetricBit is the bit of a shard-level metric in a stream's
// monitoring set (0 for a name that is not one).
func shardMetricBit(metric string) uint32 {
	switch metric {
	case "IncomingBytes":
		return 1 << 0
	case "IncomingRecords":
		return 1 << 1
	case "OutgoingBytes":
		return 1 << 2
	case "OutgoingRecords":
		return 1 << 3
	case "WriteProvisionedThroughputExceeded":
		return 1 << 4
	case "ReadProvisionedThroughputExceeded":
		return 1 << 5
	case "IteratorAgeMilliseconds":
		return 1 << 6
	}
	return 0
}

// setMonitoring sets the shard-level metrics recorded for a stream from now
// on (EnableEnhancedMonitoring and DisableEnhancedMonitoring; nil when the
// stream is deleted). Samples recorded before stay.
func (m *metricStore) setMonitoring(stream string, metrics []string) {
	var mask uint32
	for _, name := range metrics {
		mask |= shardMetricBit(name)
	}
	m.monMu.Lock()
	defer m.monMu.Unlock()
	next := map[string]uint32{}
	if cur := m.monitoring.Load(); cur != nil {
		maps.Copy(next, *cur)
	}
	if mask == 0 {
		delete(next, stream)
	} else {
		next[stream] = mask
	}
	m.monitoring.Store(&next)
}

// monitored reports whether a shard-level metric is recorded for stream.
func (m *metricStore) monitored(stream, metric string) bool {
	cur := m.monitoring.Load()
	return cur != nil && (*cur)[stream]&shardMetricBit(metric) != 0
}

// add records one sample v at t. A shard-level sample (shard not "") is
// recorded only while enhanced monitoring is on for its metric, as AWS
// publishes shard-level metrics only then.
func (m *metricStore) add(stream, shard, metric string, v float64, t time.Time) {
	k := seriesKey{stream, shard, metric}
	var part uint32
	if shard != "" {
		if !m.monitored(stream, metric) {
			return
		}
	} else {
		part = rand.Uint32() % streamSpread
	}
	m.stripes[stripe(k, part)].add(k, v, t)
}

func (st *metricStripe) add(k seriesKey, v float64, t time.Time) {
	minute := t.Truncate(time.Minute)
	st.mu.Lock()
	defer st.mu.Unlock()
	if st.series == nil {
		st.series = map[seriesKey][]Bucket{}
	}
	bs := st.series[k]
	if n := len(bs); n > 0 && bs[n-1].Start.Equal(minute) {
		bs[n-1].merge(Bucket{Sum: v, SampleCount: 1, Min: v, Max: v})
	} else if n == 0 || bs[n-1].Start.Before(minute) {
		bs = append(bs, Bucket{Start: minute, Sum: v, SampleCount: 1, Min: v, Max: v})
		cut := 0
		for cut < len(bs) && minute.Sub(bs[cut].Start) > metricRetention {
			cut++
		}
		if cut > 0 {
			bs = append(bs[:0:0], bs[cut:]...)
		}
		st.series[k] = bs
	}
	// (A sample for a minute older than the newest bucket comes from a clock
	// that went back; it is dropped.)
	st.adds++
	if st.adds%100000 == 0 {
		st.sweep(t)
	}
}

// sweep drops series with no data in the retention window. The caller
// holds st.mu.
func (st *metricStripe) sweep(now time.Time) {
	for k, bs := range st.series {
		if len(bs) == 0 || now.Sub(bs[len(bs)-1].Start) > metricRetention {
			delete(st.series, k)
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
// ReadProvisionedThroughputExceeded, WriteProvisionedThroughputExceeded,
// each recorded only while enhanced monitoring is on for it.
func (s *Server) MetricBuckets(stream, shardID, metric string, from, to time.Time) []Bucket {
	m := s.metrics
	k := seriesKey{stream, shardID, metric}
	parts := uint32(1)
	if shardID == "" {
		parts = streamSpread
	}
	var out []Bucket
	var newest time.Time
	for i := range parts {
		st := &m.stripes[stripe(k, i)]
		st.mu.Lock()
		bs := st.series[k]
		if n := len(bs); n > 0 && bs[n-1].Start.After(newest) {
			newest = bs[n-1].Start
		}
		j := sort.Search(len(bs), func(j int) bool { return !bs[j].Start.Before(from) })
		for ; j < len(bs) && bs[j].Start.Before(to); j++ {
			out = append(out, bs[j])
		}
		st.mu.Unlock()
	}
	// A part that has not been written to lately still holds minutes the
	// others have dropped.
	out = slices.DeleteFunc(out, func(b Bucket) bool { return newest.Sub(b.Start) > metricRetention })
	return mergeMinutes(out)
}

// mergeMinutes sorts buckets by minute and merges those of one minute.
func mergeMinutes(bs []Bucket) []Bucket {
	slices.SortStableFunc(bs, func(a, b Bucket) int { return a.Start.Compare(b.Start) })
	out := bs[:0]
	for _, b := range bs {
		if n := len(out); n > 0 && out[n-1].Start.Equal(b.Start) {
			out[n-1].merge(b)
			continue
		}
		out = append(out, b)
	}
	return out
}

// MetricSeries lists every metric the endpoint holds data for, with the
// start of its newest minute (CloudWatch's ListMetrics).
func (s *Server) MetricSeries() []cwserver.Series {
	last := map[seriesKey]time.Time{}
	for i := range s.metrics.stripes {
		st := &s.metrics.stripes[i]
		st.mu.Lock()
		for k, bs := range st.series {
			if n := len(bs); n > 0 && bs[n-1].Start.After(last[k]) {
				last[k] = bs[n-1].Start
			}
		}
		st.mu.Unlock()
	}
	out := make([]cwserver.Series, 0, len(last))
	for k, t := range last {
		out = append(out, cwserver.Series{Stream: k.stream, ShardID: k.shard, Metric: k.metric, Last: t})
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
