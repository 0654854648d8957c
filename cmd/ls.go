package cmd

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/spf13/cobra"
	"golang.org/x/sync/errgroup"

	"github.com/kinspect/kinspect/kinesisx"
	"github.com/kinspect/kinspect/kinesisx/explain"
)

type lsOptions struct {
	f      *Factory
	Output string
}

func newLsCmd(f *Factory) *cobra.Command {
	return newLsCmdWith(f, runLs)
}

func newLsCmdWith(f *Factory, runF func(context.Context, *lsOptions) error) *cobra.Command {
	o := &lsOptions{f: f}
	c := &cobra.Command{
		Use:   "ls",
		Short: "List streams with status, mode, shards, retention and consumers",
		Long: `List streams with status, mode, shards, retention and consumers.

A stream that cannot be described (DescribeStreamSummary failed: access
denied for it, deleted meanwhile, throttled) is still listed, marked with
"!" and the reason (in json, an "error" field on that stream); the others
are shown, and the exit code is 1.`,
		Args: cobra.NoArgs,
		RunE: func(c *cobra.Command, _ []string) error {
			if err := outputFlag(o.Output, "table", "json"); err != nil {
				return err
			}
			return runF(c.Context(), o)
		},
	}
	c.Flags().StringVarP(&o.Output, "output", "o", "table", "table or json")
	return c
}

// streamJSON is one stream in `ls -o json`.
type streamJSON struct {
	Name               string   `json:"name"`
	ARN                string   `json:"arn"`
	Status             string   `json:"status"`
	Mode               string   `json:"mode"`
	OpenShards         int      `json:"openShards"`
	RetentionHours     int      `json:"retentionHours"`
	Consumers          int      `json:"consumers"`
	Encryption         string   `json:"encryption"`
	EnhancedMonitoring []string `json:"enhancedMonitoring"`
	// Error is why the stream could not be described (its other fields
	// are then what ListStreams said, or empty).
	Error string `json:"error,omitempty"`
}

// errDescribeFailed is what ls returns when some streams could not be
// described: they are listed and marked, so it says only how many.
type errDescribeFailed struct{ failed, total int }

func (e errDescribeFailed) Error() string {
	return fmt.Sprintf("%d of %d streams could not be described (marked ! above)", e.failed, e.total)
}

func runLs(ctx context.Context, o *lsOptions) error {
	c, err := o.f.Client(ctx)
	if err != nil {
		return err
	}
	sums, err := c.ListStreams(ctx)
	if err != nil {
		return err
	}
	// DescribeStreamSummary allows 20 calls/s per account: stay well under.
	// One stream's failure must not hide the others: it is kept per stream.
	details := make([]kinesisx.Stream, len(sums))
	errs := make([]error, len(sums))
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(4)
	for i, s := range sums {
		g.Go(func() error {
			details[i], errs[i] = c.DescribeStream(gctx, s.Name)
			if errs[i] != nil {
				details[i] = kinesisx.Stream{Name: s.Name, ARN: s.ARN, Status: s.Status, Mode: s.Mode}
			}
			return nil
		})
	}
	_ = g.Wait() // the goroutines return no error: each keeps its own
	if err := ctx.Err(); err != nil {
		return err
	}
	failed := 0
	reasons := make([]string, len(sums))
	for i, err := range errs {
		if err != nil {
			failed++
			reasons[i] = explain.Error(err)
		}
	}
	if err := writeLs(o, details, reasons); err != nil {
		return err
	}
	if failed > 0 {
		return errDescribeFailed{failed: failed, total: len(sums)}
	}
	return nil
}

// writeLs prints the streams; reasons[i] is non-empty for a stream that
// could not be described.
func writeLs(o *lsOptions, details []kinesisx.Stream, reasons []string) error {
	if o.Output == "json" {
		out := make([]streamJSON, 0, len(details))
		for i, d := range details {
			out = append(out, streamJSON{Name: d.Name, ARN: d.ARN, Status: d.Status, Mode: d.Mode, OpenShards: d.OpenShards,
				RetentionHours: d.RetentionHours, Consumers: d.Consumers, Encryption: d.Encryption,
				EnhancedMonitoring: nonNil(d.ShardLevelMetrics), Error: reasons[i]})
		}
		return writeJSON(o.f.Out, out)
	}
	t := newTable(o.f.Out, "NAME", "STATUS", "MODE", "SHARDS", "RETENTION", "CONSUMERS", "SHARD METRICS")
	for i, d := range details {
		if reasons[i] != "" {
			t.row("! "+d.Name, orDash(d.Status), orDash(d.Mode), "-", "-", "-", "error: "+reasons[i])
			continue
		}
		metrics := "off"
		if len(d.ShardLevelMetrics) > 0 {
			metrics = strings.Join(d.ShardLevelMetrics, ",")
		}
		t.row(d.Name, d.Status, d.Mode, strconv.Itoa(d.OpenShards), strconv.Itoa(d.RetentionHours)+"h", strconv.Itoa(d.Consumers), metrics)
	}
	return t.flush()
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}
