package cmd

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"os/signal"
	"syscall"
	"time"

	"github.com/spf13/cobra"

	"github.com/kinspect/kinspect/kinesisx"
	"github.com/kinspect/kinspect/kinesisx/find"
)

type tailOptions struct {
	f             *Factory
	Stream        string
	Shards        []string
	From          string
	EFO           bool
	Consumer      string
	Max           int
	Idle          time.Duration
	Until         string
	Output        string
	NoDeaggregate bool
	MaxCalls      int
	Verbose       bool
	Merge         bool
	Watermark     time.Duration
}

func newTailCmd(f *Factory) *cobra.Command {
	return newTailCmdWith(f, runTail)
}

func newTailCmdWith(f *Factory, runF func(context.Context, *tailOptions) error) *cobra.Command {
	o := &tailOptions{f: f}
	c := &cobra.Command{
		Use:   "tail STREAM",
		Short: "Print a stream's records as they arrive (polling or enhanced fan-out)",
		Long: `Print a stream's records, each exactly once, in order per shard, a child shard's
after its parents'. It follows resharding, throttling and expired iterators.

--from takes latest (default), trim-horizon, an RFC 3339 time, a duration ago
(-15m), at:SEQUENCE or after:SEQUENCE. --until ends it at a time: records that
arrived later are not printed, and it stops once every shard has passed that
time or reached its tip.

Polling shares each shard's read limits (5 GetRecords calls/s, 2 MiB/s) with
every other polling consumer. kinspect paces each shard within them and keeps
a budget of GetRecords calls/s across shards (--max-calls; default 50 plus one
per 9 shards, at most 1,000: 54 for 40 shards, 494 for 4,000). Shards not read for
9 s go first, then shards that are behind, then caught-up ones: every shard is
read at least every 10 s, unless --max-calls is below shards/10, when each is
read about every shards/N s. -v prints on stderr what kinspect's reads take
from the shards' limits (a live line when stderr is a terminal and stdout is
not, else a line every 5 s, and a last one at the end).

--merge prints the records of all shards in one order, by arrival time: a
record waits until every shard being read has been read past its arrival
time less --watermark (default 1 s), so the order goes back by at most that
much, and a shard that lags holds the others back rather than scramble the
order. Each shard's order, and parents before children, still hold. It is
on when stdout is a terminal, off otherwise (a pipe gets each record as soon
as it is read); --merge or --merge=false chooses. Not with --until.`,
		Example: `  kinspect tail orders --from -15m -o json | jq .data
  kinspect tail orders --shard shardId-000000000001 --efo --max 100
  kinspect tail orders --from trim-horizon --idle 2s -o json > orders.jsonl
  kinspect tail wide-stream --max-calls 20 -v -o json > records.jsonl
  kinspect tail orders --from 2026-11-26T09:00:00Z --until 2026-11-26T09:05:00Z -o json
  kinspect tail orders --from -5m --merge -o json | jq -r .arrival`,
		Args: cobra.ExactArgs(1),
		RunE: func(c *cobra.Command, args []string) error {
			o.Stream = args[0]
			if err := outputFlag(o.Output, "text", "json", "raw"); err != nil {
				return err
			}
			if o.Max < 0 || o.Idle < 0 || o.MaxCalls < 0 {
				return usagef("--max, --idle and --max-calls must not be negative")
			}
			if o.Verbose && o.Until != "" {
				return usagef("-v goes without --until")
			}
			if o.Consumer != "" && !o.EFO {
				return usagef("--consumer goes with --efo")
			}
			if err := o.mergeDefault(c.Flags().Changed("merge"), c.Flags().Changed("watermark")); err != nil {
				return err
			}
			return runF(c.Context(), o)
		},
	}
	fl := c.Flags()
	fl.StringArrayVar(&o.Shards, "shard", nil, "read only this shard (repeatable); default: the whole stream")
	fl.StringVar(&o.From, "from", "latest", "start: latest, trim-horizon, RFC 3339 time, -15m, at:SEQ, after:SEQ")
	fl.BoolVar(&o.EFO, "efo", false, "read with enhanced fan-out (SubscribeToShard) instead of polling")
	fl.StringVar(&o.Consumer, "consumer", "", "EFO consumer name (default: a kinspect-<host>-<random> consumer, deregistered on exit)")
	fl.IntVar(&o.Max, "max", 0, "stop after N records")
	fl.DurationVar(&o.Idle, "idle", 0, "stop once every shard is caught up and nothing arrived for this long")
	fl.StringVar(&o.Until, "until", "", "stop at this time: an RFC 3339 time or a duration ago (-5m)")
	fl.StringVarP(&o.Output, "output", "o", "text", "text, json (one object per line) or raw (payloads, one per line)")
	fl.BoolVar(&o.NoDeaggregate, "no-deaggregate", false, "show KPL aggregates as they are, not their user records")
	fl.IntVar(&o.MaxCalls, "max-calls", 0, "polling: GetRecords calls/s across all shards (default 50 + shards/9, at most 1,000; every shard is read at least every 10 s while N >= shards/10)")
	fl.BoolVarP(&o.Verbose, "verbose", "v", false, "on stderr, what kinspect's reads take from each shard's shared 5 calls/s and 2 MiB/s")
	fl.BoolVar(&o.Merge, "merge", false, "all shards' records in arrival order, within --watermark (default: on when stdout is a terminal)")
	fl.DurationVar(&o.Watermark, "watermark", kinesisx.DefaultWatermark, "how far back in arrival time the merged order may go (0: not at all, at the cost of delay); given, it turns --merge on")
	return c
}

