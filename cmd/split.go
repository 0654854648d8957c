package cmd

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/kinspect/kinspect/kinesisx"
	"github.com/kinspect/kinspect/kinesisx/hashkey"
)

// keySampler reads the recent traffic of one shard, for --at median.
type keySampler func(ctx context.Context, c *kinesisx.Client, stream, shard string) ([]kinesisx.KeySample, error)

type splitOptions struct {
	f      *Factory
	Stream string
	Shard  string
	At     string
	Yes    bool
	// sampleKeys reads the shard's recent records for --at median.
	sampleKeys keySampler
}

func newSplitCmd(f *Factory) *cobra.Command {
	return newSplitCmdWith(f, runSplit)
}

func newSplitCmdWith(f *Factory, runF func(context.Context, *splitOptions) error) *cobra.Command {
	o := &splitOptions{f: f, sampleKeys: sampleRecentKeys}
	c := &cobra.Command{
		Use:   "split STREAM SHARD",
		Short: "Split an open shard at its midpoint, a hash key, or the median of its recent traffic",
		Long: `Split an open shard of a PROVISIONED stream in two. --at chooses the new
starting hash key: mid (the default) halves the hash range; median reads the
shard's last ` + sampleWindow.String() + ` of records and splits where their bytes divide in half
(by partition key: readers never see explicit hash keys);
a decimal hash key X must satisfy START+1 < X < END.

It shows the equivalent aws command and asks for confirmation (--yes skips it),
waits for the stream to become ACTIVE, and prints the resulting lineage.`,
		Example: `  kinspect split orders shardId-000000000000
  kinspect split orders shardId-000000000000 --at median --yes`,
		Args: cobra.ExactArgs(2),
		RunE: func(c *cobra.Command, args []string) error {
			o.Stream, o.Shard = args[0], args[1]
			if o.At != "mid" && o.At != "median" {
				if _, err := hashkey.Parse(o.At); err != nil {
					return usagef("--at: want mid, median or a decimal hash key: %v", err)
				}
			}
			return runF(c.Context(), o)
		},
	}
	c.Flags().StringVar(&o.At, "at", "mid", "mid, median, or a decimal hash key")
	c.Flags().BoolVarP(&o.Yes, "yes", "y", false, "do not ask for confirmation")
	return c
}

func runSplit(ctx context.Context, o *splitOptions) error {
	c, err := o.f.Client(ctx)
	if err != nil {
		return err
	}
	if err := mayMutate(o.f, o.Yes, kinesisx.ActionSplit); err != nil {
		return err
	}
	at, err := o.splitKey(ctx, c)
	if err != nil {
		return err
	}
	plan, err := c.PlanSplit(ctx, o.Stream, o.Shard, at)
	if err != nil {
		return err
	}
	if err := confirm(o.f, o.Yes, confirmation{
		action:  kinesisx.ActionSplit,
		what:    fmt.Sprintf("split %s of stream %s at hash key %s", o.Shard, o.Stream, at),
		command: plan.Command,
	}); err != nil {
		return err
	}
	if err := c.Split(ctx, o.Stream, o.Shard, at); err != nil {
		return err
	}
	return finishReshard(ctx, o.f, c, o.Stream, []string{o.Shard})
}

// splitKey resolves --at. For mid and median it reads the shard's range;
// a shard that does not exist is left for PlanSplit to report.
func (o *splitOptions) splitKey(ctx context.Context, c *kinesisx.Client) (hashkey.Key, error) {
	if o.At != "mid" && o.At != "median" {
		return hashkey.Parse(o.At)
	}
	shards, err := c.ListShards(ctx, o.Stream)
	if err != nil {
		return hashkey.Key{}, err
	}
	sh, ok := kinesisx.FindShard(shards, o.Shard)
	if !ok || !sh.Open {
		return hashkey.Key{}, nil // PlanSplit names the problem
	}
	mid := kinesisx.MidpointKey(sh.HashRange)
	if o.At == "mid" {
		return mid, nil
	}
	if o.sampleKeys == nil {
		return hashkey.Key{}, errors.New("--at median: no traffic sampler in this build; use --at mid or a hash key")
	}
	fmt.Fprintf(o.f.Err, "reading the last %s of %s to find its median hash key...\n", sampleWindow, o.Shard)
	samples, err := o.sampleKeys(ctx, c, o.Stream, o.Shard)
	if err != nil {
		return hashkey.Key{}, fmt.Errorf("--at median: %w", err)
	}
	at, ok := kinesisx.MedianSplitKey(sh.HashRange, samples)
	if !ok {
		return hashkey.Key{}, fmt.Errorf("--at median: no records on %s in the last %s; use --at mid or a hash key", o.Shard, sampleWindow)
	}
	lo, hi := kinesisx.SplitShares(samples, at)
	mlo, mhi := kinesisx.SplitShares(samples, mid)
	fmt.Fprintf(o.f.Err, "median of %d records: the children would get %.1f%% / %.1f%% of the bytes (the midpoint: %.1f%% / %.1f%%)\n",
		len(samples), 100*lo, 100*hi, 100*mlo, 100*mhi)
	return at, nil
}

