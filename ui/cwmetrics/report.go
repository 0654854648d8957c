package cwmetrics

import (
	"context"
	"time"

	"github.com/kinspect/kinspect/kinesisx"
	"github.com/kinspect/kinspect/metrics"
	"github.com/kinspect/kinspect/ui/metricsview"
)

// consumerLister is what the adapter uses, when the Reader has it, to add
// the EFO consumers' SubscribeToShardEvent.* figures to the :metrics
// screen (*kinesisx.Client has it).
type consumerLister interface {
	ListConsumers(ctx context.Context, streamARN string) ([]kinesisx.Consumer, error)
}

// StreamReport implements metricsview.Source: the stream and every shard
// listed (closed ones too: they may have had traffic in the window) over
// window, shard-level metrics only where enhanced monitoring is on, the
// unpublished minutes filled from a running tail.
func (a *Adapter) StreamReport(ctx context.Context, stream string, window time.Duration) (metricsview.Data, error) {
	st, ids, open, err := a.describe(ctx, stream)
	if err != nil {
		return metricsview.Data{}, err
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
		return metricsview.Data{}, err
	}
	liveAt := a.nowcast(stream, &r, open, now, metrics.DefaultLag)
	return metricsview.Data{Report: r, Open: open, Now: now, Lag: metrics.DefaultLag, LiveAt: liveAt}, nil
}
