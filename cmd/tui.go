package cmd

import (
	"context"
	"fmt"
	"os"
	"strings"
	"sync"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/kinspect/kinspect/kinesisx"
	"github.com/kinspect/kinspect/kinesisx/calllog"
	"github.com/kinspect/kinspect/kinesisx/hotkeys"
	"github.com/kinspect/kinspect/kinesisx/latency"
	"github.com/kinspect/kinspect/kinesisx/protodec"
	"github.com/kinspect/kinspect/metrics"
	"github.com/kinspect/kinspect/session"
	"github.com/kinspect/kinspect/ui"
	"github.com/kinspect/kinspect/ui/cmdlog"
	consumerscreen "github.com/kinspect/kinspect/ui/consumers"
	uilag "github.com/kinspect/kinspect/ui/lag"
	"github.com/kinspect/kinspect/ui/latencylab"
	"github.com/kinspect/kinspect/ui/metricsview"
	"github.com/kinspect/kinspect/ui/screen"
	"github.com/kinspect/kinspect/ui/shards"
	"github.com/kinspect/kinspect/ui/streams"
	"github.com/kinspect/kinspect/ui/tail"
)

// runTUI opens the terminal UI on the streams view. Any EFO consumer the
// session registered, through any of the clients its profiles and regions
// made (:profile, :region), is deregistered on the way out, whatever
// ended it. Shard-level metrics the session turned on with an auto-off
// timer that had not ended are turned off on the way out too, and any it
// leaves on are named on stderr (ui.Config.Notices).
func runTUI(ctx context.Context, f *Factory) error {
	s := &tuiSession{f: f}
	defer s.cleanup()
	conn, err := s.connect(ctx, f)
	if err != nil {
		return err
	}
	return ui.Run(ctx, ui.Config{
		Connection: conn,
		Connect:    s.Connect,
		Profiles:   sharedProfiles,
		Notices:    f.Err,
		NoColor:    f.NoColor,
	})
}

// tuiSession makes the TUI's connections and remembers every client they
// made, to deregister their EFO consumers on the way out.
type tuiSession struct {
	f *Factory

	mu      sync.Mutex
	clients []*kinesisx.Client
}

// Connect is the TUI's ui.Connector: a fresh Factory with the profile and
// region asked for ("" keeps the flag's, or lets the SDK resolve it), so
// the guard is decided for that profile as the SDK resolves it, as for
// any command (cmd/readonly.go).
func (s *tuiSession) Connect(ctx context.Context, profile, region string) (ui.Connection, error) {
	g := s.f.Globals
	if profile != "" {
		g.Profile = profile
	}
	if region != "" {
		g.Region = region
	}
	nf := &Factory{Globals: g, Stdio: s.f.Stdio, IsTerminal: s.f.IsTerminal, CallLog: s.f.CallLog, Endpoints: s.f.Endpoints, commands: s.f.commands}
	return s.connect(ctx, nf)
}

// connect builds the clients and the screens of one Factory's profile
// and region. It fails, with the one line that says how to fix it,
// before the screen opens rather than with an error on every screen.
func (s *tuiSession) connect(ctx context.Context, f *Factory) (ui.Connection, error) {
	c, err := f.Client(ctx)
	if err != nil {
		return ui.Connection{}, err
	}
	s.mu.Lock()
	s.clients = append(s.clients, c)
	s.mu.Unlock()
	cfg, _ := f.AWSConfig(ctx)
	if cfg.Credentials != nil {
		if _, err := cfg.Credentials.Retrieve(ctx); err != nil {
			return ui.Connection{}, fmt.Errorf("get credentials: %w", err)
		}
	}
	// The session outlives the screens; its live counts fill the minutes
	// CloudWatch has not published yet.
	d := tuiDeps{client: c, callLog: f.CallLog, sess: session.New(nil, hotkeys.Options{}), lag: newLagSource(ctx, f)}
	if d.protos, err = f.Proto(); err != nil {
		return ui.Connection{}, err
	}
	// CloudWatch is optional: without it the screens show live rates only.
	if cw, err := f.CloudWatch(ctx); err == nil {
		d.cloud = session.NewCloudWatch(c, metrics.New(cw), d.sess.Live, nil)
	}
	labels := ui.Labels{Profile: f.ActiveProfile(), Region: cfg.Region, Endpoint: f.EndpointLabel()}
	if labels.Color, err = profileColor(os.Getenv(profileColorsEnv), labels.Profile); err != nil {
		return ui.Connection{}, err
	}
	return ui.Connection{
		Backends: ui.Backends{Screens: tuiScreens(d), Streams: c, Writer: c, Session: d.sess, Monitor: c, StaleHint: staleHint(c)},
		Guard:    f.Guard(),
		Labels:   labels,
	}, nil
}

