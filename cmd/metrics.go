package cmd

import (
	"context"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/kinspect/kinspect/metrics"
)

// maxMetricsSince keeps a 1-minute window within one page per 500 queries
// (181 points × 500 < 100,800), so 4,000 shards stay 57 calls.
const maxMetricsSince = 3 * time.Hour

type metricsOptions struct {
	f      *Factory
	Stream string
	Since  time.Duration
	Output string
	now    func() time.Time // the clock; nil is time.Now
}

func newMetricsCmd(f *Factory) *cobra.Command {
	return newMetricsCmdWith(f, runMetrics)
}

func newMetricsCmdWith(f *Factory, runF func(context.Context, *metricsOptions) error) *cobra.Command {
	o := &metricsOptions{f: f}
	c := &cobra.Command{
		Use:   "metrics STREAM",
		Short: "Show each shard's throughput against its limits, from CloudWatch",
		Long: `Show per-shard throughput from CloudWatch (namespace AWS/Kinesis, 1-minute
periods) against the shard limits: 1 MiB/s and 1,000 records/s in, 2 MiB/s out.
Rates are a minute's Sum / 60; the figures are those of each shard's newest
complete minute with data (MINUTE says which; the current minute is still
open, and its partial Sum would read as a drop). CloudWatch publishes minutes
1-3 minutes late.

Per-shard figures need shard-level metrics (enhanced monitoring), which cost
money; without them only stream totals are shown.`,
		Example: `  kinspect metrics orders
  kinspect metrics orders --since 1h -o json`,
		Args: cobra.ExactArgs(1),
		RunE: func(c *cobra.Command, args []string) error {
			o.Stream = args[0]
			if err := outputFlag(o.Output, "table", "json"); err != nil {
				return err
			}
			if o.Since < time.Minute || o.Since > maxMetricsSince {
				return usagef("--since %s: want between 1m and %s (1-minute points; a longer window multiplies the GetMetricData calls)", o.Since, metricSince(maxMetricsSince))
			}
			return runF(c.Context(), o)
		},
	}
	c.Flags().DurationVar(&o.Since, "since", 15*time.Minute, "how far back to look")
	c.Flags().StringVarP(&o.Output, "output", "o", "table", "table or json")
	return c
}

func runMetrics(ctx context.Context, o *metricsOptions) error {
	_, st, shards, err := o.f.streamAndShards(ctx, o.Stream)
	if err != nil {
		return err
	}
	var ids []string
	for _, s := range shards {
		if s.Open {
			ids = append(ids, s.ID)
		}
	}
	cw, err := o.f.CloudWatch(ctx)
	if err != nil {
		return err
	}
	now := time.Now
	if o.now != nil {
		now = o.now
	}
	r, err := metrics.New(cw).Stream(ctx, o.Stream, ids, o.Since, now(), metrics.ShardLevel(st.ShardLevelMetrics))
	if err != nil {
		return err
	}
	if o.Output == "json" {
		return writeJSON(o.f.Out, metricsReportJSON(r))
	}
	return writeMetricsTable(o.f.Out, r, o.Since)
}

// metricsJSON is `metrics -o json` (DESIGN.md §8).
type metricsJSON struct {
	Stream             string             `json:"stream"`
	PeriodSeconds      int                `json:"periodSeconds"`
	EnhancedMonitoring bool               `json:"enhancedMonitoring"`
	Shards             []shardMetricsJSON `json:"shards"`
}

// shardMetricsJSON is one shard; null means no data in the window.
type shardMetricsJSON struct {
	ID                         string   `json:"id"`
	Minute                     *string  `json:"minute"`
	IncomingBytesPerSec        *float64 `json:"incomingBytesPerSec"`
	IncomingRecordsPerSec      *float64 `json:"incomingRecordsPerSec"`
	OutgoingBytesPerSec        *float64 `json:"outgoingBytesPerSec"`
	IteratorAgeMs              *float64 `json:"iteratorAgeMs"`
	WriteThrottled             *float64 `json:"writeThrottled"`
	ReadThrottled              *float64 `json:"readThrottled"`
	IncomingBytesUtilisation   *float64 `json:"incomingBytesUtilisation"`
	IncomingRecordsUtilisation *float64 `json:"incomingRecordsUtilisation"`
	OutgoingBytesUtilisation   *float64 `json:"outgoingBytesUtilisation"`
}

