package cmd

import (
	"context"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/kinspect/kinspect/kinesisx"
)

type mergeOptions struct {
	f        *Factory
	Stream   string
	Shard    string
	Adjacent string
	Yes      bool
}

func newMergeCmd(f *Factory) *cobra.Command {
	return newMergeCmdWith(f, runMerge)
}

func newMergeCmdWith(f *Factory, runF func(context.Context, *mergeOptions) error) *cobra.Command {
	o := &mergeOptions{f: f}
	c := &cobra.Command{
		Use:   "merge STREAM SHARD ADJACENT_SHARD",
		Short: "Merge two adjacent open shards",
		Long: `Merge two open shards of a PROVISIONED stream whose hash ranges touch. When they
do not, the error names the shards that are adjacent to the first.

It shows the equivalent aws command and asks for confirmation (--yes skips it),
waits for the stream to become ACTIVE, and prints the resulting lineage.`,
		Example: `  kinspect merge orders shardId-000000000001 shardId-000000000002`,
		Args:    cobra.ExactArgs(3),
		RunE: func(c *cobra.Command, args []string) error {
			o.Stream, o.Shard, o.Adjacent = args[0], args[1], args[2]
			return runF(c.Context(), o)
		},
	}
	c.Flags().BoolVarP(&o.Yes, "yes", "y", false, "do not ask for confirmation")
	return c
}

func runMerge(ctx context.Context, o *mergeOptions) error {
	c, err := o.f.Client(ctx)
	if err != nil {
		return err
	}
	if err := mayMutate(o.f, o.Yes, kinesisx.ActionMerge); err != nil {
		return err
	}
	plan, err := c.PlanMerge(ctx, o.Stream, o.Shard, o.Adjacent)
	if err != nil {
		return err
	}
	if err := confirm(o.f, o.Yes, confirmation{
		action:  kinesisx.ActionMerge,
		what:    fmt.Sprintf("merge %s and %s of stream %s", plan.ShardID, plan.Adjacent, o.Stream),
		command: plan.Command,
	}); err != nil {
		return err
	}
	if err := c.Merge(ctx, o.Stream, plan.ShardID, plan.Adjacent); err != nil {
		return err
	}
	return finishReshard(ctx, o.f, c, o.Stream, []string{plan.ShardID, plan.Adjacent})
}
