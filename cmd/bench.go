package cmd

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/kinspect/kinspect/kinesisx"
	"github.com/kinspect/kinspect/kinesisx/latency"
)

type benchLatencyOptions struct {
	f       *Factory
	Stream  string
	Records int
	Rate    float64 // 0: latency.ShardRate per probed shard
	Modes   []string
	Shards  []string
	Timeout time.Duration
	Output  string
	Yes     bool

	modes   []kinesisx.Mode // parsed Modes
	rateSet bool            // --rate was given
}

// newBenchCmd is `kinspect bench`, the parent of the benchmarks.
func newBenchCmd(f *Factory) *cobra.Command {
	c := &cobra.Command{
		Use:   "bench",
		Short: "Measure a stream: the polling vs enhanced fan-out latency lab",
		Args:  cobra.NoArgs,
	}
	c.AddCommand(newBenchLatencyCmdWith(f, runBenchLatency))
	return c
}

func newBenchLatencyCmdWith(f *Factory, runF func(context.Context, *benchLatencyOptions) error) *cobra.Command {
	o := &benchLatencyOptions{f: f}
	c := &cobra.Command{
		Use:   "latency STREAM",
		Short: "Put timestamped probes and time their delivery through polling and EFO at once",
		Long: `The latency lab. It starts one tail per mode at LATEST (EFO through a fresh
kinspect consumer, deregistered at the end), waits until they read, puts
--records probe records (default 4,000) at --rate records/s spread over the
probed shards (default 1,000 records/s per probed shard, what they take), with
partition key kinspect-probe-RUNID (the payload carries the run ID, an index
and the put time), and reads them back through all tails at once. The defaults
on a 2-shard stream are the setup of AWS's article comparing EFO and polling:
4,000 records in 2 s.

Per mode it reports the time from the first put until the last probe arrived
(the article's figure, printed beside it: AWS's, not measured here), the
delivery latency (received minus put) at p50/p90/p99/max, the largest
MillisBehindLatest, and the probes seen, missed or duplicated. It fails (exit 1)
when a mode missed or duplicated probes.

It puts records and registers a consumer: it asks for confirmation (--yes skips
it) and --read-only refuses it.`,
		Example: `  kinspect bench latency orders --yes
  kinspect bench latency orders --records 1000 --rate 200 --modes efo -o json --yes`,
		Args: cobra.ExactArgs(1),
		RunE: func(c *cobra.Command, args []string) error {
			o.Stream = args[0]
			o.rateSet = c.Flags().Changed("rate")
			if err := o.validate(); err != nil {
				return err
			}
			return runF(c.Context(), o)
		},
	}
	fl := c.Flags()
	fl.IntVar(&o.Records, "records", latency.DefaultRecords, "probe records to put")
	fl.Float64Var(&o.Rate, "rate", 0, "probe records per second over all probed shards (default 1,000 per probed shard)")
	fl.StringSliceVar(&o.Modes, "modes", []string{"polling", "efo"}, "read modes to compare: polling, efo")
	fl.StringArrayVar(&o.Shards, "shard", nil, "a shard to probe (repeatable; default every open shard, at most 16)")
	fl.DurationVar(&o.Timeout, "timeout", latency.DefaultTimeout, "how long to wait for the tails to start, and for the last probes")
	fl.StringVarP(&o.Output, "output", "o", "table", "table or json")
	fl.BoolVarP(&o.Yes, "yes", "y", false, "do not ask for confirmation")
	return c
}

// validate checks the flags (usage errors, exit 2).
func (o *benchLatencyOptions) validate() error {
	if err := outputFlag(o.Output, "table", "json"); err != nil {
		return err
	}
	if o.Records <= 0 {
		return usagef("--records must be positive")
	}
	if o.Rate < 0 || (o.rateSet && o.Rate == 0) {
		return usagef("--rate must be positive")
	}
	if o.Timeout <= 0 {
		return usagef("--timeout must be positive")
	}
	o.modes = nil
	seen := map[kinesisx.Mode]bool{}
	for _, m := range o.Modes {
		var mode kinesisx.Mode
		switch strings.ToLower(strings.TrimSpace(m)) {
		case "polling":
			mode = kinesisx.ModePolling
		case "efo":
			mode = kinesisx.ModeEFO
		default:
			return usagef("--modes: %q: want polling, efo or both", m)
		}
		if !seen[mode] {
			seen[mode] = true
			o.modes = append(o.modes, mode)
		}
	}
	if len(o.modes) == 0 {
		return usagef("--modes: name at least one of polling and efo")
	}
	return nil
}

func runBenchLatency(ctx context.Context, o *benchLatencyOptions) error {
	rate := fmt.Sprintf("%g records/s", o.Rate)
	if o.Rate == 0 {
		rate = fmt.Sprintf("%d records/s per probed shard", latency.ShardRate)
	}
	what := fmt.Sprintf("put %d probe records into stream %s at %s", o.Records, o.Stream, rate)
	note := ""
	for _, m := range o.modes {
		if m == kinesisx.ModeEFO {
			what += " and read them through a temporary enhanced fan-out consumer"
			note = "the EFO consumer is billed per consumer-shard-hour and per GB read while it exists; it is deregistered at the end"
		}
	}
	if err := confirm(o.f, o.Yes, confirmation{
		action: kinesisx.ActionPut, what: what, note: note,
		command: kinesisx.PutRecordsCommand(o.Stream, min(o.Records, kinesisx.MaxPutRecordsEntries)),
	}); err != nil {
		return err
	}
	c, err := o.f.Client(ctx)
	if err != nil {
		return err
	}
	phase := ""
	rep, err := latency.Run(ctx, c, latency.Options{
		Stream: o.Stream, Shards: o.Shards, Records: o.Records, Rate: o.Rate, Modes: o.modes, Timeout: o.Timeout,
		Progress: func(p latency.Progress) {
			if p.Phase != phase {
				phase = p.Phase
				fmt.Fprintf(o.f.Err, "%s...\n", p.Phase)
			}
		},
	})
	if err != nil {
		return err
	}
	if err := printLatencyReport(o, rep); err != nil {
		return err
	}
	var bad []string
	for _, m := range rep.Modes {
		switch {
		case m.Err != "":
			bad = append(bad, fmt.Sprintf("the %s tail failed: %s", m.Mode, m.Err))
		case !m.Complete():
			bad = append(bad, fmt.Sprintf("%s missed %d and duplicated %d of %d probes", m.Mode, m.Missing, m.Duplicates, rep.Sent))
		}
	}
	if rep.PutFailed > 0 {
		bad = append(bad, fmt.Sprintf("%d probes failed to put", rep.PutFailed))
	}
	if len(bad) > 0 {
		return fmt.Errorf("latency lab: %s", strings.Join(bad, "; "))
	}
	return nil
}
