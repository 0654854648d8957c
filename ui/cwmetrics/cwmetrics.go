// Package cwmetrics adapts the metrics package (CloudWatch GetMetricData
// for AWS/Kinesis) to the small interfaces the screens declare:
// shards.Metrics for the stream screen and streams.Metrics for the
// streams list. Its only state is the live counts of running tails
// (Observe, see live.go), behind a mutex: it is safe for concurrent use
// when its sources are.
package cwmetrics

import (
	"context"
	"fmt"
	"time"

	"github.com/kinspect/kinspect/kinesisx"
	"github.com/kinspect/kinspect/metrics"
	"github.com/kinspect/kinspect/ui/shards"
	"github.com/kinspect/kinspect/ui/streams"
)

// Window is how far back the stream screen's trends go.
const Window = time.Hour

// listWindow is the window of the streams list: enough to find the newest
// published minute despite CloudWatch's lag.
const listWindow = 6 * time.Minute

// Reader describes streams and lists shards; *kinesisx.Client satisfies it.
type Reader interface {
	DescribeStream(ctx context.Context, stream string) (kinesisx.Stream, error)
	ListShards(ctx context.Context, stream string) ([]kinesisx.Shard, error)
}

// Source reads CloudWatch; *metrics.Client satisfies it.
type Source interface {
	Stream(ctx context.Context, stream string, shardIDs []string, since time.Duration, now time.Time, opts ...metrics.StreamOption) (metrics.Report, error)
}

// Adapter serves the screens from CloudWatch.
type Adapter struct {
	k    Reader
	m    Source
	now  func() time.Time
	live liveSet
}

// New builds an Adapter; now is the clock (nil: time.Now).
func New(k Reader, m Source, now func() time.Time) *Adapter {
	if now == nil {
		now = time.Now
	}
	return &Adapter{k: k, m: m, now: now}
}

// StreamMetrics implements shards.Metrics: the last hour of the stream and
// of every shard listed (closed ones too: they had traffic in the hour).
func (a *Adapter) StreamMetrics(ctx context.Context, stream string) (shards.StreamMetric, error) {
	st, ids, open, err := a.describe(ctx, stream)
	if err != nil {
		return shards.StreamMetric{}, err
	}
	now := a.now()
	r, err := a.m.Stream(ctx, stream, ids, Window, now, metrics.ShardLevel(st.ShardLevelMetrics), metrics.OpenShards(len(open)))
	if err != nil {
		return shards.StreamMetric{}, err
	}
	liveAt := a.nowcast(stream, &r, open, now, metrics.DefaultLag)
	out := FromReport(r, now, metrics.DefaultLag)
	out.LiveAt = liveAt
	return out, nil
}

// describe reads the stream and lists its shards: every shard's ID
// (closed ones too: they may have had traffic in the window) and the open
// ones'.
func (a *Adapter) describe(ctx context.Context, stream string) (st kinesisx.Stream, ids, open []string, err error) {
	st, err = a.k.DescribeStream(ctx, stream)
	if err != nil {
		return st, nil, nil, fmt.Errorf("metrics: %w", err)
	}
	list, err := a.k.ListShards(ctx, stream)
	if err != nil {
		return st, nil, nil, fmt.Errorf("metrics: %w", err)
	}
	ids = make([]string, 0, len(list))
	for _, s := range list {
		ids = append(ids, s.ID)
		if s.Open {
			open = append(open, s.ID)
		}
	}
	return st, ids, open, nil
}

// StreamLoad implements streams.Metrics: the stream's newest complete
// minute, and its open shards' when shard-level metrics on incoming
// traffic are on (listing the shards only then), so the hottest shard
// shows; without them, the stream's average per open shard.
func (a *Adapter) StreamLoad(ctx context.Context, st kinesisx.Stream) (streams.Load, error) {
	var open []string
	opts := []metrics.StreamOption{metrics.ShardLevel(st.ShardLevelMetrics), metrics.OpenShards(st.OpenShards)}
	if incomingMonitored(st.ShardLevelMetrics) {
		list, err := a.k.ListShards(ctx, st.Name)
		if err != nil {
			return streams.Load{}, fmt.Errorf("metrics: %w", err)
		}
		for _, s := range list {
			if s.Open {
				open = append(open, s.ID)
			}
		}
		opts[1] = metrics.OpenShards(len(open))
	}
	r, err := a.m.Stream(ctx, st.Name, open, listWindow, a.now(), opts...)
	if err != nil {
		return streams.Load{}, err
	}
	return loadOf(r), nil
}