// sampleWindow is how much recent traffic --at median reads.
const sampleWindow = 5 * time.Minute

// sampleRecentKeys reads the shard from sampleWindow ago until it is caught
// up (at most 30 s or 200,000 records), as records were put: KPL aggregates
// are not unpacked, since the service routes an aggregate by its own key.
// Readers never see the explicit hash key a producer sent, so records put
// with one are counted at the hash of their partition key.
func sampleRecentKeys(ctx context.Context, c *kinesisx.Client, stream, shard string) ([]kinesisx.KeySample, error) {
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	t, err := c.Tail(ctx, kinesisx.TailOptions{
		Stream:        stream,
		Shards:        []string{shard},
		From:          kinesisx.StartPosition{Type: kinesisx.PositionAtTimestamp, Timestamp: time.Now().Add(-sampleWindow)},
		NoDeaggregate: true,
	})
	if err != nil {
		return nil, err
	}
	defer t.Close()
	var out []kinesisx.KeySample
	for b := range t.Batches() {
		for _, r := range b.Records {
			k := hashkey.FromPartitionKey(r.PartitionKey)
			if r.ExplicitHashKey != "" {
				if ek, err := hashkey.Parse(r.ExplicitHashKey); err == nil {
					k = ek
				}
			}
			out = append(out, kinesisx.KeySample{Key: k, Bytes: len(r.Data) + len(r.PartitionKey)})
		}
		if b.CaughtUp || len(out) >= 200_000 {
			return out, nil
		}
	}
	if err := t.Err(); err != nil && !errors.Is(err, context.DeadlineExceeded) {
		return nil, err
	}
	return out, nil
}

// finishReshard waits for the stream to become ACTIVE, with progress on
// stderr, then prints the lineage around the shards that were changed.
func finishReshard(ctx context.Context, f *Factory, c *kinesisx.Client, stream string, changed []string) error {
	start := time.Now()
	err := c.WaitActive(ctx, stream, func(status string) {
		fmt.Fprintf(f.Err, "stream %s: %s (%s)\n", stream, status, time.Since(start).Round(100*time.Millisecond))
	})
	if err != nil {
		return err
	}
	shards, err := c.ListShards(ctx, stream)
	if err != nil {
		return err
	}
	return printLineage(f, shards, changed)
}

// printLineage prints the changed shards, then their descendants
// generation by generation.
func printLineage(f *Factory, shards []kinesisx.Shard, changed []string) error {
	l := kinesisx.NewLineage(shards)
	t := newTable(f.Out, "SHARD", "STATE", "PARENTS", "STARTING HASH KEY", "ENDING HASH KEY", "SHARE")
	seen := map[string]bool{}
	queue := append([]string(nil), changed...)
	for len(queue) > 0 {
		id := queue[0]
		queue = queue[1:]
		s, ok := l.Shard(id)
		if seen[id] || !ok {
			continue
		}
		seen[id] = true
		state := "closed"
		if s.Open {
			state = "open"
		}
		parents := strings.Join(s.Parents(), ",")
		if parents == "" {
			parents = "-"
		}
		t.row(s.ID, state, parents, s.HashRange.Start.String(), s.HashRange.End.String(), fmt.Sprintf("%.1f%%", 100*s.HashRange.Share()))
		queue = append(queue, l.Children(id)...)
	}
	return t.flush()
}
