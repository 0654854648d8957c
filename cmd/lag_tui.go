package cmd

import (
	"context"
	"strings"
	"time"

	"github.com/kinspect/kinspect/kinesisx/explain"
	"github.com/kinspect/kinspect/kinesisx/lag"
)

// lagSource is the TUI's consumer-lag source (:lag and the shards view's
// APP LAG column) over the factory's clients.
type lagSource struct{ f *Factory }

// newLagSource builds the DynamoDB and Lambda clients now, on the event
// loop's side, so that the Cmds that read lag concurrently only read the
// factory.
func newLagSource(ctx context.Context, f *Factory) lagSource {
	_, _ = f.DynamoDB(ctx)
	_, _ = f.Lambda(ctx)
	return lagSource{f: f}
}

// Lag reads every application of the stream. The report holds what could
// be read; the error, one line, says what could not.
func (s lagSource) Lag(ctx context.Context, stream string) (lag.Report, error) {
	rep, problems, err := readLag(ctx, s.f, stream, nil, time.Now)
	if err != nil {
		return rep, err
	}
	if len(problems) > 0 {
		return rep, lagProblems(problems)
	}
	return rep, nil
}

// lagProblems are the parts of a lag read that failed, as one line; it is
// each of them for errors.Is (lag.ErrUnavailable).
type lagProblems []error

func (p lagProblems) Error() string {
	lines := make([]string, len(p))
	for i, e := range p {
		lines[i] = explain.Error(e)
	}
	return strings.Join(lines, "; ")
}

func (p lagProblems) Unwrap() []error { return p }