// cleanup deregisters the EFO consumers of every client of the session.
func (s *tuiSession) cleanup() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, c := range s.clients {
		cleanupConsumers(c)
	}
}

// staleHint is the status line's note about a stream's stale kinspect
// EFO consumers, with how to prune them, or "".
func staleHint(c *kinesisx.Client) func(context.Context, string) string {
	return func(ctx context.Context, stream string) string {
		ctx, cancel := context.WithTimeout(ctx, 15*time.Second)
		defer cancel()
		st, err := c.DescribeStream(ctx, stream)
		if err != nil {
			return ""
		}
		hint, _ := c.StaleHint(ctx, stream, st.ARN, "", noHeartbeatStale)
		// The status line is narrow: the command first, so it survives.
		if what, command, ok := strings.Cut(hint, "; prune with: "); ok {
			return "run " + command + ": " + what
		}
		return hint
	}
}

// tuiDeps are what the screens of one connection read from.
type tuiDeps struct {
	client *kinesisx.Client
	// cloud is the CloudWatch adapter; nil without CloudWatch.
	cloud   *session.CloudWatch
	protos  *protodec.Set
	callLog *calllog.Log
	// sess is what outlives the connection's screens: the traffic seen,
	// the live counts, the auto-off timers.
	sess *session.Session
	// lag reads the consumers' lag (KCL lease tables, Lambda mappings).
	lag lagSource
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
// (enter on a stream, t on a shard). A new screen of a stream, with the
// constructor New(ctx, id, common, stream, words, deps), is one line:
// r.Add("lag", screen.OnStream(lag.New, lag.Deps{...})).
func tuiScreens(d tuiDeps) *screen.Registry {
	c, tl := d.client, tailer{d.client}
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
		return shards.New(ctx, id, cm, a.Stream, shards.Deps{Source: shardsWithLag{c, d.lag}, Metrics: metrics, Tailer: tl, Session: d.sess})
	}), "stream")
	r.Add(screen.TailScreen, entry(true, func(ctx context.Context, id int, cm screen.Common, a screen.Args) screen.Model {
		t := tail.New(ctx, id, cm, a.Stream, a.Words, tail.Deps{Tailer: tl, Decoder: d.decoder(a.Stream), Session: d.sess})
		return screen.Starting(t, func() tea.Cmd { return t.StartAt(a.From, a.Focus) })
	}))
	r.Add("consumers", entry(true, func(ctx context.Context, id int, cm screen.Common, a screen.Args) screen.Model {
		return consumerscreen.New(ctx, id, cm, a.Stream, c, nil)
	}))
	if d.cloud != nil {
		r.Add("metrics", entry(true, func(ctx context.Context, id int, cm screen.Common, a screen.Args) screen.Model {
			return metricsview.New(ctx, id, cm, a.Stream, metricsview.Deps{Source: d.cloud, Tailer: tl, Session: d.sess})
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
	r.Add("lag", screen.OnStream(uilag.New, uilag.Deps{Source: d.lag}))
	r.Add("find", findEntry(finder{c: c, protos: d.protos}))
	lab := entry(true, func(ctx context.Context, id int, cm screen.Common, a screen.Args) screen.Model {
		return latencylab.New(ctx, id, a.Stream, latencylab.Deps{Runner: benchRunner{c}, Styles: cm.Styles, ReadOnly: cm.ReadOnly})
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

// shardsWithLag is the stream screen's source: the client's shards and
// the consumers' lag (the APP LAG column).
type shardsWithLag struct {
	*kinesisx.Client
	lagSource
}

// tailer adapts *kinesisx.Client to the UI's Tailer, whose Tail returns an
// interface.
type tailer struct{ c *kinesisx.Client }

func (t tailer) Tail(ctx context.Context, opts kinesisx.TailOptions) (tail.Stream, error) {
	return t.c.Tail(ctx, opts)
}

// benchRunner adapts latency.Run over the client to the latency lab
// screen's Runner.
type benchRunner struct{ c *kinesisx.Client }

func (b benchRunner) RunLatency(ctx context.Context, opts latency.Options) (latency.Report, error) {
	return latency.Run(ctx, b.c, opts)
}

// cleanupConsumers deregisters the EFO consumers this process registered,
// on a fresh context: the command's own may be cancelled by a signal.
func cleanupConsumers(c *kinesisx.Client) {
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	_ = c.CleanupConsumers(ctx)
}
