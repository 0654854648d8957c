package cmd

import (
	"context"
	"os"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/kinesis"

	"github.com/kinspect/kinspect/internal/demo/kcl"
	"github.com/kinspect/kinspect/internal/moto"
	"github.com/kinspect/kinspect/kinesisx"
)

// The demo's KCL-like application: it consumes orders with two workers,
// and keeps shard 1 (not the hot key's shard, 3) 30 s behind. 30 s stays
// well inside what the demo endpoint keeps of orders (demoMaxBytes).
const (
	demoLagApp   = "orders-billing"
	demoLagShard = "shardId-000000000001"
	demoLagDelay = 30 * time.Second
)

// demoLag gives the demo a DynamoDB for consumer lag: when moto_server is
// installed it starts it on loopback, points the Factory's DynamoDB and
// Lambda at it (Factory.Endpoints, unless AWS_ENDPOINT_URL_DYNAMODB or
// _LAMBDA is set, before the TUI builds its clients) and, once moto answers, runs the KCL-like
// consumer of orders against the endpoint at url. Without moto it does
// nothing: the :lag screen says how to turn it on. stop ends the consumer
// and moto; a signal ends the command's context, and so both.
func demoLag(ctx context.Context, f *Factory, url string) (stop func()) {
	if os.Getenv("AWS_ENDPOINT_URL_DYNAMODB") != "" {
		return func() {} // the user's own DynamoDB
	}
	srv, err := moto.Launch()
	if err != nil {
		return func() {}
	}
	// Before the TUI builds its DynamoDB and Lambda clients, which take
	// these as AWS_ENDPOINT_URL_DYNAMODB and _LAMBDA.
	f.Endpoints = map[string]string{"DYNAMODB": srv.URL}
	if os.Getenv("AWS_ENDPOINT_URL_LAMBDA") == "" {
		f.Endpoints["LAMBDA"] = srv.URL
	}
	cfg, err := f.AWSConfig(ctx)
	if err != nil {
		srv.Close()
		return func() {}
	}
	// Clients of its own, outside the call log (as the producers').
	k := kinesis.NewFromConfig(cfg, func(o *kinesis.Options) {
		o.BaseEndpoint = aws.String(url)
		o.HTTPClient = kinesisx.WrapHTTPClient(o.HTTPClient)
	})
	d := dynamodb.NewFromConfig(cfg, func(o *dynamodb.Options) { o.BaseEndpoint = aws.String(srv.URL) })
	cctx, cancel := context.WithCancel(ctx)
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		if srv.Ready(cctx) != nil {
			return
		}
		c := kcl.New(k, d, kcl.Options{App: demoLagApp, Stream: "orders", Workers: []string{"worker-a", "worker-b"},
			SlowShard: demoLagShard, Delay: demoLagDelay})
		_ = c.Run(cctx)
	}()
	return func() {
		cancel()
		wg.Wait()
		srv.Close()
	}
}
