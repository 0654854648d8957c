package cmd

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/kinspect/kinspect/kinesisx"
	"github.com/kinspect/kinspect/kinesisx/latency"
	"github.com/kinspect/kinspect/metrics"
	"github.com/kinspect/kinspect/ui"
	"github.com/kinspect/kinspect/ui/cwmetrics"
	"github.com/kinspect/kinspect/ui/tail"
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
	uc := ui.Config{
		Streams:     c,
		Shards:      c,
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
	// CloudWatch is optional: without it the screens show live rates only.
	if cw, err := f.CloudWatch(ctx); err == nil {
		cloud := cwmetrics.New(c, metrics.New(cw), nil)
		uc.Metrics, uc.Throughput, uc.Report = cloud, cloud, cloud
	}
	return ui.Run(ctx, uc)
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
