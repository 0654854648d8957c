package cmd

import (
	"context"
	"errors"
)

// runTUI opens the terminal UI on the streams view.
func runTUI(ctx context.Context, f *Factory) error {
	_ = ctx
	_ = f
	return errors.New("the terminal UI is not built yet: use the subcommands (kinspect --help)")
}
