package cmd

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/spf13/cobra"
	"golang.org/x/term"

	"github.com/kinspect/kinspect/kinesisx"
	"github.com/kinspect/kinspect/kinesisx/find"
)

type findOptions struct {
	f       *Factory
	Stream  string
	Shards  []string
	From    string
	Until   string
	Key     string
	Seq     string
	Grep    string
	Context int
	Max     int
	Output  string
	fromSet bool // --from was given
}

func newFindCmd(f *Factory) *cobra.Command {
	return newFindCmdWith(f, runFind)
}

func newFindCmdWith(f *Factory, runF func(context.Context, *findOptions) error) *cobra.Command {
	o := &findOptions{f: f}
	c := &cobra.Command{
		Use:   "find STREAM",
		Short: "Search a time window of every shard for a key, a sequence number or a pattern",
		Long: `Read every shard of the stream (closed parents included) from --from to --until
and print the records that match, with --context records of the same shard
around each, as grep -C does. --key and --seq match exactly; --grep is a
regular expression over the payload with gzip and base64 undone (CloudWatch
Logs payloads included). Given together they must all hold; with none, every
record of the window is printed. --seq reads only the shard that issued it,
from that record on unless --from is given (for context before it), and
stops at it.

It reads by polling, paced like tail. It exits 1 when nothing matched.`,
		Example: `  kinspect find orders --key user-42 --from -1h
  kinspect find app-logs --grep '"level":"ERROR"' --from -30m -C 2
  kinspect find orders --seq 49651234... --from trim-horizon -o json`,
		Args: cobra.ExactArgs(1),
		RunE: func(c *cobra.Command, args []string) error {
			o.Stream = args[0]
			if err := outputFlag(o.Output, "text", "json"); err != nil {
				return err
			}
			if o.Context < 0 || o.Max < 0 {
				return usagef("--context and --max must not be negative")
			}
			o.fromSet = c.Flags().Changed("from")
			return runF(c.Context(), o)
		},
	}
	fl := c.Flags()
	fl.StringVar(&o.From, "from", "-15m", "start of the window: trim-horizon, an RFC 3339 time or a duration ago (-1h)")
	fl.StringVar(&o.Until, "until", "", "end of the window: an RFC 3339 time or a duration ago (default: when find starts)")
	fl.StringVar(&o.Key, "key", "", "match this partition key")
	fl.StringVar(&o.Seq, "seq", "", "match this sequence number")
	fl.StringVar(&o.Grep, "grep", "", "match this regular expression in the payload")
	fl.StringArrayVar(&o.Shards, "shard", nil, "search only this shard (repeatable); default: the whole stream")
	fl.IntVarP(&o.Context, "context", "C", 0, "show N records of the same shard before and after each match")
	fl.IntVar(&o.Max, "max", 0, "stop after N matches")
	fl.StringVarP(&o.Output, "output", "o", "text", `text or json (tail's objects with "match": true or false)`)
	return c
}

// flagName is how the CLI names a field of find.Spec in errors.
func flagName(field string) string { return "--" + field }

// parseUntil reads --until (an RFC 3339 time or a duration ago), which must
// come after the start position (given as fromFlag).
func parseUntil(until, fromFlag string, from kinesisx.StartPosition, now time.Time) (time.Time, error) {
	t, err := find.ParseUntil(until, fromFlag, from, now, flagName)
	if err != nil {
		return t, usageError{err}
	}
	return t, nil
}

// query turns the flags into a search, checking them first (bad usage).
func (o *findOptions) query(now time.Time) (find.Query, kinesisx.StartPosition, error) {
	sp := find.Spec{Until: o.Until, Key: o.Key, Seq: o.Seq, Grep: o.Grep, Context: o.Context, Max: o.Max}
	if o.fromSet {
		sp.From = o.From
	}
	q, from, err := sp.Query(now, flagName)
	if err != nil {
		return q, from, usageError{err}
	}
	return q, from, nil
}

