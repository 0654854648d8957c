package kinesisx_test

import (
	"context"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kinesis"
	"github.com/aws/aws-sdk-go-v2/service/kinesis/types"

	"github.com/kinspect/kinspect/internal/testenv"
	"github.com/kinspect/kinspect/kinesisx"
	"github.com/kinspect/kinspect/kinesisx/local"
)

// BenchmarkTailLive40 is a live whole-stream tail of 40 shards while a
// producer in the same process puts 1,000 records/s of 256 bytes on each
// (40,000/s, 10 MiB/s), for 10 s, through the built-in endpoint: the
// unmerged tail and the merged one (default watermark), one after the
// other in one run. It reports what the tail delivered per second, the
// producer's rate (what there was to keep up with), the delivery lag
// (delivery time minus arrival time) at p50, p99 and max, the time to
// deliver the last record once the producer stopped, and the process's CPU
// per record (producer and endpoint included: compare the two). Run it
// with -benchtime=1x.
func BenchmarkTailLive40(b *testing.B) {
	for _, merge := range []bool{false, true} {
		name := "unmerged"
		if merge {
			name = "merged"
		}
		b.Run(name, func(b *testing.B) {
			for range b.N {
				liveTail(b, merge)
			}
		})
	}
}

func liveTail(b *testing.B, merge bool) {
	const shards, perShardPerSec, size, run = 40, 1000, 256, 10 * time.Second
	k := testenv.KinesisClient(b, startLocal(b, local.Options{}))
	stream := testenv.StreamName(b)
	testenv.CreateStream(b, k, stream, shards)
	c := kinesisx.New(k)
	list, err := c.ListShards(context.Background(), stream)
	if err != nil {
		b.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	t, err := c.Tail(ctx, kinesisx.TailOptions{Stream: stream, Merge: merge, FlushInterval: 10 * time.Millisecond})
	if err != nil {
		b.Fatal(err)
	}
	defer t.Close()
	// Wait until every shard has answered once: the tail reads from LATEST.
	for caught := false; !caught; {
		caught = (<-t.Batches()).CaughtUp
	}
	var put atomic.Int64
	stop := make(chan struct{})
	var wg sync.WaitGroup
	cpu0, start := cpuTime(), time.Now()
	// 40 producers, each 2 calls/s of 500 records spread over the shards
	// (many, so that a slow answer under load does not slow the rate).
	for p := range 40 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			produceLive(ctx, b, k, stream, list, p, size, stop, &put)
		}()
	}
	time.AfterFunc(run, func() { close(stop) })
	var lags []time.Duration
	done := make(chan struct{})
	go func() { wg.Wait(); close(done) }()
	var stopped time.Time
	delivered := 0
	for producing := true; producing || int64(delivered) < put.Load(); {
		select {
		case <-done:
			if producing {
				producing, stopped = false, time.Now()
				done = nil
			}
		case bt, ok := <-t.Batches():
			if !ok {
				b.Fatalf("tail ended: %v", t.Err())
			}
			now := time.Now()
			for _, r := range bt.Records {
				lags = append(lags, now.Sub(r.ArrivedAt))
			}
			delivered += len(bt.Records)
		case <-time.After(30 * time.Second):
			b.Fatalf("delivered %d of %d records: the tail fell behind", delivered, put.Load())
		}
	}
	drain := time.Since(stopped)
	elapsed := time.Since(start)
	cpu := cpuTime() - cpu0
	slices.Sort(lags)
	q := func(f float64) float64 { return float64(lags[int(f*float64(len(lags)-1))]) / float64(time.Millisecond) }
	b.ReportMetric(float64(put.Load())/stopped.Sub(start).Seconds(), "put-records/s")
	b.ReportMetric(float64(delivered)/elapsed.Seconds(), "records/s")
	b.ReportMetric(q(0.5), "lag-p50-ms")
	b.ReportMetric(q(0.99), "lag-p99-ms")
	b.ReportMetric(q(1), "lag-max-ms")
	b.ReportMetric(float64(drain)/float64(time.Millisecond), "drain-ms")
	b.ReportMetric(cpu.Seconds()*1e6/float64(delivered), "cpu-µs/record")
}

// produceLive puts 2 calls/s of 500 records, over every shard in turn by
// explicit hash key, until stop.
func produceLive(ctx context.Context, b *testing.B, k *kinesis.Client, stream string, shards []kinesisx.Shard, p, size int, stop <-chan struct{}, put *atomic.Int64) {
	data := make([]byte, size)
	for i := range data {
		data[i] = 'a' + byte(i%26)
	}
	tick := time.NewTicker(500 * time.Millisecond)
	defer tick.Stop()
	n := p * 500
	for {
		select {
		case <-stop:
			return
		case <-tick.C:
		}
		batch := make([]types.PutRecordsRequestEntry, 500)
		for i := range batch {
			s := shards[(n+i)%len(shards)]
			batch[i] = types.PutRecordsRequestEntry{Data: data, PartitionKey: aws.String("k"), ExplicitHashKey: aws.String(s.HashRange.Start.String())}
		}
		n += 500
		out, err := k.PutRecords(ctx, &kinesis.PutRecordsInput{StreamName: aws.String(stream), Records: batch})
		if err != nil {
			b.Errorf("put: %v", err)
			return
		}
		put.Add(int64(len(batch) - int(aws.ToInt32(out.FailedRecordCount))))
	}
}
