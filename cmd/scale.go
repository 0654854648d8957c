package cmd

import (
	"context"
	"fmt"
	"strconv"

	"github.com/spf13/cobra"

	"github.com/kinspect/kinspect/kinesisx"
)

type scaleOptions struct {
	f      *Factory
	Stream string
	Count  int
	Yes    bool
}

func newScaleCmd(f *Factory) *cobra.Command {
	return newScaleCmdWith(f, runScale)
}

func newScaleCmdWith(f *Factory, runF func(context.Context, *scaleOptions) error) *cobra.Command {
	o := &scaleOptions{f: f}
	c := &cobra.Command{
		Use:   "scale STREAM COUNT",
		Short: "Set the open shard count (UpdateShardCount, uniform scaling)",
		Long: `Set the number of open shards of a PROVISIONED stream with UpdateShardCount
(UNIFORM_SCALING). The target must lie between half and double the open count;
AWS allows 10 scalings per stream per rolling 24 hours.

It shows the equivalent aws command and asks for confirmation (--yes skips it),
waits for the stream to become ACTIVE, and prints the open shards.`,
		Example: `  kinspect scale orders 8 --yes`,
		Args:    cobra.ExactArgs(2),
		RunE: func(c *cobra.Command, args []string) error {
			o.Stream = args[0]
			n, err := strconv.Atoi(args[1])
			if err != nil || n < 1 {
				return usagef("COUNT %q: want a positive number of shards", args[1])
			}
			o.Count = n
			return runF(c.Context(), o)
		},
	}
	c.Flags().BoolVarP(&o.Yes, "yes", "y", false, "do not ask for confirmation")
	return c
}

func runScale(ctx context.Context, o *scaleOptions) error {
	c, err := o.f.Client(ctx)
	if err != nil {
		return err
	}
	if err := mayMutate(o.f, o.Yes, kinesisx.ActionScale); err != nil {
		return err
	}
	plan, err := c.PlanScale(ctx, o.Stream, o.Count)
	if err != nil {
		return err
	}
	if err := confirm(o.f, o.Yes, confirmation{
		action:  kinesisx.ActionScale,
		what:    fmt.Sprintf("scale stream %s from %d to %d open shards", o.Stream, plan.OpenShards, o.Count),
		command: plan.Command,
		note:    "scaling takes minutes; AWS allows 10 scalings per stream per rolling 24 hours",
	}); err != nil {
		return err
	}
	if err := c.Scale(ctx, o.Stream, o.Count); err != nil {
		return err
	}
	var before []string
	for _, s := range plan.Shards {
		if s.Open {
			before = append(before, s.ID)
		}
	}
	return finishReshard(ctx, o.f, c, o.Stream, before)
}
