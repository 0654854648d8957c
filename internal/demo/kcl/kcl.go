// Package kcl is kinspect demo's KCL-like consumer: it reads a stream
// through the built-in endpoint the way a Kinesis Client Library
// application does, and keeps a lease table in the KCL 2.x format in
// DynamoDB (moto's, in the demo), so that `kinspect lag` and the TUI's
// :lag screen have an application to show without AWS.
//
// The lease items carry the attributes of the KCL's DynamoDBLeaseSerializer
// (see kinesisx/lag's package comment): leaseKey (the shard ID),
// leaseOwner, leaseCounter, ownerSwitchesSinceCheckpoint, checkpoint (a
// sequence number or TRIM_HORIZON / SHARD_END), checkpointSubSequenceNumber,
// parentShardId, childShardIds, startingHashKey and endingHashKey.
//
// One shard (Options.SlowShard) is deliberately behind: its records are
// checkpointed only once they are Options.Delay old, as if the worker
// holding it took that long to process each one.
//
// # Concurrency
//
// Run starts one goroutine per shard being read; a shard's children start
// once all its parents reached SHARD_END, as in the KCL. Every goroutine
// returns before Run does. The leases are guarded by one mutex; each
// shard's lease is written only by its own goroutine once it runs.
package kcl

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	ddbtypes "github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/aws/aws-sdk-go-v2/service/kinesis"
)

// The SDK methods the consumer calls, with the SDK's exact signatures.
type (
	kinesisAPI interface {
		ListShards(ctx context.Context, in *kinesis.ListShardsInput, optFns ...func(*kinesis.Options)) (*kinesis.ListShardsOutput, error)
		GetShardIterator(ctx context.Context, in *kinesis.GetShardIteratorInput, optFns ...func(*kinesis.Options)) (*kinesis.GetShardIteratorOutput, error)
		GetRecords(ctx context.Context, in *kinesis.GetRecordsInput, optFns ...func(*kinesis.Options)) (*kinesis.GetRecordsOutput, error)
	}
	dynamoAPI interface {
		CreateTable(ctx context.Context, in *dynamodb.CreateTableInput, optFns ...func(*dynamodb.Options)) (*dynamodb.CreateTableOutput, error)
		PutItem(ctx context.Context, in *dynamodb.PutItemInput, optFns ...func(*dynamodb.Options)) (*dynamodb.PutItemOutput, error)
	}
)

// Options configure a Consumer.
type Options struct {
	// App is the application's name, and so its lease table's (as in the KCL).
	App string
	// Stream is the stream it consumes.
	Stream string
	// Workers are the workers' IDs; shards are handed out round-robin
	// (default: one worker, "worker-1").
	Workers []string
	// SlowShard is the shard kept behind ("" for none); Delay is how old a
	// record of it is before it is checkpointed.
	SlowShard string
	Delay     time.Duration
	// Every is the pause between GetRecords of a shard (default 1 s, the
	// KCL's idleTimeBetweenReadsInMillis).
	Every time.Duration
	// Resync is how often the shards are listed again, for the children
	// of a split or merge (default 10 s).
	Resync time.Duration
	// Now is the clock (default time.Now).
	Now func() time.Time
}

// Consumer is a running demo application. Build it with New.
type Consumer struct {
	k kinesisAPI
	d dynamoAPI
	o Options

	mu     sync.Mutex
	leases map[string]*lease // by shard ID
}

// lease is one row of the table, as last written.
type lease struct {
	shardID    string
	owner      string
	counter    int64
	checkpoint string
	parents    []string
	children   []string
	startHash  string
	endHash    string
	running    bool
}

// New returns a consumer over SDK clients.
func New(k *kinesis.Client, d *dynamodb.Client, o Options) *Consumer {
	return newConsumer(k, d, o)
}

