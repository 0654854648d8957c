package cmd

import (
	"context"

	"github.com/kinspect/kinspect/kinesisx"
	"github.com/kinspect/kinspect/kinesisx/calllog"
	"github.com/kinspect/kinspect/kinesisx/protodec"
	"github.com/kinspect/kinspect/ui/bench"
	"github.com/kinspect/kinspect/ui/cmdlog"
	consumerscreen "github.com/kinspect/kinspect/ui/consumers"
	"github.com/kinspect/kinspect/ui/cwmetrics"
	"github.com/kinspect/kinspect/ui/metricsview"
	"github.com/kinspect/kinspect/ui/screen"
	"github.com/kinspect/kinspect/ui/shards"
	"github.com/kinspect/kinspect/ui/streams"
	"github.com/kinspect/kinspect/ui/tail"
	"github.com/kinspect/kinspect/ui/traffic"
)

// tuiDeps are what the screens of one connection read from.
type tuiDeps struct {
	client *kinesisx.Client
	// cloud is the CloudWatch adapter; nil without CloudWatch.
	cloud   *cwmetrics.Adapter
	protos  *protodec.Set
	callLog *calllog.Log
	// traffic is the session's hot-key analysis, shared by every
	// connection's tails and the split dialog.
	traffic *traffic.Store
}

// feed is where tails hand their batches besides traffic: the CloudWatch
// adapter's live fill (nil without CloudWatch).
func (d tuiDeps) feed() func(string, kinesisx.Batch) {
	if d.cloud == nil {
		return nil
	}
	return d.cloud.Observe
}

// decoder is a stream's payload decoder: its protobuf type, else the
// built-in one (nil).
func (d tuiDeps) decoder(stream string) tail.Decoder {
	if p := d.protos.For(stream); p != nil {
		return tail.ProtoDecoder(p)
	}
	return nil
}

// tuiScreens is the registry of the TUI's screens over one connection:
// the root opens them by name (":consumers orders") and by request
// (enter on a stream, t on a shard). A new screen is one line here.
func tuiScreens(d tuiDeps) *screen.Registry {
	c, feed, tl := d.client, d.feed(), tailer{d.client}
	r := screen.NewRegistry()
	r.Add(screen.Home, entry(false, func(ctx context.Context, id int, cm screen.Common, _ screen.Args) screen.Model {
		m := streams.New(ctx, id, cm, c)
		if d.cloud != nil {
			m.SetMetrics(d.cloud)
		}
		return m
	}))
	var metrics shards.Metrics
	if d.cloud != nil {
		metrics = d.cloud
	}
	r.Add(screen.StreamScreen, entry(true, func(ctx context.Context, id int, cm screen.Common, a screen.Args) screen.Model {
		return shards.New(ctx, id, cm, a.Stream, shards.Deps{Source: c, Metrics: metrics, Tailer: tl, Traffic: d.traffic, Feed: feed})
	}), "stream")
	r.Add(screen.TailScreen, entry(true, func(ctx context.Context, id int, cm screen.Common, a screen.Args) screen.Model {
		return tail.New(ctx, id, cm, a.Stream, a.Words, tail.Deps{Tailer: tl, Decoder: d.decoder(a.Stream), Traffic: d.traffic, Feed: feed})
	}))
	r.Add("consumers", entry(true, func(ctx context.Context, id int, cm screen.Common, a screen.Args) screen.Model {
		return consumerscreen.New(ctx, id, cm, a.Stream, c, nil)
	}))
	if d.cloud != nil {
		r.Add("metrics", entry(true, func(ctx context.Context, id int, cm screen.Common, a screen.Args) screen.Model {
			return metricsview.New(ctx, id, cm, a.Stream, metricsview.Deps{Source: d.cloud, Tailer: tl, Feed: feed})
		}))
	} else {
		r.Add("metrics", screen.Unavailable("no CloudWatch client"))
	}
	if d.callLog != nil {
		r.Add("log", entry(false, func(ctx context.Context, id int, cm screen.Common, _ screen.Args) screen.Model {
			return cmdlog.New(ctx, id, cm, d.callLog)
		}))
	} else {
		r.Add("log", screen.Unavailable("no call log"))
	}
	lab := entry(true, func(ctx context.Context, id int, cm screen.Common, a screen.Args) screen.Model {
		return bench.New(ctx, id, a.Stream, bench.Deps{Runner: benchRunner{c}, Styles: cm.Styles, ReadOnly: cm.ReadOnly})
	})
	lab.Action = kinesisx.ActionPut // it puts probe records
	r.Add("bench", lab)
	return r
}

// entry makes a registry entry of a constructor that cannot fail.
func entry(stream bool, f func(context.Context, int, screen.Common, screen.Args) screen.Model) screen.Entry {
	return screen.Entry{Stream: stream, New: func(ctx context.Context, id int, c screen.Common, a screen.Args) (screen.Model, error) {
		return f(ctx, id, c, a), nil
	}}
}
