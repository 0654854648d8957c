package local_test

import (
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kinesis"
	"github.com/aws/aws-sdk-go-v2/service/kinesis/types"

	"github.com/kinspect/kinspect/kinesisx/local"
)

// TestEFOTakeover checks AWS's rule for a second subscription of the same
// consumer and shard while the first is open: refused within 5 s of the
// first's start, and from then on it takes over, the first ending with a
// ResourceInUseException. Each call has a codec of its own (ownCodec): the
// SDK's client-wide one is shared by the two open sessions, which races.
func TestEFOTakeover(t *testing.T) {
	clock := newFakeClock()
	k := newClient(t, startLocal(t, local.Options{Now: clock.Now}))
	_, arn := createStream(t, k, 1)
	consumer := registerConsumer(t, k, arn, "c1")
	in := &kinesis.SubscribeToShardInput{ConsumerARN: aws.String(consumer), ShardId: aws.String("shardId-000000000000"),
		StartingPosition: &types.StartingPosition{Type: types.ShardIteratorTypeLatest}}

	first, err := k.SubscribeToShard(ctxT(t), in, noRetries, ownCodec)
	if err != nil {
		t.Fatal(err)
	}
	defer first.GetStream().Close()
	<-first.GetStream().Events()
	if again, err := k.SubscribeToShard(ctxT(t), in, noRetries, ownCodec); err == nil {
		again.GetStream().Close()
		t.Fatal("second subscription within 5 s: accepted, want ResourceInUseException")
	} else {
		wantCode(t, err, "ResourceInUseException")
	}

	clock.Advance(6 * time.Second)
	second, err := k.SubscribeToShard(ctxT(t), in, noRetries, ownCodec)
	if err != nil {
		t.Fatalf("second subscription 6 s after the first: %v (AWS: it takes over)", err)
	}
	defer second.GetStream().Close()
	done := make(chan struct{})
	go func() {
		defer close(done)
		for range first.GetStream().Events() {
		}
	}()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("the first subscription goes on after the second took over")
	}
	wantCode(t, first.GetStream().Err(), "ResourceInUseException")
}