func runFind(ctx context.Context, o *findOptions) error {
	q, from, err := o.query(time.Now())
	if err != nil {
		return err
	}
	protos, err := o.f.Proto()
	if err != nil {
		return err
	}
	proto := protos.For(o.Stream)
	if proto != nil {
		q.Decode = proto.JSON
	}
	c, err := o.f.Client(ctx)
	if err != nil {
		return err
	}
	signal.Ignore(syscall.SIGPIPE)
	t, s, err := find.Start(ctx, c, o.Stream, o.Shards, q, from)
	if err != nil {
		return err
	}
	defer t.Close()

	w := bufio.NewWriterSize(o.f.Out, 64<<10)
	p := newRecordPrinter(w, o.Output, proto)
	prog := newFindProgress(o.f.Err, q.Until)
	marks := q.Context > 0
	scanErr := scan(ctx, t, s, func(l find.Line) error { return p.printFound(l, marks) }, p.flush, prog)
	prog.clear()
	if scanErr != nil {
		return scanErr
	}
	window := fmt.Sprintf("%d records on %d shard(s) up to %s UTC", s.Scanned, s.Shards(), q.Until.UTC().Format("15:04:05"))
	if ctx.Err() != nil {
		at := "the start"
		if p := s.Position(); !p.IsZero() {
			at = p.UTC().Format("15:04:05")
		}
		return fmt.Errorf("interrupted at %s UTC, after %d records on %d shard(s): %d match(es) so far", at, s.Scanned, s.Shards(), s.Matches)
	}
	if s.Matches == 0 {
		return fmt.Errorf("no record matched in %s", window)
	}
	fmt.Fprintf(o.f.Err, "%d match(es) in %s\n", s.Matches, window)
	return nil
}

// scan prints what the search shows of each batch until the window is
// read or --max matches (and the context after them) are shown, or ctx
// ends.
func scan(ctx context.Context, t *kinesisx.Tail, s *find.Search, emit func(find.Line) error, flush func() error, prog *findProgress) error {
	for {
		select {
		case <-ctx.Done():
			return quietPipe(flush())
		case b, ok := <-t.Batches():
			if !ok {
				if err := flush(); err != nil {
					return quietPipe(err)
				}
				return t.Err()
			}
			lines := s.Add(b)
			if len(lines) > 0 {
				prog.clear() // the records go where the progress line was
			}
			for _, l := range lines {
				if err := emit(l); err != nil {
					return quietPipe(err)
				}
			}
			if err := flush(); err != nil {
				return quietPipe(err)
			}
			prog.show(s)
			if s.Done() {
				return nil
			}
		}
	}
}

// findProgress keeps one line on a terminal's stderr up to date.
type findProgress struct {
	w     io.Writer
	until time.Time
	last  time.Time
	shown bool
}

// newFindProgress shows progress only when w is a terminal.
func newFindProgress(w io.Writer, until time.Time) *findProgress {
	if f, ok := w.(*os.File); !ok || !term.IsTerminal(int(f.Fd())) {
		return &findProgress{}
	}
	return &findProgress{w: w, until: until}
}

func (fp *findProgress) show(s *find.Search) {
	if fp == nil || fp.w == nil || (fp.shown && time.Since(fp.last) < 200*time.Millisecond) {
		return
	}
	fp.last, fp.shown = time.Now(), true
	at := "…"
	if p := s.Position(); !p.IsZero() {
		at = p.UTC().Format("15:04:05")
	}
	fmt.Fprintf(fp.w, "\r\x1b[Kscanning: %d records, %d match(es), at %s of %s UTC", s.Scanned, s.Matches, at, fp.until.UTC().Format("15:04:05"))
}

func (fp *findProgress) clear() {
	if fp != nil && fp.shown {
		fmt.Fprint(fp.w, "\r\x1b[K")
		fp.shown = false
	}
}
