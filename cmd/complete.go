package cmd

import (
	"context"
	"strings"
	"time"

	"github.com/spf13/cobra"
)

// addStreamCompletion makes every command whose first argument is STREAM
// complete stream names live, from ListStreams (shell completion through
// `kinspect completion bash|zsh|fish`).
func addStreamCompletion(root *cobra.Command, f *Factory) {
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		if fields := strings.Fields(c.Use); len(fields) > 1 && fields[1] == "STREAM" && c.ValidArgsFunction == nil {
			c.ValidArgsFunction = completeStreams(f)
		}
		for _, sub := range c.Commands() {
			walk(sub)
		}
	}
	walk(root)
}

func completeStreams(f *Factory) cobra.CompletionFunc {
	return func(c *cobra.Command, args []string, toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
		if len(args) > 0 {
			return nil, cobra.ShellCompDirectiveDefault
		}
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		client, err := f.Client(ctx)
		if err != nil {
			return nil, cobra.ShellCompDirectiveNoFileComp
		}
		streams, err := client.ListStreams(ctx)
		if err != nil {
			return nil, cobra.ShellCompDirectiveNoFileComp
		}
		var out []cobra.Completion
		for _, s := range streams {
			if strings.HasPrefix(s.Name, toComplete) {
				out = append(out, s.Name)
			}
		}
		return out, cobra.ShellCompDirectiveNoFileComp
	}
}
