package cmd

import (
	"context"
	"fmt"
	"net"
	"time"

	"github.com/spf13/cobra"

	"github.com/kinspect/kinspect/kinesisx"
	"github.com/kinspect/kinspect/kinesisx/local"
)

// localOptions are the flags of `kinspect local`.
type localOptions struct {
	f           *Factory
	Addr        string
	Limits      bool
	Faults      string
	Demo        bool
	MemoryLimit int64
	Options     local.Options
}

func newLocalCmd(f *Factory) *cobra.Command {
	return newLocalCmdWith(f, runLocal)
}

func newLocalCmdWith(f *Factory, runF func(context.Context, *localOptions) error) *cobra.Command {
	o := &localOptions{f: f}
	c := &cobra.Command{
		Use:   "local",
		Short: "Run the built-in Kinesis endpoint in the foreground",
		Long: `local runs kinspect's built-in Kinesis endpoint: a real HTTP server (HTTP/1.1
and h2c on one port) that the AWS SDKs and CLI talk to as they talk to Kinesis,
including SubscribeToShard (enhanced fan-out). It binds 127.0.0.1 by default,
prints "listening on http://HOST:PORT" as its first line, and serves until
interrupted. Point clients at it with --endpoint-url or AWS_ENDPOINT_URL_KINESIS.

--limits enforces the per-shard limits of Kinesis (writes 1 MiB/s and 1,000
records/s, polling reads 5 calls/s and 2 MiB/s, EFO 2 MiB/s per consumer).
--faults injects seeded failures into data-plane calls, e.g.
"throttle=0.1,internal=0.02,reset=0.01,seed=7".

Memory: records live in memory, each counted as its data, key and 128 bytes
of overhead. --max-bytes caps one stream, --max-total-bytes all streams
together (256 MiB each by default); past a cap the oldest records are
trimmed first, from whichever stream holds them. --memory-limit is the
process's soft memory limit; by default it is derived from
--max-total-bytes (1.5x plus 64 MiB: 448 MiB by default), so the garbage
collector keeps room and never runs constantly once the streams are full.`,
		Example: `  kinspect local
  kinspect local --addr 127.0.0.1:4567 --limits --faults throttle=0.05,seed=1
  AWS_ENDPOINT_URL_KINESIS=http://127.0.0.1:4567 kinspect ls`,
		Args: cobra.NoArgs,
		RunE: func(c *cobra.Command, _ []string) error {
			faults, err := local.ParseFaults(o.Faults)
			if err != nil {
				return usagef("--faults: %v", err)
			}
			if _, _, err := net.SplitHostPort(o.Addr); err != nil {
				return usagef("--addr %q: want HOST:PORT: %v", o.Addr, err)
			}
			for _, d := range []struct {
				name string
				v    time.Duration
			}{{"--iterator-ttl", o.Options.IteratorTTL}, {"--session-lifetime", o.Options.SessionLifetime},
				{"--create-delay", o.Options.CreateDelay}, {"--update-delay", o.Options.UpdateDelay},
				{"--delete-delay", o.Options.DeleteDelay}, {"--consumer-delay", o.Options.ConsumerDelay}} {
				if d.v < 0 {
					return usagef("%s: must not be negative", d.name)
				}
			}
			if o.Options.MaxBytesPerStream < 0 {
				return usagef("--max-bytes: must not be negative")
			}
			if o.Options.MaxBytes < 0 {
				return usagef("--max-total-bytes: must not be negative")
			}
			if !c.Flags().Changed("memory-limit") {
				o.MemoryLimit = local.MemoryLimit(o.Options.MaxBytes)
			}
			o.Options.Faults = faults
			o.Options.Limits = o.Limits
			return runF(c.Context(), o)
		},
	}
	fl := c.Flags()
	fl.StringVar(&o.Addr, "addr", "127.0.0.1:4567", "address to listen on (port 0 picks a free one)")
	fl.BoolVar(&o.Limits, "limits", false, "enforce the per-shard Kinesis limits")
	fl.StringVar(&o.Faults, "faults", "", `inject seeded faults, e.g. "throttle=0.1,internal=0.02,reset=0.01,seed=7"`)
	fl.DurationVar(&o.Options.IteratorTTL, "iterator-ttl", local.DefaultIteratorTTL, "how long a shard iterator stays valid")
	fl.DurationVar(&o.Options.SessionLifetime, "session-lifetime", local.DefaultSessionLifetime, "how long a SubscribeToShard session lasts")
	fl.DurationVar(&o.Options.CreateDelay, "create-delay", 0, "how long a new stream stays CREATING")
	fl.DurationVar(&o.Options.UpdateDelay, "update-delay", 0, "how long a stream stays UPDATING after a split, merge or scale")
	fl.DurationVar(&o.Options.DeleteDelay, "delete-delay", 0, "how long a stream stays DELETING")
	fl.DurationVar(&o.Options.ConsumerDelay, "consumer-delay", 0, "how long a consumer stays CREATING or DELETING")
	fl.Int64Var(&o.Options.MaxBytesPerStream, "max-bytes", local.DefaultMaxBytesPerStream, "record bytes kept per stream; the oldest are trimmed first")
	fl.Int64Var(&o.Options.MaxBytes, "max-total-bytes", local.DefaultMaxBytes, "record bytes kept over all streams; the oldest of any stream are trimmed first")
	fl.DurationVar(&o.Options.MetricsDelay, "metrics-delay", 0, "CloudWatch's publication lag as GetMetricData shows it (e.g. 2m)")
	fl.BoolVar(&o.Demo, "demo", false, "create the demo streams and keep live traffic flowing into them")
	fl.Int64Var(&o.MemoryLimit, "memory-limit", local.MemoryLimit(local.DefaultMaxBytes), "soft memory limit of the process in bytes (default: from --max-total-bytes; 0: none; GOMEMLIMIT wins)")
	return c
}

// runLocal serves until ctx is cancelled (SIGINT or SIGTERM), then closes
// the endpoint cleanly.
func runLocal(ctx context.Context, o *localOptions) error {
	defer softMemoryLimit(o.MemoryLimit)()
	srv := local.New(o.Options)
	url, err := srv.Start(o.Addr)
	if err != nil {
		return err
	}
	if _, err := fmt.Fprintf(o.f.Out, "listening on %s\n", url); err != nil {
		_ = srv.Close()
		return fmt.Errorf("local endpoint: write to stdout: %w", err)
	}
	if host, _, _ := net.SplitHostPort(o.Addr); !kinesisx.IsLoopbackEndpoint("http://" + net.JoinHostPort(host, "0")) {
		fmt.Fprintf(o.f.Err, "kinspect: warning: %s is not a loopback address; the endpoint has no authentication\n", host)
	}
	if o.Demo {
		stop, err := demoTraffic(ctx, o.f, url, srv, o.Options.MetricsDelay)
		if err != nil {
			_ = srv.Close()
			return err
		}
		defer stop()
	}
	<-ctx.Done()
	if err := srv.Close(); err != nil {
		return fmt.Errorf("local endpoint: %w", err)
	}
	return nil
}
