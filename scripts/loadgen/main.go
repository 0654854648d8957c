// Command loadgen feeds a Kinesis endpoint at a steady byte rate, for the
// memory measurements in BENCHMARKS.md (scripts/endpoint-memory.sh).
//
// It creates the stream if needed, then every tick sends one PutRecords call
// of records of -size bytes with distinct partition keys, so that -rate
// bytes per second arrive for -duration. At the end it prints the records and
// bytes accepted and the calls that failed, and exits 1 if any did.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"strconv"
	"syscall"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/kinesis"
	"github.com/aws/aws-sdk-go-v2/service/kinesis/types"

	"github.com/kinspect/kinspect/kinesisx"
)

// config holds the flags.
type config struct {
	endpoint string
	stream   string
	shards   int
	size     int
	rate     int
	tick     time.Duration
	duration time.Duration
}

func main() {
	var c config
	flag.StringVar(&c.endpoint, "endpoint", "", "endpoint URL, e.g. http://127.0.0.1:4567 (required)")
	flag.StringVar(&c.stream, "stream", "loadgen", "stream to write to (created if missing)")
	flag.IntVar(&c.shards, "shards", 4, "shard count when the stream is created")
	flag.IntVar(&c.size, "size", 1024, "bytes per record")
	flag.IntVar(&c.rate, "rate", 1<<20, "bytes per second")
	flag.DurationVar(&c.tick, "tick", 250*time.Millisecond, "interval between PutRecords calls")
	flag.DurationVar(&c.duration, "duration", 10*time.Minute, "how long to send")
	flag.Parse()
	if err := c.validate(); err != nil {
		fmt.Fprintln(os.Stderr, "loadgen:", err)
		os.Exit(2)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, c); err != nil {
		fmt.Fprintln(os.Stderr, "loadgen:", err)
		os.Exit(1)
	}
}

func (c config) validate() error {
	switch {
	case c.endpoint == "":
		return errors.New("-endpoint is required")
	case c.shards < 1, c.size < 1, c.size > 1<<20, c.rate < 1, c.tick <= 0, c.duration <= 0:
		return errors.New("-shards, -size (≤ 1 MiB), -rate, -tick and -duration must be positive")
	}
	return nil
}

// perTick is the number of records each call carries so that the calls add
// up to c.rate bytes per second; at most 500, the PutRecords limit.
func (c config) perTick() (int, error) {
	n := int(float64(c.rate) * c.tick.Seconds() / float64(c.size))
	if n < 1 || n > 500 {
		return 0, fmt.Errorf("rate %d B/s at %d B per record every %s needs %d records per call: want 1..500; change -tick", c.rate, c.size, c.tick, n)
	}
	return n, nil
}

func run(ctx context.Context, c config) error {
	n, err := c.perTick()
	if err != nil {
		return err
	}
	k := kinesis.New(kinesis.Options{
		Region:       "us-east-1",
		Credentials:  credentials.NewStaticCredentialsProvider("AKIDLOCAL", "secret", ""),
		BaseEndpoint: aws.String(c.endpoint),
		HTTPClient:   kinesisx.NewHTTPClient(),
	})
	if err := ensureStream(ctx, k, c.stream, c.shards); err != nil {
		return err
	}
	data := make([]byte, c.size)
	for i := range data {
		data[i] = byte('a' + i%26)
	}
	entries := make([]types.PutRecordsRequestEntry, n)
	var sent, bytes, failedCalls int64
	t := time.NewTicker(c.tick)
	defer t.Stop()
	end := time.After(c.duration)
	for {
		select {
		case <-ctx.Done():
			return report(sent, bytes, failedCalls)
		case <-end:
			return report(sent, bytes, failedCalls)
		case <-t.C:
		}
		for i := range entries {
			entries[i] = types.PutRecordsRequestEntry{PartitionKey: aws.String(strconv.FormatInt(sent+int64(i), 10)), Data: data}
		}
		out, err := k.PutRecords(ctx, &kinesis.PutRecordsInput{StreamName: aws.String(c.stream), Records: entries})
		if err != nil {
			if ctx.Err() != nil {
				return report(sent, bytes, failedCalls)
			}
			failedCalls++
			fmt.Fprintln(os.Stderr, "loadgen: PutRecords:", err)
			continue
		}
		ok := int64(n) - int64(aws.ToInt32(out.FailedRecordCount))
		sent += ok
		bytes += ok * int64(c.size)
	}
}

// ensureStream creates stream with shards shards unless it exists, and
// waits until it is ACTIVE.
func ensureStream(ctx context.Context, k *kinesis.Client, stream string, shards int) error {
	_, err := k.CreateStream(ctx, &kinesis.CreateStreamInput{StreamName: aws.String(stream), ShardCount: aws.Int32(int32(shards))})
	var inUse *types.ResourceInUseException
	if err != nil && !errors.As(err, &inUse) {
		return fmt.Errorf("create stream %s: %w", stream, err)
	}
	for {
		out, err := k.DescribeStreamSummary(ctx, &kinesis.DescribeStreamSummaryInput{StreamName: aws.String(stream)})
		if err != nil {
			return fmt.Errorf("describe stream %s: %w", stream, err)
		}
		if out.StreamDescriptionSummary.StreamStatus == types.StreamStatusActive {
			return nil
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("wait for stream %s: %w", stream, ctx.Err())
		case <-time.After(100 * time.Millisecond):
		}
	}
}

func report(sent, bytes, failedCalls int64) error {
	fmt.Printf("loadgen sent_records=%d sent_bytes=%d (%.1f MiB) failed_calls=%d\n", sent, bytes, float64(bytes)/(1<<20), failedCalls)
	if failedCalls > 0 {
		return fmt.Errorf("%d PutRecords calls failed", failedCalls)
	}
	return nil
}
