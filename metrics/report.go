package metrics

import (
	"context"
	"fmt"
	"time"
)

// Per-shard limits of Kinesis Data Streams (KINESIS.md §1).
const (
	ShardInBytesPerSec   = 1 << 20 // 1 MiB/s in
	ShardInRecordsPerSec = 1000    // 1,000 records/s in
	ShardOutBytesPerSec  = 2 << 20 // 2 MiB/s out, shared by polling readers
)

// Point is one minute of a series. A nil field means CloudWatch had no data
// point for that minute, which is not the same as zero. Live marks a
// minute filled from a running tail rather than CloudWatch.
type Point struct {
	Minute                time.Time
	IncomingBytesPerSec   *float64
	IncomingRecordsPerSec *float64
	OutgoingBytesPerSec   *float64
	OutgoingRecordsPerSec *float64
	IteratorAgeMs         *float64 // Maximum over the minute
	WriteThrottled        *float64 // throttled records in the minute
	ReadThrottled         *float64 // throttled reads in the minute
	Live                  bool
}

// empty reports whether the point has no data at all.
func (p Point) empty() bool {
	return p.IncomingBytesPerSec == nil && p.IncomingRecordsPerSec == nil && p.OutgoingBytesPerSec == nil &&
		p.OutgoingRecordsPerSec == nil && p.IteratorAgeMs == nil && p.WriteThrottled == nil && p.ReadThrottled == nil
}

// ShardReport is one shard: the figures of its newest complete minute with data,
// their share of the shard's limits, and the whole window per minute.
type ShardReport struct {
	ID string
	// Point holds the newest complete minute with data, never the open
	// current one (Minute is zero, and every
	// figure nil, when the window has none).
	Point
	IncomingBytesUtilisation   *float64 // of 1 MiB/s
	IncomingRecordsUtilisation *float64 // of 1,000 records/s
	OutgoingBytesUtilisation   *float64 // of 2 MiB/s
	Series                     []Point  // every minute of the window, oldest first
}

// StreamReport is the stream-level view (always published, free).
type StreamReport struct {
	// Point is the newest minute with data; OutgoingBytes/RecordsPerSec are
	// GetRecords.Bytes/Records (polling reads only) and IteratorAgeMs is
	// GetRecords.IteratorAgeMilliseconds.
	Point
	GetRecordsLatencyMs        *float64
	PutRecordsLatencyMs        *float64
	PutRecordsThrottled        *float64 // PutRecords.ThrottledRecords in the minute
	PutRecordsFailed           *float64 // PutRecords.FailedRecords in the minute
	IncomingBytesUtilisation   *float64 // of 1 MiB/s × shards
	IncomingRecordsUtilisation *float64 // of 1,000 records/s × shards
	Series                     []Point
	Consumers                  []ConsumerReport
}

// ConsumerReport is one EFO consumer's newest minute with data.
type ConsumerReport struct {
	Name                 string
	Minute               time.Time
	BytesPerSec          *float64
	RecordsPerSec        *float64
	MillisBehindLatestMs *float64
}

// Report is what Stream returns.
type Report struct {
	Stream        string
	PeriodSeconds int
	Start, End    time.Time // the window, [Start, End)
	// EnhancedMonitoring says whether shard-level metrics are on. Without
	// it, Shards carry no figures: say so and offer `monitoring STREAM on`.
	EnhancedMonitoring bool
	Shards             []ShardReport
	// OpenShards is the stream's capacity in shards: the stream-level
	// utilisation is of OpenShards × the shard limits. It is the number
	// given with the OpenShards option, else len(Shards).
	OpenShards  int
	StreamLevel StreamReport
	Calls       int // GetMetricData calls planned (before paging)
}

type streamConfig struct {
	shardMetrics []string
	consumers    []string
	open         *int
}

// StreamOption adds what the caller knows to a Stream call.
type StreamOption func(*streamConfig)

// ShardLevel passes the stream's enhanced-monitoring metrics (as in
// kinesisx.Stream.ShardLevelMetrics; empty when off). Shard-level metrics
// are then queried only where on, and Report.EnhancedMonitoring is exact.
// Without it every shard-level metric is queried and EnhancedMonitoring
// means "some shard-level data came back".
func ShardLevel(metrics []string) StreamOption {
	return func(c *streamConfig) { c.shardMetrics = append([]string{}, metrics...) }
}

// OpenShards says how many of the stream's shards are open, when the
// shards listed include closed ones (they had traffic in the window): the
// stream's capacity counts only the open ones.
func OpenShards(n int) StreamOption {
	return func(c *streamConfig) { c.open = &n }
}

// Consumers adds the SubscribeToShardEvent.* metrics of these EFO
// consumers to the stream-level report.
func Consumers(names ...string) StreamOption {
	return func(c *streamConfig) { c.consumers = append(c.consumers, names...) }
}