func runTail(ctx context.Context, o *tailOptions) error {
	now := time.Now()
	from, err := kinesisx.ParseStartPosition(o.From, now)
	if err != nil {
		return usagef("--from: %v", err)
	}
	var until time.Time
	if o.Until != "" {
		if from.Type == kinesisx.PositionLatest {
			return usagef("--until needs a --from in the past (trim-horizon, a time, -15m, at:SEQ or after:SEQ)")
		}
		if until, err = parseUntil(o.Until, o.From, from, now); err != nil {
			return err
		}
	}
	protos, err := o.f.Proto()
	if err != nil {
		return err
	}
	proto := protos.For(o.Stream)
	c, err := o.f.Client(ctx)
	if err != nil {
		return err
	}
	mode := kinesisx.ModePolling
	if o.EFO {
		mode = kinesisx.ModeEFO
	}
	// A closed pipe must end the tail quietly and still deregister its
	// consumer: take EPIPE as an error instead of dying of SIGPIPE.
	signal.Ignore(syscall.SIGPIPE)
	t, err := c.Tail(ctx, kinesisx.TailOptions{
		Stream: o.Stream, Shards: o.Shards, From: from, Mode: mode, Consumer: o.Consumer,
		NoDeaggregate: o.NoDeaggregate, FlushInterval: 10 * time.Millisecond, MaxCallsPerSec: float64(o.MaxCalls),
		Merge: o.Merge, Watermark: watermark(o.Watermark),
		Warn: func(msg string) { fmt.Fprintln(o.f.Err, "kinspect: "+msg) },
	})
	if err != nil {
		return err
	}
	defer t.Close()
	if o.EFO {
		defer noticeStaleConsumers(ctx, o.f, c, o.Stream, t.ConsumerARN())()
	}
	w := bufio.NewWriterSize(o.f.Out, 64<<10)
	p := newRecordPrinter(w, o.Output, proto)
	if !until.IsZero() {
		// A window: the search without criteria decides where it ends.
		q := find.Query{Until: until, Max: o.Max}
		if from.Type == kinesisx.PositionAtTimestamp {
			q.From = from.Timestamp
		}
		s := find.New(q)
		s.Expect(t.Started())
		return efoHint(scan(ctx, t, s, func(l find.Line) error { return p.print(l.Record) }, p.flush, nil))
	}
	var status *costStatus
	if o.Verbose {
		status = newCostStatus(o.f.Err, o.f.Out, o.EFO)
		defer status.done()
	}
	return efoHint(follow(ctx, t, p, o.Max, o.Idle, status))
}

// efoHint tells how to read from an endpoint without enhanced fan-out.
func efoHint(err error) error {
	if errors.Is(err, kinesisx.ErrEFOUnsupported) {
		return fmt.Errorf("%w; read by polling instead (drop --efo)", err)
	}
	return err
}

// follow prints batches until the tail ends, --max records were printed,
// or (with --idle) the tail is caught up and quiet for that long. status,
// if not nil, is shown every few seconds.
func follow(ctx context.Context, t *kinesisx.Tail, p *recordPrinter, max int, idle time.Duration, status *costStatus) error {
	var tick, statusTick <-chan time.Time
	if idle > 0 {
		tk := time.NewTicker(idle / 4)
		defer tk.Stop()
		tick = tk.C
	}
	if status != nil {
		tk := time.NewTicker(status.every())
		defer tk.Stop()
		statusTick = tk.C
	}
	printed := 0
	lastRecord := time.Now()
	caughtUp := false
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-tick:
			if caughtUp && time.Since(lastRecord) >= idle {
				return nil
			}
		case <-statusTick:
			status.show()
		case b, ok := <-t.Batches():
			if !ok {
				return t.Err()
			}
			caughtUp = b.CaughtUp
			if status != nil {
				status.update(b)
			}
			for _, r := range b.Records {
				if err := p.print(r); err != nil {
					return quietPipe(err)
				}
				printed++
				lastRecord = time.Now()
				if max > 0 && printed >= max {
					return quietPipe(p.flush())
				}
			}
			if err := p.flush(); err != nil {
				return quietPipe(err)
			}
		}
	}
}

// quietPipe turns a closed pipe into a normal end.
func quietPipe(err error) error {
	if errors.Is(err, syscall.EPIPE) {
		return nil
	}
	return err
}
