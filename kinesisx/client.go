package kinesisx

import (
	"context"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/kinesis"
)

// kinesisAPI lists the SDK methods kinspect calls, with the SDK's exact
// signatures: *kinesis.Client satisfies it and unit tests fake it.
type kinesisAPI interface {
	ListStreams(ctx context.Context, in *kinesis.ListStreamsInput, optFns ...func(*kinesis.Options)) (*kinesis.ListStreamsOutput, error)
	DescribeStreamSummary(ctx context.Context, in *kinesis.DescribeStreamSummaryInput, optFns ...func(*kinesis.Options)) (*kinesis.DescribeStreamSummaryOutput, error)
	ListShards(ctx context.Context, in *kinesis.ListShardsInput, optFns ...func(*kinesis.Options)) (*kinesis.ListShardsOutput, error)
	GetShardIterator(ctx context.Context, in *kinesis.GetShardIteratorInput, optFns ...func(*kinesis.Options)) (*kinesis.GetShardIteratorOutput, error)
	GetRecords(ctx context.Context, in *kinesis.GetRecordsInput, optFns ...func(*kinesis.Options)) (*kinesis.GetRecordsOutput, error)
	SubscribeToShard(ctx context.Context, in *kinesis.SubscribeToShardInput, optFns ...func(*kinesis.Options)) (*kinesis.SubscribeToShardOutput, error)
	PutRecord(ctx context.Context, in *kinesis.PutRecordInput, optFns ...func(*kinesis.Options)) (*kinesis.PutRecordOutput, error)
	PutRecords(ctx context.Context, in *kinesis.PutRecordsInput, optFns ...func(*kinesis.Options)) (*kinesis.PutRecordsOutput, error)
	SplitShard(ctx context.Context, in *kinesis.SplitShardInput, optFns ...func(*kinesis.Options)) (*kinesis.SplitShardOutput, error)
	MergeShards(ctx context.Context, in *kinesis.MergeShardsInput, optFns ...func(*kinesis.Options)) (*kinesis.MergeShardsOutput, error)
	UpdateShardCount(ctx context.Context, in *kinesis.UpdateShardCountInput, optFns ...func(*kinesis.Options)) (*kinesis.UpdateShardCountOutput, error)
	RegisterStreamConsumer(ctx context.Context, in *kinesis.RegisterStreamConsumerInput, optFns ...func(*kinesis.Options)) (*kinesis.RegisterStreamConsumerOutput, error)
	DescribeStreamConsumer(ctx context.Context, in *kinesis.DescribeStreamConsumerInput, optFns ...func(*kinesis.Options)) (*kinesis.DescribeStreamConsumerOutput, error)
	ListStreamConsumers(ctx context.Context, in *kinesis.ListStreamConsumersInput, optFns ...func(*kinesis.Options)) (*kinesis.ListStreamConsumersOutput, error)
	DeregisterStreamConsumer(ctx context.Context, in *kinesis.DeregisterStreamConsumerInput, optFns ...func(*kinesis.Options)) (*kinesis.DeregisterStreamConsumerOutput, error)
	EnableEnhancedMonitoring(ctx context.Context, in *kinesis.EnableEnhancedMonitoringInput, optFns ...func(*kinesis.Options)) (*kinesis.EnableEnhancedMonitoringOutput, error)
	DisableEnhancedMonitoring(ctx context.Context, in *kinesis.DisableEnhancedMonitoringInput, optFns ...func(*kinesis.Options)) (*kinesis.DisableEnhancedMonitoringOutput, error)
}

// Client is kinspect's Kinesis client. Build it with New.
type Client struct {
	api      kinesisAPI
	guard    Guard
	now      func() time.Time
	wait     waitFunc
	consumer *consumerRegistry
}

// waitFunc sleeps for d or until ctx is done; tests inject one that does
// not sleep.
type waitFunc func(ctx context.Context, d time.Duration) error

// Option configures a Client.
type Option func(*Client)

// WithReadOnly makes every mutation fail with ErrReadOnly.
func WithReadOnly(readOnly bool) Option {
	return WithGuard(Guard{ReadOnly: readOnly})
}

// WithGuard sets the guard every mutation passes through.
func WithGuard(g Guard) Option {
	return func(c *Client) { c.guard = g }
}

// WithClock replaces time.Now (tests).
func WithClock(now func() time.Time) Option {
	return func(c *Client) { c.now = now }
}

// WithWait replaces the context-aware sleep used for pacing and backoff
// (tests).
func WithWait(w func(ctx context.Context, d time.Duration) error) Option {
	return func(c *Client) { c.wait = w }
}

// New returns a Client over an SDK client.
func New(k *kinesis.Client, opts ...Option) *Client {
	return newClient(k, opts...)
}

func newClient(api kinesisAPI, opts ...Option) *Client {
	c := &Client{api: api, now: time.Now, wait: Sleep, consumer: newConsumerRegistry()}
	for _, o := range opts {
		o(c)
	}
	return c
}

// ReadOnly reports whether the client refuses mutations.
func (c *Client) ReadOnly() bool { return c.guard.ReadOnly }

// Sleep waits for d or until ctx is done, and returns ctx's error if it
// ended first. The client paces and backs off with it; so do other
// packages that pace calls (the latency lab).
func Sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
