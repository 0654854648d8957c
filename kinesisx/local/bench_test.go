package local_test

import (
	"context"
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/kinesis"
	"github.com/aws/aws-sdk-go-v2/service/kinesis/types"

	"github.com/kinspect/kinspect/kinesisx"
	"github.com/kinspect/kinspect/kinesisx/local"
	"github.com/kinspect/kinspect/kinesisx/local/localtest"
)

// The workloads below are written once and run against every backend (the
// built-in endpoint here, kinesalite in kinesalite_bench_test.go), so that a
// comparison measures the servers, not two different clients.
const (
	benchShards     = 4
	benchBatch      = 500  // records per PutRecords call
	benchRecordSize = 1024 // bytes per record
	benchGetRecords = 40_000
)

// benchClient returns the real SDK client for url, built as kinspect builds
// it. Its keep-alive connections end when the server stops (b.Cleanup).
func benchClient(url string) *kinesis.Client {
	return kinesis.New(kinesis.Options{
		Region:       "us-east-1",
		Credentials:  credentials.NewStaticCredentialsProvider("AKIDLOCAL", "secret", ""),
		BaseEndpoint: aws.String(url),
		HTTPClient:   kinesisx.NewHTTPClient(),
	})
}

// startBenchLocal starts the built-in endpoint with room for the benchmark's
// records and returns its URL.
func startBenchLocal(b *testing.B) string {
	return localtest.URL(b, local.Options{MaxBytesPerStream: 512 << 20})
}

// benchEntries returns n PutRecords entries of 1 KiB with distinct keys.
func benchEntries(n, offset int) []types.PutRecordsRequestEntry {
	data := make([]byte, benchRecordSize)
	for i := range data {
		data[i] = byte('a' + i%26)
	}
	out := make([]types.PutRecordsRequestEntry, n)
	for i := range out {
		out[i] = types.PutRecordsRequestEntry{PartitionKey: aws.String(fmt.Sprintf("key-%d", offset+i)), Data: data}
	}
	return out
}

// createBenchStream creates a stream of benchShards shards and waits until
// it is ACTIVE (kinesalite keeps a new stream CREATING for a while).
func createBenchStream(b *testing.B, k *kinesis.Client, name string) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if _, err := k.CreateStream(ctx, &kinesis.CreateStreamInput{StreamName: aws.String(name), ShardCount: aws.Int32(benchShards)}); err != nil {
		b.Fatalf("CreateStream %s: %v", name, err)
	}
	for {
		out, err := k.DescribeStreamSummary(ctx, &kinesis.DescribeStreamSummaryInput{StreamName: aws.String(name)})
		if err != nil {
			b.Fatalf("DescribeStreamSummary %s: %v", name, err)
		}
		if out.StreamDescriptionSummary.StreamStatus == types.StreamStatusActive {
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// runPutBench measures PutRecords of 1 KiB records (500 per call) into the
// 4-shard stream name, from GOMAXPROCS goroutines, and reports records/s.
func runPutBench(b *testing.B, k *kinesis.Client, name string) {
	ctx := context.Background()
	batches := make([][]types.PutRecordsRequestEntry, 16)
	for i := range batches {
		batches[i] = benchEntries(benchBatch, i*benchBatch)
	}
	var records, calls atomic.Int64
	b.SetBytes(benchBatch * benchRecordSize)
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			n := calls.Add(1)
			out, err := k.PutRecords(ctx, &kinesis.PutRecordsInput{StreamName: aws.String(name), Records: batches[n%int64(len(batches))]})
			if err != nil {
				b.Error(err)
				return
			}
			records.Add(int64(benchBatch - aws.ToInt32(out.FailedRecordCount)))
		}
	})
	if got, want := records.Load(), int64(b.N)*benchBatch; got != want {
		b.Errorf("%d of %d records accepted", got, want)
	}
	b.ReportMetric(float64(records.Load())/b.Elapsed().Seconds(), "records/s")
}

// fillGetStream puts benchGetRecords 1 KiB records (about 10,000 per shard)
// into name and returns a TRIM_HORIZON iterator for each shard.
func fillGetStream(b *testing.B, k *kinesis.Client, name string) []*string {
	ctx := context.Background()
	for i := 0; i < benchGetRecords/benchBatch; i++ {
		out, err := k.PutRecords(ctx, &kinesis.PutRecordsInput{StreamName: aws.String(name), Records: benchEntries(benchBatch, i*benchBatch)})
		if err != nil {
			b.Fatal(err)
		}
		if f := aws.ToInt32(out.FailedRecordCount); f != 0 {
			b.Fatalf("fill %s: %d records failed", name, f)
		}
	}
	return trimHorizonIterators(b, k, name)
}

// trimHorizonIterators returns a TRIM_HORIZON iterator for each shard of
// the benchShards-shard stream name.
func trimHorizonIterators(b *testing.B, k *kinesis.Client, name string) []*string {
	ctx := context.Background()
	var iters []*string
	for i := 0; i < benchShards; i++ {
		it, err := k.GetShardIterator(ctx, &kinesis.GetShardIteratorInput{StreamName: aws.String(name), ShardId: aws.String(fmt.Sprintf("shardId-%012d", i)), ShardIteratorType: types.ShardIteratorTypeTrimHorizon})
		if err != nil {
			b.Fatal(err)
		}
		iters = append(iters, it.ShardIterator)
	}
	return iters
}

// runGetBench measures GetRecords (up to 10,000 records, about 10 MiB, per
// call) from the TRIM_HORIZON iterators of a filled stream, from GOMAXPROCS
// goroutines, and reports records/s.
func runGetBench(b *testing.B, k *kinesis.Client, iters []*string) {
	ctx := context.Background()
	var records, calls atomic.Int64
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			n := calls.Add(1)
			out, err := k.GetRecords(ctx, &kinesis.GetRecordsInput{ShardIterator: iters[n%int64(len(iters))]})
			if err != nil {
				b.Error(err)
				return
			}
			if len(out.Records) == 0 {
				b.Error("GetRecords returned no records from a filled shard")
				return
			}
			records.Add(int64(len(out.Records)))
		}
	})
	b.ReportMetric(float64(records.Load())/b.Elapsed().Seconds(), "records/s")
}

// BenchmarkPutRecords measures PutRecords of 1 KiB records (500 per call)
// into a 4-shard stream through the real SDK over loopback.
func BenchmarkPutRecords(b *testing.B) {
	k := benchClient(startBenchLocal(b))
	createBenchStream(b, k, "bench-put")
	runPutBench(b, k, "bench-put")
}

// BenchmarkGetRecords measures GetRecords of 1 KiB records (up to 10,000
// per call) from a 4-shard stream through the real SDK over loopback.
func BenchmarkGetRecords(b *testing.B) {
	k := benchClient(startBenchLocal(b))
	createBenchStream(b, k, "bench-get")
	runGetBench(b, k, fillGetStream(b, k, "bench-get"))
}
