package cmd

import (
	"context"
	"fmt"
	"time"

	"github.com/kinspect/kinspect/kinesisx/lag"
	"github.com/kinspect/kinspect/kinesisx/retention"
)

// readLag reads the lag of a stream's applications, for `kinspect lag`
// and the TUI (:lag, the shards view's APP LAG column): the KCL lease
// tables (named ones, or those found), and without named tables the Lambda
// mappings on the stream and on its EFO consumers. The report holds what
// could be read; problems what could not, each on its own. A DynamoDB
// without an endpoint is a problem wrapping lag.ErrUnavailable. err is set
// only when the stream itself could not be read.
func readLag(ctx context.Context, f *Factory, stream string, apps []string, now func() time.Time) (rep lag.Report, problems []error, err error) {
	kc, st, shards, err := f.streamAndShards(ctx, stream)
	if err != nil {
		return rep, nil, err
	}
	k, err := f.Kinesis(ctx)
	if err != nil {
		return rep, nil, err
	}
	ddb, ddbErr := f.DynamoDB(ctx)
	lam, lamErr := f.Lambda(ctx)
	cw, err := f.CloudWatch(ctx)
	if err != nil {
		return rep, nil, err
	}
	r := lag.New(k, ddb, lam, cw, lag.WithClock(now))
	rep = lag.Report{Stream: st.Name, StreamARN: st.ARN, Retention: retention.Retention(st)}
	if ddbErr != nil {
		problems = append(problems, unavailable{ddbErr})
	} else if found, err := r.KCL(ctx, st, shards, apps); err != nil {
		problems = append(problems, err)
	} else {
		rep.Applications = append(rep.Applications, found...)
	}
	if len(apps) > 0 {
		return rep, problems, nil
	}
	if lamErr != nil {
		return rep, append(problems, lamErr), nil
	}
	// A mapping that reads through enhanced fan-out is on an EFO
	// consumer's ARN, not on the stream's.
	sources := []string{st.ARN}
	consumers, err := kc.ListConsumers(ctx, st.ARN)
	if err != nil {
		problems = append(problems, fmt.Errorf("EFO consumers (for their Lambda mappings): %w", err))
	}
	for _, c := range consumers {
		sources = append(sources, c.ARN)
	}
	found, err := r.Lambda(ctx, sources...)
	if err != nil {
		problems = append(problems, err)
	}
	rep.Applications = append(rep.Applications, found...)
	return rep, problems, nil
}

// unavailable is a service with no endpoint: it reads as the factory's
// explanation and is lag.ErrUnavailable, so the TUI says how to turn it on.
type unavailable struct{ err error }

func (u unavailable) Error() string   { return u.err.Error() }
func (u unavailable) Unwrap() []error { return []error{lag.ErrUnavailable, u.err} }
