package cmd

import (
	"context"
	"errors"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/kinspect/kinspect/kinesisx/explain"
)

type lagOptions struct {
	f      *Factory
	Stream string
	Apps   []string
	Output string
	now    func() time.Time // the clock; nil is time.Now
}

func newLagCmd(f *Factory) *cobra.Command {
	return newLagCmdWith(f, runLag)
}

func newLagCmdWith(f *Factory, runF func(context.Context, *lagOptions) error) *cobra.Command {
	o := &lagOptions{f: f}
	c := &cobra.Command{
		Use:   "lag STREAM",
		Short: "Show how far behind each consumer is, per shard: KCL lease tables and Lambda mappings",
		Long: `Show each consuming application's lag on every shard, from the
applications' own state: the DynamoDB lease tables of KCL applications
(found with ListTables: tables keyed by leaseKey that hold leases of this
stream; --app names a table and skips the search and the Lambda mappings) and
the Lambda event source mappings on the stream and on its EFO consumers.

Per shard: the checkpoint, its owner and lease counter, the lag (GetRecords'
MillisBehindLatest one record after the checkpoint, and the records behind
when one more read reaches the tip), and the state: ok, no-lease (nobody
will read the shard), no-owner (nobody reads it now), blocked-by-parent (a
child waiting for its parent to reach SHARD_END), ended. Each application
shows its retention clock: how long until its laggard's oldest unread
record is trimmed. Lambda mappings show IteratorAge from CloudWatch.

It only reads (dynamodb:ListTables, DescribeTable, Scan;
lambda:ListEventSourceMappings; kinesis:GetShardIterator, GetRecords,
ListStreamConsumers;
cloudwatch:GetMetricData). DynamoDB and Lambda use the same AWS
configuration, with AWS_ENDPOINT_URL_DYNAMODB and AWS_ENDPOINT_URL_LAMBDA;
--endpoint-url is Kinesis's and CloudWatch's only, and next to a local
Kinesis endpoint a service without its own endpoint is not read.`,
		Example: `  kinspect lag orders
  kinspect lag orders --app billing-app -o json`,
		Args: cobra.ExactArgs(1),
		RunE: func(c *cobra.Command, args []string) error {
			o.Stream = args[0]
			if err := outputFlag(o.Output, "table", "json"); err != nil {
				return err
			}
			for _, a := range o.Apps {
				if strings.TrimSpace(a) == "" {
					return usagef("--app: want a lease table name")
				}
			}
			return runF(c.Context(), o)
		},
	}
	c.Flags().StringArrayVar(&o.Apps, "app", nil, "a KCL application's lease table (repeatable); default: find them")
	c.Flags().StringVarP(&o.Output, "output", "o", "table", "table or json")
	return c
}

func runLag(ctx context.Context, o *lagOptions) error {
	now := time.Now
	if o.now != nil {
		now = o.now
	}
	rep, errs, err := readLag(ctx, o.f, o.Stream, o.Apps, now)
	if err != nil {
		return err
	}
	var problems []string
	for _, e := range errs {
		problems = append(problems, explain.Error(e))
	}
	if o.Output == "json" {
		err = writeJSON(o.f.Out, lagReportJSON(rep))
	} else {
		err = writeLagTable(o.f.Out, rep, len(problems) == 0)
	}
	if err != nil {
		return err
	}
	if len(problems) > 0 {
		// What could be read is printed; the exit code says it was not all.
		return errors.New("lag: " + strings.Join(problems, "; "))
	}
	return nil
}
