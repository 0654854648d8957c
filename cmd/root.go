// Package cmd holds kinspect's cobra commands: flag parsing and wiring only.
// Each command has an Options struct and a run function, so flag parsing can
// be tested without running the command.
package cmd

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	"github.com/spf13/cobra"

	"github.com/kinspect/kinspect/kinesisx/explain"
)

// Stdio is the process's standard streams.
type Stdio struct {
	In  io.Reader
	Out io.Writer
	Err io.Writer
}

// Exit codes, as DESIGN.md §8 fixes them.
const (
	ExitOK      = 0
	ExitFailure = 1
	ExitUsage   = 2
)

// usageError marks an error as bad usage (exit 2).
type usageError struct{ err error }

func (e usageError) Error() string { return e.err.Error() }
func (e usageError) Unwrap() error { return e.err }

// usagef returns a usage error (exit 2).
func usagef(format string, a ...any) error {
	return usageError{fmt.Errorf(format, a...)}
}

// Execute runs kinspect with args and returns the process exit code. It
// cancels the command's context on SIGINT, SIGTERM and SIGHUP (the
// terminal closed: a closed window, `tmux kill-window`), so that deferred
// cleanup (deregistering EFO consumers, turning off shard-level metrics
// whose auto-off was pending, restoring the terminal) runs. Signals that
// arrive during that cleanup are caught too: they do not cut it short.
func Execute(args []string, stdio Stdio) int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM, syscall.SIGHUP)
	defer stop()
	return execute(ctx, newFactory(stdio), args)
}

// execute runs one command line over a factory and returns the exit code,
// printing any error as one line on the factory's stderr. Tests call it
// with buffers.
func execute(ctx context.Context, f *Factory, args []string) int {
	root := NewRootCmd(f)
	root.SetArgs(args)
	root.SetIn(f.In)
	root.SetOut(f.Out)
	root.SetErr(f.Err)
	err := root.ExecuteContext(ctx)
	if err == nil {
		return ExitOK
	}
	fmt.Fprintln(f.Err, "kinspect: "+explain.Error(err))
	var ue usageError
	if errors.As(err, &ue) || isCobraUsage(err) {
		return ExitUsage
	}
	return ExitFailure
}

// NewRootCmd builds the command tree over a factory.
func NewRootCmd(f *Factory) *cobra.Command {
	root := &cobra.Command{
		Use:           "kinspect",
		Short:         "Inspect Amazon Kinesis Data Streams: browse, tail, put, reshard",
		Long:          "kinspect is a terminal UI and pipe-friendly CLI for Amazon Kinesis Data Streams.\nRun it with no command for the TUI, or try `kinspect demo` to see it on a built-in local endpoint.",
		SilenceUsage:  true,
		SilenceErrors: true,
		Args:          cobra.NoArgs,
		RunE: func(c *cobra.Command, _ []string) error {
			return runTUI(c.Context(), f)
		},
	}
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return usageError{err} })
	g := &f.Globals
	pf := root.PersistentFlags()
	pf.StringVar(&g.Profile, "profile", "", "AWS shared config profile (default: AWS_PROFILE or the default chain)")
	pf.StringVar(&g.Region, "region", "", "AWS region (default: AWS_REGION or the profile's)")
	pf.StringVar(&g.EndpointURL, "endpoint-url", "", "Kinesis and CloudWatch endpoint, e.g. http://127.0.0.1:4567 (default: AWS_ENDPOINT_URL_KINESIS)")
	pf.BoolVar(&g.ReadOnly, "read-only", false, "refuse every mutation (put, split, merge, scale, consumers, monitoring); also on for the profiles listed in KINSPECT_READ_ONLY_PROFILES")
	pf.BoolVar(&g.NoColor, "no-color", os.Getenv("NO_COLOR") != "", "no colour (also NO_COLOR)")
	pf.StringVar(&g.ProtoDescriptor, "proto-descriptor", "", "decode payloads as protobuf with this descriptor set (protoc --include_imports --descriptor_set_out, buf build -o)")
	pf.StringVar(&g.ProtoMessage, "proto-message", "", "the payloads' protobuf message type, e.g. shop.v1.Order, or one per stream: orders=shop.v1.Order,refunds=shop.v1.Refund (with --proto-descriptor)")
	for _, add := range f.commands {
		root.AddCommand(add(f))
	}
	root.AddCommand(newVersionCmd(f))
	setVersion(root)
	addStreamCompletion(root, f)
	return root
}

// isCobraUsage recognises cobra's own argument errors.
func isCobraUsage(err error) bool {
	msg := err.Error()
	for _, p := range []string{"unknown command", "unknown flag", "unknown shorthand flag", "accepts ", "requires at least", "requires at most", "invalid argument", "flag needs an argument"} {
		if len(msg) >= len(p) && containsFold(msg, p) {
			return true
		}
	}
	return false
}
