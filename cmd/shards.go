package cmd

import (
	"context"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/kinspect/kinspect/kinesisx"
)

type shardsOptions struct {
	f      *Factory
	Stream string
	Output string
	Tree   bool
}

func newShardsCmd(f *Factory) *cobra.Command {
	o := &shardsOptions{f: f}
	c := &cobra.Command{
		Use:   "shards STREAM",
		Short: "List a stream's shards, open and closed, with lineage and hash ranges",
		Args:  cobra.ExactArgs(1),
		RunE: func(c *cobra.Command, args []string) error {
			o.Stream = args[0]
			if err := outputFlag(o.Output, "table", "json"); err != nil {
				return err
			}
			return runShards(c.Context(), o)
		},
	}
	c.Flags().StringVarP(&o.Output, "output", "o", "table", "table or json")
	c.Flags().BoolVar(&o.Tree, "tree", false, "show the lineage as a tree (table output)")
	return c
}

// shardJSON is one shard in `shards -o json` (DESIGN.md §8).
type shardJSON struct {
	ID               string `json:"id"`
	Parent           string `json:"parent"`
	AdjacentParent   string `json:"adjacentParent"`
	StartingHashKey  string `json:"startingHashKey"`
	EndingHashKey    string `json:"endingHashKey"`
	StartingSequence string `json:"startingSequence"`
	EndingSequence   string `json:"endingSequence"`
	Open             bool   `json:"open"`
}

func runShards(ctx context.Context, o *shardsOptions) error {
	c, err := o.f.Client(ctx)
	if err != nil {
		return err
	}
	shards, err := c.ListShards(ctx, o.Stream)
	if err != nil {
		return err
	}
	if o.Output == "json" {
		out := make([]shardJSON, 0, len(shards))
		for _, s := range shards {
			out = append(out, shardJSON{ID: s.ID, Parent: s.ParentID, AdjacentParent: s.AdjacentParentID,
				StartingHashKey: s.HashRange.Start.String(), EndingHashKey: s.HashRange.End.String(),
				StartingSequence: s.SeqRange.Start, EndingSequence: s.SeqRange.End, Open: s.Open})
		}
		return writeJSON(o.f.Out, out)
	}
	t := newTable(o.f.Out, "SHARD", "STATE", "PARENTS", "KEYSPACE", "STARTING HASH KEY", "ENDING HASH KEY")
	row := func(s kinesisx.Shard, indent string) {
		state := "CLOSED"
		if s.Open {
			state = "OPEN"
		}
		parents := strings.Join(s.Parents(), "+")
		if parents == "" {
			parents = "-"
		}
		t.row(indent+s.ID, state, parents, fmt.Sprintf("%.2f%%", 100*s.HashRange.Share()), s.HashRange.Start.String(), s.HashRange.End.String())
	}
	if o.Tree {
		kinesisx.NewLineage(shards).Walk(func(s kinesisx.Shard, depth int) {
			indent := ""
			if depth > 0 {
				indent = strings.Repeat("  ", depth-1) + "└ "
			}
			row(s, indent)
		})
	} else {
		for _, s := range shards {
			row(s, "")
		}
	}
	return t.flush()
}
