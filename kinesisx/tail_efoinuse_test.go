package kinesisx_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kinesis"
	"github.com/aws/aws-sdk-go-v2/service/kinesis/schemas"
	"github.com/aws/aws-sdk-go-v2/service/kinesis/types"
	"github.com/aws/smithy-go/transport/http/protocol/awsjson"

	"github.com/kinspect/kinspect/internal/testenv"
	"github.com/kinspect/kinspect/kinesisx"
	"github.com/kinspect/kinspect/kinesisx/local"
	"github.com/kinspect/kinspect/kinesisx/local/localtest"
)

// TestTailEFOConsumerInUse: while another subscription holds a named
// consumer on a shard, an EFO tail ends at once with one line that says
// so, and does not try again: on AWS a second subscription 5 s after the
// first takes the shard over and cuts the holder off (the endpoint does
// the same), so a retry would break another application's stream. The
// holder keeps its subscription.
func TestTailEFOConsumerInUse(t *testing.T) {
	start := time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)
	clk := &testClock{t: start}
	_, url := localtest.Start(t, local.Options{Now: clk.now})
	sdk := testenv.KinesisClient(t, url)
	testenv.CreateStream(t, sdk, "s", 2)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	consumerARN := testenv.RegisterConsumer(t, sdk, "s", "app-reader")
	var holders []*kinesis.SubscribeToShardEventStream
	for _, shard := range []string{"shardId-000000000000", "shardId-000000000001"} {
		out, err := sdk.SubscribeToShard(ctx, &kinesis.SubscribeToShardInput{ConsumerARN: aws.String(consumerARN),
			ShardId: aws.String(shard), StartingPosition: &types.StartingPosition{Type: types.ShardIteratorTypeLatest}},
			func(o *kinesis.Options) { o.Protocol = awsjson.New11(schemas.Kinesis_20131202) }) // a codec per stream (see efo.go)
		if err != nil {
			t.Fatal(err)
		}
		holders = append(holders, out.GetStream())
		defer out.GetStream().Close()
	}
	// Every wait moves the endpoint's clock on: a tail that retried would
	// reach the 5 s after which AWS (and the endpoint) hand the shard over.
	var mu sync.Mutex
	waits := 0
	wait := func(ctx context.Context, d time.Duration) error {
		mu.Lock()
		waits++
		mu.Unlock()
		clk.add(d)
		return ctx.Err()
	}
	c := kinesisx.New(sdk, kinesisx.WithClock(clk.now), kinesisx.WithWait(wait))
	tl, err := c.Tail(ctx, kinesisx.TailOptions{Stream: "s", Mode: kinesisx.ModeEFO, Consumer: "app-reader",
		From: kinesisx.StartPosition{Type: kinesisx.PositionTrimHorizon}})
	if err != nil {
		t.Fatal(err)
	}
	defer tl.Close()
	for range tl.Batches() {
	}
	err = tl.Err()
	if err == nil || !strings.HasPrefix(err.Error(), "consumer app-reader is in use by another subscription on shardId-00000000000") ||
		!strings.Contains(err.Error(), "kinspect does not take it over") {
		t.Fatalf("tail error %v", err)
	}
	// The holders were not cut off: a record put now reaches them.
	clk.add(10 * time.Second)
	if _, err := sdk.PutRecord(ctx, &kinesis.PutRecordInput{StreamName: aws.String("s"), PartitionKey: aws.String("k"), Data: []byte("r1")}); err != nil {
		t.Fatal(err)
	}
	got := 0
	for _, h := range holders {
		for ev := range h.Events() {
			if e, ok := ev.(*types.SubscribeToShardEventStreamMemberSubscribeToShardEvent); ok && len(e.Value.Records) > 0 {
				got += len(e.Value.Records)
				break
			}
			if got > 0 {
				break
			}
		}
		if got > 0 {
			break
		}
	}
	if got != 1 {
		t.Errorf("a holder should still read: got %d records (its error %v)", got, errors.Join(holders[0].Err(), holders[1].Err()))
	}
}
