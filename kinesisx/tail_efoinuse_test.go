package kinesisx_test

import (
	"context"
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

// TestTailEFOConsumerInUse: while another subscription holds the consumer
// on a shard, an EFO tail says so once (whatever the number of shards)
// and keeps trying; it reads once the holder ends, and ends with that
// line when the holder stays for 30 s. Waits advance a shared clock.
func TestTailEFOConsumerInUse(t *testing.T) {
	for _, holderEnds := range []bool{false, true} {
		name := map[bool]string{false: "holder stays", true: "holder ends"}[holderEnds]
		t.Run(name, func(t *testing.T) {
			start := time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)
			clk := &testClock{t: start}
			_, url := localtest.Start(t, local.Options{Now: clk.now})
			sdk := testenv.KinesisClient(t, url)
			testenv.CreateStream(t, sdk, "s", 2)
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			if _, err := sdk.PutRecord(ctx, &kinesis.PutRecordInput{StreamName: aws.String("s"), PartitionKey: aws.String("k"), Data: []byte("r1")}); err != nil {
				t.Fatal(err)
			}
			consumerARN := testenv.RegisterConsumer(t, sdk, "s", "app-reader")
			holdCtx, release := context.WithCancel(ctx)
			var holders []*kinesis.SubscribeToShardEventStream
			for _, shard := range []string{"shardId-000000000000", "shardId-000000000001"} {
				out, err := sdk.SubscribeToShard(holdCtx, &kinesis.SubscribeToShardInput{ConsumerARN: aws.String(consumerARN),
					ShardId: aws.String(shard), StartingPosition: &types.StartingPosition{Type: types.ShardIteratorTypeLatest}},
					func(o *kinesis.Options) { o.Protocol = awsjson.New11(schemas.Kinesis_20131202) }) // a codec per stream (see efo.go)
				if err != nil {
					t.Fatal(err)
				}
				holders = append(holders, out.GetStream())
			}
			releaseAll := func() {
				release()
				for _, h := range holders {
					_ = h.Close()
				}
			}
			defer releaseAll()

			var mu sync.Mutex
			var warns []string
			warned := func() int { mu.Lock(); defer mu.Unlock(); return len(warns) }
			wait := func(ctx context.Context, d time.Duration) error {
				if holderEnds && warned() > 0 {
					releaseAll()
				}
				clk.add(d)
				if clk.now().Sub(start) > 5*time.Minute {
					cancel() // it would wait forever
				}
				return ctx.Err()
			}
			c := kinesisx.New(sdk, kinesisx.WithClock(clk.now), kinesisx.WithWait(wait))
			tl, err := c.Tail(ctx, kinesisx.TailOptions{Stream: "s", Mode: kinesisx.ModeEFO, Consumer: "app-reader",
				From: kinesisx.StartPosition{Type: kinesisx.PositionTrimHorizon},
				Warn: func(msg string) { mu.Lock(); defer mu.Unlock(); warns = append(warns, msg) }})
			if err != nil {
				t.Fatal(err)
			}
			defer tl.Close()
			got := 0
			for b := range tl.Batches() {
				got += len(b.Records)
				if holderEnds && got == 1 {
					break
				}
			}
			mu.Lock()
			defer mu.Unlock()
			const why = "(another kinspect or application reads with this consumer)"
			if len(warns) != 1 || !strings.HasPrefix(warns[0], "consumer app-reader is in use by another subscription on shardId-00000000000") ||
				!strings.HasSuffix(warns[0], ": waiting for it to end "+why) {
				t.Errorf("warnings %q", warns)
			}
			if holderEnds {
				return
			}
			err = tl.Err()
			if err == nil || !strings.HasPrefix(err.Error(), "consumer app-reader is in use by another subscription on shardId-00000000000") ||
				!strings.HasSuffix(err.Error(), ": it did not end in 30s "+why) {
				t.Fatalf("tail error %v", err)
			}
		})
	}
}