// Stream reads the metrics of a stream and of the shards listed (in that
// order) over the last since (at least one minute) up to now's minute.
func (c *Client) Stream(ctx context.Context, stream string, shardIDs []string, since time.Duration, now time.Time, opts ...StreamOption) (Report, error) {
	var cfg streamConfig
	for _, o := range opts {
		o(&cfg)
	}
	p := buildPlan(stream, shardIDs, cfg.shardMetrics, cfg.consumers, since, now)
	vals, err := c.fetch(ctx, p)
	if err != nil {
		return Report{}, fmt.Errorf("metrics of %s: %w", stream, err)
	}
	r := Report{Stream: stream, PeriodSeconds: PeriodSeconds, Start: p.start, End: p.end, Calls: len(p.batches())}
	r.EnhancedMonitoring = len(cfg.shardMetrics) > 0
	for i, id := range shardIDs {
		sr := ShardReport{ID: id, Series: series(vals, p, func(k string) string { return shardID(i, k) })}
		sr.Point = newest(sr.Series, now)
		sr.IncomingBytesUtilisation = ratio(sr.IncomingBytesPerSec, ShardInBytesPerSec)
		sr.IncomingRecordsUtilisation = ratio(sr.IncomingRecordsPerSec, ShardInRecordsPerSec)
		sr.OutgoingBytesUtilisation = ratio(sr.OutgoingBytesPerSec, ShardOutBytesPerSec)
		if cfg.shardMetrics == nil && !sr.Minute.IsZero() {
			r.EnhancedMonitoring = true
		}
		r.Shards = append(r.Shards, sr)
	}
	r.OpenShards = len(shardIDs)
	if cfg.open != nil {
		r.OpenShards = *cfg.open
	}
	r.StreamLevel = streamReport(vals, p, r.OpenShards, cfg.consumers, now)
	return r, nil
}

func streamReport(vals values, p plan, shards int, consumers []string, now time.Time) StreamReport {
	s := StreamReport{Series: series(vals, p, streamID)}
	s.Point = newest(s.Series, now)
	if i, ok := minuteIndex(p, s.Minute); ok {
		s.GetRecordsLatencyMs = vals[streamID(kGetLatency)][i]
		s.PutRecordsLatencyMs = vals[streamID(kPutLatency)][i]
		s.PutRecordsThrottled = vals[streamID(kPutThrot)][i]
		s.PutRecordsFailed = vals[streamID(kPutFailed)][i]
	}
	if shards > 0 {
		s.IncomingBytesUtilisation = ratio(s.IncomingBytesPerSec, float64(shards)*ShardInBytesPerSec)
		s.IncomingRecordsUtilisation = ratio(s.IncomingRecordsPerSec, float64(shards)*ShardInRecordsPerSec)
	}
	for ci, name := range consumers {
		cr := ConsumerReport{Name: name}
		for i := p.minutes - 1; i >= 0; i-- {
			if !Complete(p.start.Add(time.Duration(i)*time.Minute), now) {
				continue
			}
			b, r, m := vals[consumerID(ci, kEventBytes)][i], vals[consumerID(ci, kEventRecs)][i], vals[consumerID(ci, kEventBehind)][i]
			if b != nil || r != nil || m != nil {
				cr.Minute = p.start.Add(time.Duration(i) * time.Minute)
				cr.BytesPerSec, cr.RecordsPerSec, cr.MillisBehindLatestMs = perSec(b), perSec(r), m
				break
			}
		}
		s.Consumers = append(s.Consumers, cr)
	}
	return s
}

// series builds one Point per minute from the values under id(kind).
func series(vals values, p plan, id func(kind string) string) []Point {
	kinds := []string{kInBytes, kInRecords, kOutBytes, kOutRecords, kAge, kWriteThrot, kReadThrot}
	cols := make([][]*float64, len(kinds))
	for k, kind := range kinds {
		cols[k] = vals[id(kind)] // nil when not queried
	}
	get := func(k, i int) *float64 {
		if cols[k] == nil {
			return nil
		}
		return cols[k][i]
	}
	out := make([]Point, p.minutes)
	rates := make([]float64, 0, 4*p.minutes) // backing for the per-second figures
	perSecond := func(sum *float64) *float64 {
		if sum == nil {
			return nil
		}
		rates = append(rates, *sum/PeriodSeconds)
		return &rates[len(rates)-1]
	}
	for i := range out {
		out[i] = Point{
			Minute:                p.start.Add(time.Duration(i) * time.Minute),
			IncomingBytesPerSec:   perSecond(get(0, i)),
			IncomingRecordsPerSec: perSecond(get(1, i)),
			OutgoingBytesPerSec:   perSecond(get(2, i)),
			OutgoingRecordsPerSec: perSecond(get(3, i)),
			IteratorAgeMs:         get(4, i),
			WriteThrottled:        get(5, i),
			ReadThrottled:         get(6, i),
		}
	}
	return out
}

// Complete reports whether the minute that starts at minute has ended by
// now. The current minute is still open: CloudWatch's figure for it (when
// it has one) is a partial Sum, which divided by 60 reads as a drop in
// traffic, so no headline figure ever comes from it.
func Complete(minute, now time.Time) bool {
	return !minute.Add(time.Minute).After(now)
}

// newest returns the newest complete point with any data, or the zero
// Point; the series keeps the open minute for the trends.
func newest(ps []Point, now time.Time) Point {
	for i := len(ps) - 1; i >= 0; i-- {
		if Complete(ps[i].Minute, now) && !ps[i].empty() {
			return ps[i]
		}
	}
	return Point{}
}

func minuteIndex(p plan, t time.Time) (int, bool) {
	if t.IsZero() || t.Before(p.start) || !t.Before(p.end) {
		return 0, false
	}
	return int(t.Sub(p.start) / time.Minute), true
}

// perSec turns a minute's Sum into a per-second rate.
func perSec(sum *float64) *float64 {
	if sum == nil {
		return nil
	}
	v := *sum / PeriodSeconds
	return &v
}

// ratio is v/limit, nil when v is.
func ratio(v *float64, limit float64) *float64 {
	if v == nil || limit <= 0 {
		return nil
	}
	r := *v / limit
	return &r
}