// loadOf picks the stream's figures and its hottest shard's from a report.
func loadOf(r metrics.Report) streams.Load {
	sl := r.StreamLevel
	if sl.IncomingBytesPerSec == nil {
		return streams.Load{}
	}
	l := streams.Load{OK: true, Minute: sl.Minute, BytesPerSec: *sl.IncomingBytesPerSec,
		HotBytes: val(sl.IncomingBytesUtilisation), HotRecords: val(sl.IncomingRecordsUtilisation)}
	hottest, hot := -1.0, l
	hot.HotBytes, hot.HotRecords = 0, 0
	for _, s := range r.Shards {
		if s.IncomingBytesUtilisation == nil && s.IncomingRecordsUtilisation == nil {
			continue // no complete minute of this shard: it says nothing
		}
		b, rec := val(s.IncomingBytesUtilisation), val(s.IncomingRecordsUtilisation)
		hot.HotBytes, hot.HotRecords = max(hot.HotBytes, b), max(hot.HotRecords, rec)
		if top := max(b, rec); top > hottest {
			hottest, hot.HotShard = top, s.ID
		}
	}
	if hot.HotShard == "" {
		return l // shard-level metrics off, or no shard figure: the stream's average
	}
	return hot
}

// incomingMonitored reports whether enhanced monitoring covers incoming
// bytes or records.
func incomingMonitored(shardLevel []string) bool {
	for _, m := range shardLevel {
		switch m {
		case "ALL", "IncomingBytes", "IncomingRecords":
			return true
		}
	}
	return false
}

// FromReport turns a report into the stream screen's figures: the newest
// complete minute with data (never the open one), per-minute trends (NaN
// where there is no data point, and for the open minute unless a tail
// filled it), and the trailing minutes CloudWatch has not published yet
// (the open one, and those that ended less than lag before now without
// CloudWatch's figure).
func FromReport(r metrics.Report, now time.Time, lag time.Duration) shards.StreamMetric {
	sl := r.StreamLevel
	out := shards.StreamMetric{
		InBytes: val(sl.IncomingBytesPerSec), InRecords: val(sl.IncomingRecordsPerSec),
		IteratorAgeMs:  int64(val(sl.IteratorAgeMs)),
		WriteThrottled: val(sl.WriteThrottled), ReadThrottled: val(sl.ReadThrottled),
		Minute:   sl.Minute,
		Trend:    trend(sl.Series, now),
		LiveMask: liveMask(sl.Series),
		Pending:  metrics.PendingMinutes(sl.Series, now, lag),
		Enhanced: r.EnhancedMonitoring,
		Shards:   make(map[string]shards.ShardMetric, len(r.Shards)),
	}
	for i := len(sl.Series) - 1; i >= len(sl.Series)-out.Pending; i-- {
		if sl.Series[i].Live {
			out.Live++
		}
	}
	for _, s := range r.Shards {
		if s.Minute.IsZero() && !hasLive(s.Series) {
			continue // no complete data point in the window (enhanced monitoring off, or only the open minute)
		}
		out.Shards[s.ID] = shards.ShardMetric{
			InBytes: val(s.IncomingBytesPerSec), InRecords: val(s.IncomingRecordsPerSec), OutBytes: val(s.OutgoingBytesPerSec),
			IteratorAgeMs:  int64(val(s.IteratorAgeMs)),
			WriteThrottled: val(s.WriteThrottled), ReadThrottled: val(s.ReadThrottled),
			Minute: s.Minute,
			Trend:  trend(s.Series, now), LiveMask: liveMask(s.Series), Pending: metrics.PendingMinutes(s.Series, now, lag),
		}
	}
	return out
}

// hasLive reports whether a tail filled any minute of the series.
func hasLive(ps []metrics.Point) bool {
	for _, p := range ps {
		if p.Live {
			return true
		}
	}
	return false
}

func val(p *float64) float64 {
	if p == nil {
		return 0
	}
	return *p
}

// liveMask marks the points filled from a tail; nil when there are none.
func liveMask(ps []metrics.Point) []bool {
	var out []bool
	for i, p := range ps {
		if p.Live {
			if out == nil {
				out = make([]bool, len(ps))
			}
			out[i] = true
		}
	}
	return out
}

// trend is the incoming bytes/s per minute, NaN where there is no data
// and for the open minute's partial figure.
func trend(ps []metrics.Point, now time.Time) []float64 {
	out := make([]float64, len(ps))
	for i, p := range ps {
		out[i] = metrics.TrendValue(p, now)
	}
	return out
}
