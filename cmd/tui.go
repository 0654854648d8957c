package cmd

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/kinspect/kinspect/kinesisx"
	"github.com/kinspect/kinspect/kinesisx/hotkeys"
	"github.com/kinspect/kinspect/kinesisx/latency"
	"github.com/kinspect/kinspect/metrics"
	"github.com/kinspect/kinspect/session"
	"github.com/kinspect/kinspect/ui"
	uilag "github.com/kinspect/kinspect/ui/lag"
	"github.com/kinspect/kinspect/ui/screen"
	"github.com/kinspect/kinspect/ui/tail"
	"github.com/kinspect/kinspect/ui/theme"
)

// runTUI opens the terminal UI on the streams view. Any EFO consumer the
// session registered is deregistered on the way out, whatever ended it.
// Shard-level metrics the session turned on with an auto-off timer that
// had not ended are turned off on the way out too, and any it leaves on
// are named on stderr (ui.Config.Notices).
func runTUI(ctx context.Context, f *Factory) error {
	c, err := f.Client(ctx)
	if err != nil {
		return err
	}
	defer cleanupConsumers(c)
	cfg, _ := f.AWSConfig(ctx)
	// Fail before the screen opens, with the one line that says how to fix
	// it, rather than with an error on every screen.
	if cfg.Credentials != nil {
		if _, err := cfg.Credentials.Retrieve(ctx); err != nil {
			return fmt.Errorf("get credentials: %w", err)
		}
	}
	protos, err := f.Proto()
	if err != nil {
		return err
	}
	guard := f.Guard()
	lagSrc := newLagSource(ctx, f)
	uc := ui.Config{
		Streams:     c,
		Shards:      shardsWithLag{c, lagSrc},
		Tailer:      tailer{c},
		Writer:      c,
		Consumers:   c,
		Bench:       benchRunner{c},
		Monitor:     c,
		Notices:     f.Err,
		Profile:     f.ActiveProfile(),
		Region:      cfg.Region,
		Endpoint:    f.EndpointLabel(),
		ReadOnly:    guard.ReadOnly,
		ReadOnlyWhy: guard.Why,
		NoColor:     f.NoColor,
		ArgCommands: findCommand(finder{c: c, protos: protos}),
	}
	uc.Commands = map[string]ui.ScreenFunc{"lag": func(ctx context.Context, id int, stream string, st *theme.Styles) screen.Model {
		return uilag.New(ctx, id, screen.Common{Styles: st}, stream, nil, uilag.Deps{Source: lagSrc})
	}}
	if f.CallLog != nil {
		uc.CallLog = f.CallLog
	}
	uc.StaleHint = func(ctx context.Context, stream string) string {
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
	if protos != nil {
		uc.DecoderFor = func(stream string) tail.Decoder {
			if d := protos.For(stream); d != nil {
				return tail.ProtoDecoder(d)
			}
			return nil
		}
	}
	// The session outlives the screens; its live counts fill the minutes
	// CloudWatch has not published yet. CloudWatch is optional: without it
	// the screens show live rates only.
	uc.Session = session.New(nil, hotkeys.Options{})
	if cw, err := f.CloudWatch(ctx); err == nil {
		cloud := session.NewCloudWatch(c, metrics.New(cw), uc.Session.Live, nil)
		uc.Metrics, uc.Throughput, uc.Report = cloud, cloud, cloud
	}
	return ui.Run(ctx, uc)
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
