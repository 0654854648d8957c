package cmd

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kinesis"
	"github.com/spf13/cobra"

	"github.com/kinspect/kinspect/internal/demo"
	"github.com/kinspect/kinspect/kinesisx"
	"github.com/kinspect/kinspect/kinesisx/local"
)

type demoOptions struct {
	f    *Factory
	Addr string
}

func newDemoCmd(f *Factory) *cobra.Command {
	o := &demoOptions{f: f}
	c := &cobra.Command{
		Use:   "demo",
		Short: "Open the TUI on the built-in endpoint, with sample streams and live traffic (no AWS needed)",
		Long: `demo starts kinspect's built-in Kinesis endpoint in this process, with the
Kinesis limits on, creates three sample streams with live producers (orders,
with a hot partition key near its shard's limit; clickstream-kpl, with KPL
aggregates; app-logs, with gzip CloudWatch Logs payloads), and opens the TUI on
it. When moto_server is installed (pip install 'moto[server]'), it also starts
it on loopback as the DynamoDB of a KCL-like consumer of orders, orders-billing,
whose lease table :lag reads (one shard is kept 30 s behind). Nothing leaves
this machine.`,
		Args: cobra.NoArgs,
		RunE: func(c *cobra.Command, _ []string) error {
			return runDemo(c.Context(), o)
		},
	}
	c.Flags().StringVar(&o.Addr, "addr", "127.0.0.1:0", "address of the built-in endpoint")
	return c
}

// demoEndpoint starts the built-in endpoint, with the Kinesis limits on,
// and the demo streams and their producers. stop ends them all.
func demoEndpoint(ctx context.Context, f *Factory, addr string) (url string, stop func(), err error) {
	const delay = 2 * time.Minute
	srv := local.New(local.Options{Limits: true, MaxBytesPerStream: demoMaxBytes, MetricsDelay: delay})
	url, err = srv.Start(addr)
	if err != nil {
		return "", nil, fmt.Errorf("start the built-in endpoint: %w", err)
	}
	stopTraffic, err := demoTraffic(ctx, f, url, srv, delay)
	if err != nil {
		_ = srv.Close()
		return "", nil, err
	}
	return url, func() {
		stopTraffic()
		_ = srv.Close()
	}, nil
}

// demoTraffic points the factory at the endpoint, creates the demo streams,
// backfills srv's metrics with an hour of their traffic (and the delay
// CloudWatch publishes with, so an hour shows) and starts their producers;
// stop ends the producers.
func demoTraffic(ctx context.Context, f *Factory, url string, srv *local.Server, delay time.Duration) (stop func(), err error) {
	f.EndpointURL = url
	cfg, err := f.AWSConfig(ctx)
	if err != nil {
		return nil, err
	}
	// The producers get a client of their own, outside the call log: the
	// log (the TUI's :log) is for the calls the user's actions make.
	k := kinesis.NewFromConfig(cfg, func(o *kinesis.Options) {
		o.BaseEndpoint = aws.String(url)
		o.HTTPClient = kinesisx.WrapHTTPClient(o.HTTPClient)
	})
	streams := demo.Streams()
	if err := demo.Setup(ctx, k, streams); err != nil {
		return nil, err
	}
	if err := demo.Backfill(ctx, k, srv, streams, time.Now(), time.Hour+delay); err != nil {
		return nil, err
	}
	pctx, cancel := context.WithCancel(ctx)
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		demo.Run(pctx, k, streams)
	}()
	return func() {
		cancel()
		wg.Wait()
	}, nil
}

// demoMaxBytes caps each demo stream's records in memory: a few minutes of
// the orders stream's traffic, so that an hour of demo stays small.
const demoMaxBytes = 24 << 20

func runDemo(ctx context.Context, o *demoOptions) error {
	defer softMemoryLimit(demoMemoryLimit)()
	url, stop, err := demoEndpoint(ctx, o.f, o.Addr)
	if err != nil {
		return err
	}
	defer stop()
	defer demoLag(ctx, o.f, url)()
	return runTUI(ctx, o.f)
}
