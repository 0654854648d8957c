// Command heapprofile shows what the built-in endpoint's store costs in
// heap per byte it counts against its cap (BENCHMARKS.md, Memory).
//
// It runs the endpoint in-process with a byte cap per stream, fills one
// 4-shard stream through the real SDK with twice the cap of records of
// -size bytes and -key-len byte keys (so the cap trims), forces a GC, prints
// the live heap against the cap and writes a heap profile to -out for
// `go tool pprof -top -sample_index=inuse_space`.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"runtime"
	"runtime/pprof"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/kinesis"
	"github.com/aws/aws-sdk-go-v2/service/kinesis/types"

	"github.com/kinspect/kinspect/kinesisx"
	"github.com/kinspect/kinspect/kinesisx/local"
)

func main() {
	size := flag.Int("size", 1024, "bytes of data per record")
	keyLen := flag.Int("key-len", 11, "bytes per partition key")
	capBytes := flag.Int64("max-bytes", 64<<20, "byte cap per stream (kinspect local --max-bytes)")
	out := flag.String("out", "heap.pprof", "heap profile to write")
	flag.Parse()
	if *size < 1 || *keyLen < 1 || *keyLen > 256 || *capBytes < 1 {
		fmt.Fprintln(os.Stderr, "heapprofile: -size, -key-len (≤ 256) and -max-bytes must be positive")
		os.Exit(2)
	}
	if err := run(*size, *keyLen, *capBytes, *out); err != nil {
		fmt.Fprintln(os.Stderr, "heapprofile:", err)
		os.Exit(1)
	}
}

func run(size, keyLen int, capBytes int64, out string) error {
	srv := local.New(local.Options{MaxBytesPerStream: capBytes})
	url, err := srv.Start("127.0.0.1:0")
	if err != nil {
		return fmt.Errorf("start endpoint: %w", err)
	}
	defer srv.Close()
	k := kinesis.New(kinesis.Options{
		Region:       "us-east-1",
		Credentials:  credentials.NewStaticCredentialsProvider("AKIDLOCAL", "secret", ""),
		BaseEndpoint: aws.String(url),
		HTTPClient:   kinesisx.NewHTTPClient(),
	})
	ctx := context.Background()
	if _, err := k.CreateStream(ctx, &kinesis.CreateStreamInput{StreamName: aws.String("heap"), ShardCount: aws.Int32(4)}); err != nil {
		return fmt.Errorf("create stream: %w", err)
	}
	data := make([]byte, size)
	for i := range data {
		data[i] = byte('a' + i%26)
	}
	counted := int64(size + keyLen)
	total := 2 * capBytes / counted
	entries := make([]types.PutRecordsRequestEntry, 500)
	for sent := int64(0); sent < total; sent += int64(len(entries)) {
		for i := range entries {
			key := fmt.Sprintf("%0*d", keyLen, sent+int64(i))
			entries[i] = types.PutRecordsRequestEntry{PartitionKey: aws.String(key[len(key)-keyLen:]), Data: data}
		}
		res, err := k.PutRecords(ctx, &kinesis.PutRecordsInput{StreamName: aws.String("heap"), Records: entries})
		if err != nil {
			return fmt.Errorf("put: %w", err)
		}
		if n := aws.ToInt32(res.FailedRecordCount); n > 0 {
			return fmt.Errorf("put: %d records failed", n)
		}
	}
	runtime.GC()
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	kept := capBytes / 10 * 9 / counted // the cap trims to 90%
	fmt.Printf("records of %d B data + %d B key (%d B counted), cap %d MiB, put %d records (%d MiB counted)\n",
		size, keyLen, counted, capBytes>>20, total, total*counted>>20)
	fmt.Printf("live heap after GC: %.1f MiB = %.2f x the cap; about %d records kept, %.0f B of heap each (%d counted)\n",
		float64(ms.HeapAlloc)/(1<<20), float64(ms.HeapAlloc)/float64(capBytes), kept, float64(ms.HeapAlloc)/float64(kept), counted)
	f, err := os.Create(out)
	if err != nil {
		return fmt.Errorf("heap profile: %w", err)
	}
	if err := pprof.WriteHeapProfile(f); err != nil {
		_ = f.Close()
		return fmt.Errorf("heap profile: %w", err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("heap profile: %w", err)
	}
	fmt.Println("heap profile:", out, "(go tool pprof -top -sample_index=inuse_space "+strings.TrimSpace(out)+")")
	return nil
}
