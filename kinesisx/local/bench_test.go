package local_test

import (
	"context"
	"fmt"
	"sync/atomic"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/kinesis"
	"github.com/aws/aws-sdk-go-v2/service/kinesis/types"

	"github.com/kinspect/kinspect/kinesisx"
	"github.com/kinspect/kinspect/kinesisx/local"
)

// benchClient is newClient without a *testing.T.
func benchClient(url string) *kinesis.Client {
	return kinesis.New(kinesis.Options{
		Region:       "us-east-1",
		Credentials:  credentials.NewStaticCredentialsProvider("AKIDLOCAL", "secret", ""),
		BaseEndpoint: aws.String(url),
		HTTPClient:   kinesisx.NewHTTPClient(),
	})
}

// benchEntries returns n PutRecords entries of 1 KiB with distinct keys.
func benchEntries(n, offset int) []types.PutRecordsRequestEntry {
	data := make([]byte, 1024)
	for i := range data {
		data[i] = byte('a' + i%26)
	}
	out := make([]types.PutRecordsRequestEntry, n)
	for i := range out {
		out[i] = types.PutRecordsRequestEntry{PartitionKey: aws.String(fmt.Sprintf("key-%d", offset+i)), Data: data}
	}
	return out
}

// BenchmarkPutRecords measures PutRecords of 1 KiB records (500 per call)
// into a 4-shard stream through the real SDK over loopback.
func BenchmarkPutRecords(b *testing.B) {
	srv := local.New(local.Options{MaxBytesPerStream: 512 << 20})
	url, err := srv.Start("127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	defer srv.Close()
	k := benchClient(url)
	ctx := context.Background()
	name := "bench-put"
	if _, err := k.CreateStream(ctx, &kinesis.CreateStreamInput{StreamName: aws.String(name), ShardCount: aws.Int32(4)}); err != nil {
		b.Fatal(err)
	}
	batches := make([][]types.PutRecordsRequestEntry, 16)
	for i := range batches {
		batches[i] = benchEntries(500, i*500)
	}
	var records atomic.Int64
	var calls atomic.Int64
	b.SetBytes(500 * 1024)
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			n := calls.Add(1)
			out, err := k.PutRecords(ctx, &kinesis.PutRecordsInput{StreamName: aws.String(name), Records: batches[n%int64(len(batches))]})
			if err != nil {
				b.Error(err)
				return
			}
			records.Add(int64(500 - aws.ToInt32(out.FailedRecordCount)))
		}
	})
	b.ReportMetric(float64(records.Load())/b.Elapsed().Seconds(), "records/s")
}

// BenchmarkGetRecords measures GetRecords of 1 KiB records (up to 10,000
// per call) from a 4-shard stream through the real SDK over loopback.
func BenchmarkGetRecords(b *testing.B) {
	srv := local.New(local.Options{MaxBytesPerStream: 512 << 20})
	url, err := srv.Start("127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	defer srv.Close()
	k := benchClient(url)
	ctx := context.Background()
	name := "bench-get"
	if _, err := k.CreateStream(ctx, &kinesis.CreateStreamInput{StreamName: aws.String(name), ShardCount: aws.Int32(4)}); err != nil {
		b.Fatal(err)
	}
	for i := 0; i < 80; i++ { // 40,000 records, about 10,000 per shard
		if _, err := k.PutRecords(ctx, &kinesis.PutRecordsInput{StreamName: aws.String(name), Records: benchEntries(500, i*500)}); err != nil {
			b.Fatal(err)
		}
	}
	var iters []*string
	for i := 0; i < 4; i++ {
		it, err := k.GetShardIterator(ctx, &kinesis.GetShardIteratorInput{StreamName: aws.String(name), ShardId: aws.String(fmt.Sprintf("shardId-%012d", i)), ShardIteratorType: types.ShardIteratorTypeTrimHorizon})
		if err != nil {
			b.Fatal(err)
		}
		iters = append(iters, it.ShardIterator)
	}
	var records, calls atomic.Int64
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			n := calls.Add(1)
			out, err := k.GetRecords(ctx, &kinesis.GetRecordsInput{ShardIterator: iters[n%4]})
			if err != nil {
				b.Error(err)
				return
			}
			records.Add(int64(len(out.Records)))
		}
	})
	b.ReportMetric(float64(records.Load())/b.Elapsed().Seconds(), "records/s")
}