func metricsReportJSON(r metrics.Report) metricsJSON {
	out := metricsJSON{Stream: r.Stream, PeriodSeconds: r.PeriodSeconds, EnhancedMonitoring: r.EnhancedMonitoring,
		Shards: make([]shardMetricsJSON, 0, len(r.Shards))}
	for _, s := range r.Shards {
		var minute *string
		if !s.Minute.IsZero() {
			m := s.Minute.UTC().Format(time.RFC3339)
			minute = &m
		}
		out.Shards = append(out.Shards, shardMetricsJSON{
			ID: s.ID, Minute: minute,
			IncomingBytesPerSec: s.IncomingBytesPerSec, IncomingRecordsPerSec: s.IncomingRecordsPerSec,
			OutgoingBytesPerSec: s.OutgoingBytesPerSec, IteratorAgeMs: s.IteratorAgeMs,
			WriteThrottled: s.WriteThrottled, ReadThrottled: s.ReadThrottled,
			IncomingBytesUtilisation: s.IncomingBytesUtilisation, IncomingRecordsUtilisation: s.IncomingRecordsUtilisation,
			OutgoingBytesUtilisation: s.OutgoingBytesUtilisation,
		})
	}
	return out
}

func writeMetricsTable(w io.Writer, r metrics.Report, since time.Duration) error {
	fmt.Fprintf(w, "%s: %d open shards, last %s in 1-minute periods: the newest complete minute with data (CloudWatch publishes minutes 1-3 minutes late; - = no data)\n\n",
		r.Stream, len(r.Shards), metricSince(since))
	s := r.StreamLevel
	t := newTable(w, "STREAM", "MINUTE", "IN", "OF LIMIT", "RECORDS/S", "OF LIMIT", "GETRECORDS OUT", "ITERATOR AGE", "THROTTLED W/R", "PUTRECORDS FAILED")
	t.row("total", metricMinute(s.Minute), metricRate(s.IncomingBytesPerSec), metricPct(s.IncomingBytesUtilisation),
		metricNum(s.IncomingRecordsPerSec), metricPct(s.IncomingRecordsUtilisation), metricRate(s.OutgoingBytesPerSec),
		metricAge(s.IteratorAgeMs), metricNum(s.WriteThrottled)+"/"+metricNum(s.ReadThrottled), metricNum(s.PutRecordsFailed))
	if err := t.flush(); err != nil {
		return err
	}
	fmt.Fprintln(w)
	if !r.EnhancedMonitoring {
		fmt.Fprintf(w, "Shard-level metrics are off for %s, so there are no per-shard figures, only the stream totals above.\n", r.Stream)
		fmt.Fprintf(w, "Turn them on with `kinspect monitoring %s on` (CloudWatch charges for them, per shard and per metric).\n", r.Stream)
		return nil
	}
	t = newTable(w, "SHARD", "MINUTE", "IN", "OF 1 MiB/s", "RECORDS/S", "OF 1,000/s", "OUT", "OF 2 MiB/s", "ITERATOR AGE", "THROTTLED W/R")
	for _, sh := range r.Shards {
		t.row(sh.ID, metricMinute(sh.Minute), metricRate(sh.IncomingBytesPerSec), metricPct(sh.IncomingBytesUtilisation),
			metricNum(sh.IncomingRecordsPerSec), metricPct(sh.IncomingRecordsUtilisation),
			metricRate(sh.OutgoingBytesPerSec), metricPct(sh.OutgoingBytesUtilisation),
			metricAge(sh.IteratorAgeMs), metricNum(sh.WriteThrottled)+"/"+metricNum(sh.ReadThrottled))
	}
	return t.flush()
}

func metricMinute(t time.Time) string {
	if t.IsZero() {
		return "-"
	}
	return t.UTC().Format("15:04")
}

// metricRate formats bytes per second in binary units.
func metricRate(v *float64) string {
	if v == nil {
		return "-"
	}
	b := *v
	switch {
	case b >= 1<<20:
		return fmt.Sprintf("%.1f MiB/s", b/(1<<20))
	case b >= 1<<10:
		return fmt.Sprintf("%.1f KiB/s", b/(1<<10))
	default:
		return fmt.Sprintf("%.0f B/s", b)
	}
}

// metricPct formats a fraction of a limit; at or over 80% it is marked hot.
func metricPct(v *float64) string {
	if v == nil {
		return "-"
	}
	s := fmt.Sprintf("%.0f%%", *v*100)
	if *v < 0.1 {
		s = fmt.Sprintf("%.1f%%", *v*100)
	}
	switch {
	case *v >= 1:
		s += " OVER"
	case *v >= 0.8:
		s += " hot"
	}
	return s
}

func metricNum(v *float64) string {
	if v == nil {
		return "-"
	}
	if *v == float64(int64(*v)) {
		return fmt.Sprintf("%d", int64(*v))
	}
	return fmt.Sprintf("%.1f", *v)
}

func metricAge(ms *float64) string {
	if ms == nil {
		return "-"
	}
	return (time.Duration(*ms) * time.Millisecond).Round(time.Millisecond).String()
}

// metricSince prints a window as people write it: 15m, 1h, 1h30m.
func metricSince(d time.Duration) string {
	s := d.String()
	if strings.HasSuffix(s, "m0s") {
		s = strings.TrimSuffix(s, "0s")
	}
	if strings.HasSuffix(s, "h0m") {
		s = strings.TrimSuffix(s, "0m")
	}
	return s
}
