package session

import (
	"context"
	"fmt"
	"time"

	"github.com/kinspect/kinspect/kinesisx"
	"github.com/kinspect/kinspect/metrics"
)

// The CloudWatch adapter: GetMetricData for AWS/Kinesis (package metrics)
// shaped as the screens ask for it: the stream screen's StreamMetrics,
// the streams list's StreamLoad, the :metrics screen's StreamReport.

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

// CloudWatch serves the screens from CloudWatch, the minutes it has not
// published yet filled from the session's live counts. Its methods run in
// Cmds: it is safe for concurrent use when its sources are.
type CloudWatch struct {
	k    Reader
	m    Source
	now  func() time.Time
	live *Live
}

// NewCloudWatch builds the adapter; live are the counts that fill the
// unpublished minutes (nil: no fill), now is the clock (nil: time.Now).
func NewCloudWatch(k Reader, m Source, live *Live, now func() time.Time) *CloudWatch {
	if now == nil {
		now = time.Now
	}
	return &CloudWatch{k: k, m: m, live: live, now: now}
}

// StreamMetrics implements the stream screen's Metrics: the last hour of the stream and
// of every shard listed (closed ones too: they had traffic in the hour).
func (a *CloudWatch) StreamMetrics(ctx context.Context, stream string) (metrics.StreamMetric, error) {
	st, ids, open, err := a.describe(ctx, stream)
	if err != nil {
		return metrics.StreamMetric{}, err
	}
	now := a.now()
	r, err := a.m.Stream(ctx, stream, ids, Window, now, metrics.ShardLevel(st.ShardLevelMetrics), metrics.OpenShards(len(open)))
	if err != nil {
		return metrics.StreamMetric{}, err
	}
	liveAt := a.live.Nowcast(stream, &r, open, now, metrics.DefaultLag)
	out := FromReport(r, now, metrics.DefaultLag)
	out.LiveAt = liveAt
	return out, nil
}

// describe reads the stream and lists its shards: every shard's ID
// (closed ones too: they may have had traffic in the window) and the open
// ones'.
func (a *CloudWatch) describe(ctx context.Context, stream string) (st kinesisx.Stream, ids, open []string, err error) {
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

// StreamLoad implements the streams list's Metrics: the stream's newest complete
// minute, and its open shards' when shard-level metrics on incoming
// traffic are on (listing the shards only then), so the hottest shard
// shows; without them, the stream's average per open shard.
func (a *CloudWatch) StreamLoad(ctx context.Context, st kinesisx.Stream) (metrics.Load, error) {
	var open []string
	opts := []metrics.StreamOption{metrics.ShardLevel(st.ShardLevelMetrics), metrics.OpenShards(st.OpenShards)}
	if incomingMonitored(st.ShardLevelMetrics) {
		list, err := a.k.ListShards(ctx, st.Name)
		if err != nil {
			return metrics.Load{}, fmt.Errorf("metrics: %w", err)
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
		return metrics.Load{}, err
	}
	return loadOf(r), nil
}

// loadOf picks the stream's figures and its hottest shard's from a report.
func loadOf(r metrics.Report) metrics.Load {
	sl := r.StreamLevel
	if sl.IncomingBytesPerSec == nil {
		return metrics.Load{}
	}
	l := metrics.Load{OK: true, Minute: sl.Minute, BytesPerSec: *sl.IncomingBytesPerSec,
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

// consumerLister is what the adapter uses, when the Reader has it, to add
// the EFO consumers' SubscribeToShardEvent.* figures to the :metrics
// screen (*kinesisx.Client has it).
type consumerLister interface {
	ListConsumers(ctx context.Context, streamARN string) ([]kinesisx.Consumer, error)
}

// StreamReport implements the :metrics screen's Source: the stream and every shard
// listed (closed ones too: they may have had traffic in the window) over
// window, shard-level metrics only where enhanced monitoring is on, the
// unpublished minutes filled from a running tail.
func (a *CloudWatch) StreamReport(ctx context.Context, stream string, window time.Duration) (metrics.Filled, error) {
	st, ids, open, err := a.describe(ctx, stream)
	if err != nil {
		return metrics.Filled{}, err
	}
	opts := []metrics.StreamOption{metrics.ShardLevel(st.ShardLevelMetrics), metrics.OpenShards(len(open))}
	if cl, ok := a.k.(consumerLister); ok && st.Consumers > 0 && st.ARN != "" {
		// The consumers' figures are a bonus: a failure to list them
		// must not hide the rest.
		if cs, err := cl.ListConsumers(ctx, st.ARN); err == nil && len(cs) > 0 {
			names := make([]string, 0, len(cs))
			for _, c := range cs {
				names = append(names, c.Name)
			}
			opts = append(opts, metrics.Consumers(names...))
		}
	}
	now := a.now()
	r, err := a.m.Stream(ctx, stream, ids, window, now, opts...)
	if err != nil {
		return metrics.Filled{}, err
	}
	liveAt := a.live.Nowcast(stream, &r, open, now, metrics.DefaultLag)
	return metrics.Filled{Report: r, Open: open, Now: now, Lag: metrics.DefaultLag, LiveAt: liveAt}, nil
}
