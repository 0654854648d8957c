package ui

import (
	"context"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/kinspect/kinspect/kinesisx"
	"github.com/kinspect/kinspect/kinesisx/hotkeys"
	"github.com/kinspect/kinspect/session"
	"github.com/kinspect/kinspect/ui/cmdlog"
	"github.com/kinspect/kinspect/ui/consumers"
	"github.com/kinspect/kinspect/ui/dialog"
	"github.com/kinspect/kinspect/ui/latencylab"
	"github.com/kinspect/kinspect/ui/metricsview"
	"github.com/kinspect/kinspect/ui/monitor"
	"github.com/kinspect/kinspect/ui/screen"
	"github.com/kinspect/kinspect/ui/shards"
	"github.com/kinspect/kinspect/ui/streams"
	"github.com/kinspect/kinspect/ui/tail"
)

// setup is what a test gives the UI besides the fake Kinesis: labels,
// read-only, the optional backends (nil: the screen is unavailable), and
// extra screens to register.
type setup struct {
	Profile, Region, Endpoint string
	Color                     string
	ReadOnly                  bool
	ReadOnlyWhy               string
	Stream                    string
	StatusFor                 time.Duration

	Metrics shards.Metrics
	// Session is the connection's (nil: one of the setup's own).
	Session   *session.Session
	Report    metricsview.Source
	Monitor   monitor.Toggler
	Bench     latencylab.Runner
	CallLog   cmdlog.Source
	Writer    dialog.Writer
	Consumers consumers.Source
	// Extra are registered after the standard screens (and replace one of
	// the same name).
	Extra map[string]screen.Entry

	Connect  Connector
	Profiles func() ([]string, error)
}

// connection is the setup's connection over the fake Kinesis, wired as
// cmd/tui.go wires the real one.
func (s setup) connection(k *fakeKinesis) Connection {
	sess := s.Session
	if sess == nil {
		sess = session.New(nil, hotkeys.Options{})
	}
	r := screen.NewRegistry()
	r.Add(screen.Home, fixed(false, func(ctx context.Context, id int, c screen.Common, _ screen.Args) screen.Model {
		return streams.New(ctx, id, c, k)
	}))
	r.Add(screen.StreamScreen, fixed(true, func(ctx context.Context, id int, c screen.Common, a screen.Args) screen.Model {
		return shards.New(ctx, id, c, a.Stream, shards.Deps{Source: k, Metrics: s.Metrics, Tailer: k, Session: sess})
	}), "stream")
	r.Add(screen.TailScreen, fixed(true, func(ctx context.Context, id int, c screen.Common, a screen.Args) screen.Model {
		t := tail.New(ctx, id, c, a.Stream, a.Words, tail.Deps{Tailer: k, Session: sess})
		return screen.Starting(t, func() tea.Cmd { return t.StartAt(a.From, a.Focus) })
	}))
	r.Add("consumers", screen.Unavailable("no consumers source"))
	if s.Consumers != nil {
		r.Add("consumers", fixed(true, func(ctx context.Context, id int, c screen.Common, a screen.Args) screen.Model {
			return consumers.New(ctx, id, c, a.Stream, s.Consumers, nil)
		}))
	}
	r.Add("metrics", screen.Unavailable("no CloudWatch"))
	if s.Report != nil {
		r.Add("metrics", fixed(true, func(ctx context.Context, id int, c screen.Common, a screen.Args) screen.Model {
			return metricsview.New(ctx, id, c, a.Stream, metricsview.Deps{Source: s.Report, Tailer: k, Session: sess})
		}))
	}
	r.Add("log", screen.Unavailable("no call log"))
	if s.CallLog != nil {
		r.Add("log", fixed(false, func(ctx context.Context, id int, c screen.Common, _ screen.Args) screen.Model {
			return cmdlog.New(ctx, id, c, s.CallLog)
		}))
	}
	lab := fixed(true, func(ctx context.Context, id int, c screen.Common, a screen.Args) screen.Model {
		return latencylab.New(ctx, id, a.Stream, latencylab.Deps{Runner: s.Bench, Styles: c.Styles, ReadOnly: c.ReadOnly})
	})
	lab.Action = kinesisx.ActionPut
	r.Add("bench", lab)
	for n, e := range s.Extra {
		r.Add(n, e)
	}
	return Connection{
		Backends: Backends{Screens: r, Streams: k, Writer: s.Writer, Session: sess, Monitor: s.Monitor},
		Guard:    kinesisx.Guard{ReadOnly: s.ReadOnly, Why: s.ReadOnlyWhy},
		Labels:   Labels{Profile: s.Profile, Region: s.Region, Endpoint: s.Endpoint, Color: s.Color},
	}
}

// fixed makes an entry of a constructor that cannot fail.
func fixed(stream bool, f func(context.Context, int, screen.Common, screen.Args) screen.Model) screen.Entry {
	return screen.Entry{Stream: stream, New: func(ctx context.Context, id int, c screen.Common, a screen.Args) (screen.Model, error) {
		return f(ctx, id, c, a), nil
	}}
}
