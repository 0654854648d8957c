package kinesisx_test

import (
	"context"
	"fmt"
	"sort"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kinesis"
	"github.com/aws/aws-sdk-go-v2/service/kinesis/types"

	"github.com/kinspect/kinspect/internal/testenv"
	"github.com/kinspect/kinspect/kinesisx"
	"github.com/kinspect/kinspect/kinesisx/local"
)

// fill puts n records of size bytes, spread over the stream's shards.
func fill(b *testing.B, k *kinesis.Client, stream string, n, size int) {
	b.Helper()
	data := make([]byte, size)
	for i := range data {
		data[i] = 'a' + byte(i%26)
	}
	for done := 0; done < n; {
		batch := make([]types.PutRecordsRequestEntry, 0, 500)
		for len(batch) < 500 && done+len(batch) < n {
			batch = append(batch, types.PutRecordsRequestEntry{Data: data, PartitionKey: aws.String(fmt.Sprint(done + len(batch)))})
		}
		out, err := k.PutRecords(context.Background(), &kinesis.PutRecordsInput{StreamName: aws.String(stream), Records: batch})
		if err != nil || aws.ToInt32(out.FailedRecordCount) > 0 {
			b.Fatalf("fill: %v", err)
		}
		done += len(batch)
	}
}

// bareRead reads every shard from the trim horizon to its tip with a plain
// GetRecords loop, one goroutine per shard, and returns the records read.
func bareRead(b *testing.B, k *kinesis.Client, stream string, shards []kinesisx.Shard) int {
	var mu sync.Mutex
	total := 0
	var wg sync.WaitGroup
	for _, s := range shards {
		wg.Add(1)
		go func(id string) {
			defer wg.Done()
			ctx := context.Background()
			it, err := k.GetShardIterator(ctx, &kinesis.GetShardIteratorInput{StreamName: aws.String(stream), ShardId: aws.String(id), ShardIteratorType: types.ShardIteratorTypeTrimHorizon})
			if err != nil {
				b.Error(err)
				return
			}
			iter := it.ShardIterator
			n := 0
			for iter != nil {
				out, err := k.GetRecords(ctx, &kinesis.GetRecordsInput{ShardIterator: iter})
				if err != nil {
					b.Error(err)
					return
				}
				n += len(out.Records)
				if aws.ToInt64(out.MillisBehindLatest) == 0 && len(out.Records) == 0 {
					break
				}
				iter = out.NextShardIterator
			}
			mu.Lock()
			total += n
			mu.Unlock()
		}(s.ID)
	}
	wg.Wait()
	return total
}

// BenchmarkTailThroughput compares kinspect's polling tail (pacing off,
// deaggregation and batching on) with a bare GetRecords loop over the same
// stream of the built-in endpoint: 4 shards, 1 KiB records.
func BenchmarkTailThroughput(b *testing.B) {
	const records = 80000
	k := testenv.KinesisClient(b, startLocal(b, local.Options{}))
	stream := "bench-tail"
	testenv.CreateStream(b, k, stream, 4)
	fill(b, k, stream, records, 1024)
	c := kinesisx.New(k)
	shards, err := c.ListShards(context.Background(), stream)
	if err != nil {
		b.Fatal(err)
	}
	b.Run("bare-getrecords", func(b *testing.B) {
		start := time.Now()
		for i := 0; i < b.N; i++ {
			if n := bareRead(b, k, stream, shards); n != records {
				b.Fatalf("read %d records, want %d", n, records)
			}
		}
		b.ReportMetric(float64(records*b.N)/time.Since(start).Seconds(), "records/s")
	})
	b.Run("tail", func(b *testing.B) {
		start := time.Now()
		for i := 0; i < b.N; i++ {
			ctx, cancel := context.WithCancel(context.Background())
			t, err := c.Tail(ctx, kinesisx.TailOptions{Stream: stream, From: kinesisx.StartPosition{Type: kinesisx.PositionTrimHorizon},
				MinPollInterval: time.Nanosecond, ReadBytesPerSec: -1, MaxCallsPerSec: -1, FlushInterval: 10 * time.Millisecond})
			if err != nil {
				b.Fatal(err)
			}
			n := 0
			for n < records {
				bt := <-t.Batches()
				n += len(bt.Records)
			}
			t.Close()
			cancel()
		}
		b.ReportMetric(float64(records*b.N)/time.Since(start).Seconds(), "records/s")
	})
}

// BenchmarkEFOPipelineLatency measures what the tail adds to an EFO
// record's delivery: from the moment its event was decoded (ReceivedAt) to
// the moment the batch holding it reached the reader, with records put at
// 2,000/s over 2 shards. It reports p50 and p99 for the default flush
// interval (50 ms, the TUI's) and for the CLI's (10 ms).
func BenchmarkEFOPipelineLatency(b *testing.B) {
	for _, flush := range []time.Duration{50 * time.Millisecond, 10 * time.Millisecond} {
		b.Run(fmt.Sprintf("flush=%s", flush), func(b *testing.B) {
			k := testenv.KinesisClient(b, startLocal(b, local.Options{}))
			stream := "bench-efo"
			testenv.CreateStream(b, k, stream, 2)
			c := kinesisx.New(k)
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			t, err := c.Tail(ctx, kinesisx.TailOptions{Stream: stream, Mode: kinesisx.ModeEFO, FlushInterval: flush})
			if err != nil {
				b.Fatal(err)
			}
			defer t.Close()
			go func() { // 2,000 records/s in batches of 20 every 10 ms
				tick := time.NewTicker(10 * time.Millisecond)
				defer tick.Stop()
				for i := 0; ; i++ {
					select {
					case <-ctx.Done():
						return
					case <-tick.C:
					}
					batch := make([]types.PutRecordsRequestEntry, 20)
					for j := range batch {
						batch[j] = types.PutRecordsRequestEntry{Data: []byte(`{"n":1}`), PartitionKey: aws.String(fmt.Sprint(i*20 + j))}
					}
					_, _ = k.PutRecords(ctx, &kinesis.PutRecordsInput{StreamName: aws.String(stream), Records: batch})
				}
			}()
			want := 4000 * b.N
			lat := make([]time.Duration, 0, want)
			for len(lat) < want {
				bt := <-t.Batches()
				now := time.Now()
				for _, r := range bt.Records {
					lat = append(lat, now.Sub(r.ReceivedAt))
				}
			}
			sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
			b.ReportMetric(float64(lat[len(lat)/2].Microseconds())/1000, "p50-ms")
			b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds())/1000, "p99-ms")
		})
	}
}
