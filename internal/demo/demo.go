// Package demo fills a Kinesis endpoint with sample streams and keeps live
// traffic flowing into them, for `kinspect demo` and `kinspect local
// --demo`:
//
//   - orders (4 shards): JSON order events over many customers, plus one hot
//     customer whose key keeps its shard near the 1,000 records/s limit, so
//     a hot shard and throttling can be seen;
//   - clickstream-kpl (2 shards): KPL-aggregated click events;
//   - app-logs (1 shard): gzip CloudWatch Logs subscription payloads.
//
// Run starts one producer goroutine per stream and returns when its
// context ends and they have stopped.
package demo

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kinesis"
	"github.com/aws/aws-sdk-go-v2/service/kinesis/types"
)

// Stream describes one sample stream and how its traffic is made.
type Stream struct {
	Name   string
	Shards int
	// Every is how often the producer sends a batch; Batch makes it.
	Every time.Duration
	Batch func(tick int, now time.Time) []types.PutRecordsRequestEntry
}

// Streams returns the sample streams.
func Streams() []Stream {
	return []Stream{
		{Name: "orders", Shards: 4, Every: 100 * time.Millisecond, Batch: orders},
		{Name: "clickstream-kpl", Shards: 2, Every: 100 * time.Millisecond, Batch: clicks},
		{Name: "app-logs", Shards: 1, Every: 250 * time.Millisecond, Batch: logs},
	}
}

// Setup creates the sample streams (those that do not exist yet), waits
// until they are ACTIVE and turns shard-level metrics on.
func Setup(ctx context.Context, k *kinesis.Client, streams []Stream) error {
	for _, s := range streams {
		_, err := k.CreateStream(ctx, &kinesis.CreateStreamInput{StreamName: aws.String(s.Name), ShardCount: aws.Int32(int32(s.Shards))})
		var inUse *types.ResourceInUseException
		if err != nil && !errors.As(err, &inUse) {
			return fmt.Errorf("create demo stream %s: %w", s.Name, err)
		}
	}
	for _, s := range streams {
		if err := waitActive(ctx, k, s.Name); err != nil {
			return err
		}
		_, err := k.EnableEnhancedMonitoring(ctx, &kinesis.EnableEnhancedMonitoringInput{
			StreamName: aws.String(s.Name), ShardLevelMetrics: []types.MetricsName{types.MetricsNameAll}})
		if err != nil {
			return fmt.Errorf("enable shard metrics on %s: %w", s.Name, err)
		}
	}
	return nil
}

func waitActive(ctx context.Context, k *kinesis.Client, name string) error {
	for {
		out, err := k.DescribeStreamSummary(ctx, &kinesis.DescribeStreamSummaryInput{StreamName: aws.String(name)})
		if err != nil {
			return fmt.Errorf("demo stream %s: %w", name, err)
		}
		if out.StreamDescriptionSummary.StreamStatus == types.StreamStatusActive {
			return nil
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(50 * time.Millisecond):
		}
	}
}

// Run keeps traffic flowing into the streams until ctx ends. Records the
// endpoint throttles are retried once on the next tick and then dropped,
// as a real producer under pressure would shed load.
func Run(ctx context.Context, k *kinesis.Client, streams []Stream) {
	var wg sync.WaitGroup
	for _, s := range streams {
		wg.Add(1)
		go func(s Stream) {
			defer wg.Done()
			produce(ctx, k, s)
		}(s)
	}
	wg.Wait()
}

// item is an entry and how often it was sent.
type item struct {
	entry types.PutRecordsRequestEntry
	tries int
}

func produce(ctx context.Context, k *kinesis.Client, s Stream) {
	tick := time.NewTicker(s.Every)
	defer tick.Stop()
	var retry []item
	for n := 0; ; n++ {
		select {
		case <-ctx.Done():
			return
		case now := <-tick.C:
			batch := retry
			retry = nil
			for _, e := range s.Batch(n, now) {
				batch = append(batch, item{entry: e})
			}
			for len(batch) > 0 {
				part := batch[:min(len(batch), 500)]
				batch = batch[len(part):]
				entries := make([]types.PutRecordsRequestEntry, len(part))
				for i, it := range part {
					entries[i] = it.entry
				}
				out, err := k.PutRecords(ctx, &kinesis.PutRecordsInput{StreamName: aws.String(s.Name), Records: entries})
				if err != nil {
					continue
				}
				for i, r := range out.Records {
					if r.ErrorCode != nil && part[i].tries == 0 {
						retry = append(retry, item{entry: part[i].entry, tries: 1})
					}
				}
			}
		}
	}
}