func newConsumer(k kinesisAPI, d dynamoAPI, o Options) *Consumer {
	if len(o.Workers) == 0 {
		o.Workers = []string{"worker-1"}
	}
	if o.Every <= 0 {
		o.Every = time.Second
	}
	if o.Resync <= 0 {
		o.Resync = 10 * time.Second
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	return &Consumer{k: k, d: d, o: o, leases: map[string]*lease{}}
}

// Run creates the lease table if it does not exist, then consumes the
// stream until ctx ends. It returns an error only when the table cannot be
// created or the shards cannot be listed at the start; later errors are
// retried on the next read, as a KCL worker does.
func (c *Consumer) Run(ctx context.Context) error {
	if err := c.createTable(ctx); err != nil {
		return err
	}
	var wg sync.WaitGroup
	defer wg.Wait()
	if err := c.sync(ctx, &wg); err != nil {
		return err
	}
	t := time.NewTicker(c.o.Resync)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
			_ = c.sync(ctx, &wg) // a failed listing is tried again next time
		}
	}
}

// createTable makes the lease table as the KCL does: one HASH key,
// leaseKey, a string; on-demand capacity.
func (c *Consumer) createTable(ctx context.Context) error {
	_, err := c.d.CreateTable(ctx, &dynamodb.CreateTableInput{
		TableName:            aws.String(c.o.App),
		AttributeDefinitions: []ddbtypes.AttributeDefinition{{AttributeName: aws.String("leaseKey"), AttributeType: ddbtypes.ScalarAttributeTypeS}},
		KeySchema:            []ddbtypes.KeySchemaElement{{AttributeName: aws.String("leaseKey"), KeyType: ddbtypes.KeyTypeHash}},
		BillingMode:          ddbtypes.BillingModePayPerRequest,
	})
	var inUse *ddbtypes.ResourceInUseException
	if err != nil && !errors.As(err, &inUse) {
		return fmt.Errorf("create lease table %s: %w", c.o.App, err)
	}
	return nil
}

// sync lists the shards, creates the leases of new ones (at TRIM_HORIZON,
// as the KCL's shard syncer does for the children of a reshard) and starts
// reading every shard whose parents are done.
func (c *Consumer) sync(ctx context.Context, wg *sync.WaitGroup) error {
	shards, err := c.listShards(ctx)
	if err != nil {
		return err
	}
	var fresh []lease
	c.mu.Lock()
	for _, s := range shards {
		id := aws.ToString(s.ShardId)
		if _, ok := c.leases[id]; ok {
			continue
		}
		l := &lease{shardID: id, owner: c.o.Workers[len(c.leases)%len(c.o.Workers)], checkpoint: "TRIM_HORIZON"}
		for _, p := range []*string{s.ParentShardId, s.AdjacentParentShardId} {
			if aws.ToString(p) != "" {
				l.parents = append(l.parents, aws.ToString(p))
			}
		}
		if r := s.HashKeyRange; r != nil {
			l.startHash, l.endHash = aws.ToString(r.StartingHashKey), aws.ToString(r.EndingHashKey)
		}
		c.leases[id] = l
		fresh = append(fresh, *l)
	}
	var start []string
	for id, l := range c.leases {
		if !l.running && l.checkpoint != "SHARD_END" && c.parentsDone(l) {
			l.running = true
			start = append(start, id)
		}
	}
	c.mu.Unlock()
	for _, l := range fresh {
		if err := c.write(ctx, l); err != nil {
			return err
		}
	}
	for _, id := range start {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c.consume(ctx, id)
		}()
	}
	return nil
}

// parentsDone reports whether every parent with a lease reached SHARD_END
// (a parent without one was trimmed or never read). The caller holds c.mu.
func (c *Consumer) parentsDone(l *lease) bool {
	for _, p := range l.parents {
		if pl, ok := c.leases[p]; ok && pl.checkpoint != "SHARD_END" {
			return false
		}
	}
	return true
}

func (c *Consumer) listShards(ctx context.Context) ([]kinesisShard, error) {
	var out []kinesisShard
	in := &kinesis.ListShardsInput{StreamName: aws.String(c.o.Stream)}
	for {
		page, err := c.k.ListShards(ctx, in)
		if err != nil {
			return nil, fmt.Errorf("list shards of %s: %w", c.o.Stream, err)
		}
		out = append(out, page.Shards...)
		if page.NextToken == nil {
			return out, nil
		}
		in = &kinesis.ListShardsInput{NextToken: page.NextToken}
	}
}
