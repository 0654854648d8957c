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
time or reached its tip.`,
		Example: `  kinspect tail orders --from -15m -o json | jq .data
  kinspect tail orders --shard shardId-000000000001 --efo --max 100
  kinspect tail orders --from trim-horizon --idle 2s -o json > orders.jsonl
  kinspect tail orders --from 2026-11-26T09:00:00Z --until 2026-11-26T09:05:00Z -o json`,
		Args: cobra.ExactArgs(1),
		RunE: func(c *cobra.Command, args []string) error {
			o.Stream = args[0]
			if err := outputFlag(o.Output, "text", "json", "raw"); err != nil {
				return err
			}
			if o.Max < 0 || o.Idle < 0 {
				return usagef("--max and --idle must not be negative")
			}
			if o.Consumer != "" && !o.EFO {
				return usagef("--consumer goes with --efo")
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
		NoDeaggregate: o.NoDeaggregate, FlushInterval: 10 * time.Millisecond,
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
	return efoHint(follow(ctx, t, p, o.Max, o.Idle))
}

// efoHint tells how to read from an endpoint without enhanced fan-out.
func efoHint(err error) error {
	if errors.Is(err, kinesisx.ErrEFOUnsupported) {
		return fmt.Errorf("%w; read by polling instead (drop --efo)", err)
	}
	return err
}

// follow prints batches until the tail ends, --max records were printed,
// or (with --idle) the tail is caught up and quiet for that long.
func follow(ctx context.Context, t *kinesisx.Tail, p *recordPrinter, max int, idle time.Duration) error {
	var tick <-chan time.Time
	if idle > 0 {
		tk := time.NewTicker(idle / 4)
		defer tk.Stop()
		tick = tk.C
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
		case b, ok := <-t.Batches():
			if !ok {
				return t.Err()
			}
			caughtUp = b.CaughtUp
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
