package testenv

import (
	"context"
	"fmt"
	"time"
)

// waitActive polls status every pollEvery until it says ACTIVE or ctx
// ends; the error names what (e.g. "stream s"), the last status seen or the
// last error. status returns the resource's status, or an error.
func waitActive(ctx context.Context, what string, status func(context.Context) (string, error)) error {
	last := "no answer"
	for {
		s, err := status(ctx)
		switch {
		case err == nil && s == "ACTIVE":
			return nil
		case err == nil:
			last = "status " + s
		case ctx.Err() == nil:
			last = err.Error()
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("%s not ACTIVE (%s): %w", what, last, ctx.Err())
		case <-time.After(pollEvery):
		}
	}
}
