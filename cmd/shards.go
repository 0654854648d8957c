package cmd

import (
	"context"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/kinspect/kinspect/kinesisx"
	"github.com/kinspect/kinspect/kinesisx/hashkey"
)

type shardsOptions struct {
	f       *Factory
	Stream  string
	Output  string
	Tree    bool
	Key     string
	HashKey string
}

func newShardsCmd(f *Factory) *cobra.Command {
	o := &shardsOptions{f: f}
	c := &cobra.Command{
		Use:   "shards STREAM",
		Short: "List a stream's shards, open and closed, with lineage and hash ranges",
		Long: `List a stream's shards, open and closed (within retention), with their
parents, their share of the key space and their hash ranges.

--key K (or --hash-key H) keeps the shards whose range holds the key's hash:
the open shard that takes the key now and the closed ancestors that took it
before, oldest first.`,
		Example: `  kinspect shards orders --tree
  kinspect shards orders --key user-42`,
		Args: cobra.ExactArgs(1),
		RunE: func(c *cobra.Command, args []string) error {
			o.Stream = args[0]
			if err := outputFlag(o.Output, "table", "json"); err != nil {
				return err
			}
			if o.Key != "" && o.HashKey != "" {
				return usagef("choose one of --key and --hash-key")
			}
			if o.HashKey != "" {
				if _, err := hashkey.Parse(o.HashKey); err != nil {
					return usagef("--hash-key: %v", err)
				}
			}
			return runShards(c.Context(), o)
		},
	}
	c.Flags().StringVarP(&o.Output, "output", "o", "table", "table or json")
	c.Flags().BoolVar(&o.Tree, "tree", false, "show the lineage as a tree (table output)")
	c.Flags().StringVar(&o.Key, "key", "", "only the shards that held this partition key (now and before resharding)")
	c.Flags().StringVar(&o.HashKey, "hash-key", "", "only the shards whose hash range holds this hash key")
	return c
}

// keyFilter returns which shards to show and, for --key, a line that says
// where the key hashes to.
func (o *shardsOptions) keyFilter() (keep func(kinesisx.Shard) bool, note string) {
	var h hashkey.Key
	switch {
	case o.Key != "":
		h = hashkey.FromPartitionKey(o.Key)
		note = fmt.Sprintf("partition key %q hashes to %s", o.Key, h)
	case o.HashKey != "":
		h, _ = hashkey.Parse(o.HashKey) // checked in RunE
	default:
		return func(kinesisx.Shard) bool { return true }, ""
	}
	return func(s kinesisx.Shard) bool { return s.HashRange.Contains(h) }, note
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
	all, err := c.ListShards(ctx, o.Stream)
	if err != nil {
		return err
	}
	keep, note := o.keyFilter()
	var shards []kinesisx.Shard
	for _, s := range all {
		if keep(s) {
			shards = append(shards, s)
		}
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
	if note != "" {
		fmt.Fprintln(o.f.Out, note)
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
