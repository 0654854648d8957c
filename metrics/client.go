// Package metrics reads Kinesis throughput from CloudWatch (GetMetricData,
// namespace AWS/Kinesis) and sets it against the per-shard limits: 1 MiB/s
// and 1,000 records/s in, 2 MiB/s out. It also merges CloudWatch's minutes,
// which arrive one to three minutes late, with live per-minute rates
// computed from a running tail (Nowcast, Accumulator).
//
// A Stream call builds its queries deterministically, packs them into as
// few GetMetricData calls as the API allows (≤ 500 queries and ≤ 100,800
// data points each), follows NextToken, and runs the calls on at most
// Concurrency goroutines, all of which have ended when it returns. A Client
// holds no mutable state and is safe for concurrent use.
//
// The package never imports bubbletea or lipgloss: the CLI and the TUI are
// both clients of it.
package metrics

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/service/cloudwatch"
)

// DefaultConcurrency is how many GetMetricData calls run at once. The
// regional limit is 50 TPS per account, shared with every other caller.
const DefaultConcurrency = 4

// api is the part of *cloudwatch.Client this package calls, with the SDK's
// exact signature, so tests fake it.
type api interface {
	GetMetricData(ctx context.Context, params *cloudwatch.GetMetricDataInput, optFns ...func(*cloudwatch.Options)) (*cloudwatch.GetMetricDataOutput, error)
}

// Client reads Kinesis metrics from CloudWatch.
type Client struct {
	api         api
	concurrency int
}

// Option configures a Client.
type Option func(*Client)

// WithConcurrency bounds the GetMetricData calls in flight (default 4;
// values below 1 mean 1).
func WithConcurrency(n int) Option {
	return func(c *Client) { c.concurrency = max(1, n) }
}

// New returns a Client over the SDK's CloudWatch client.
func New(cw *cloudwatch.Client, opts ...Option) *Client {
	return newClient(cw, opts...)
}

func newClient(a api, opts ...Option) *Client {
	c := &Client{api: a, concurrency: DefaultConcurrency}
	for _, o := range opts {
		o(c)
	}
	return c
}
