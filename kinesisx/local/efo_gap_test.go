package local_test

import (
	"context"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kinesis"
	"github.com/aws/aws-sdk-go-v2/service/kinesis/types"

	"github.com/kinspect/kinspect/kinesisx/local"
)

// TestEFOResubscribeGap checks when the same consumer and shard may
// subscribe again: not within 5 s of a subscription its client ended, and
// at once after a session the endpoint ended (its lifetime is over), which
// is how every EFO client, kinspect's included, resubscribes.
func TestEFOResubscribeGap(t *testing.T) {
	clock := newFakeClock()
	k := newClient(t, startLocal(t, local.Options{Now: clock.Now, SessionLifetime: 200 * time.Millisecond}))
	_, arn := createStream(t, k, 1)
	consumer := registerConsumer(t, k, arn, "c1")
	in := &kinesis.SubscribeToShardInput{ConsumerARN: aws.String(consumer), ShardId: aws.String("shardId-000000000000"),
		StartingPosition: &types.StartingPosition{Type: types.ShardIteratorTypeLatest}}
	subscribe := func(ctx context.Context) (*kinesis.SubscribeToShardOutput, error) {
		// A codec of its own per call, as kinesisx does: a client-wide one
		// is shared by every call, and the reader of a finished session
		// races the next call's initial response.
		return k.SubscribeToShard(ctx, in, noRetries, ownCodec)
	}

	// The endpoint ends the session: resubscribing at once is fine.
	out, err := subscribe(ctxT(t))
	if err != nil {
		t.Fatal(err)
	}
	for range out.GetStream().Events() {
	}
	out.GetStream().Close()
	out, err = subscribe(ctxT(t))
	if err != nil {
		t.Fatalf("resubscribe after the session's lifetime: %v", err)
	}

	// The client ends the session: refused for 5 s from its start.
	ctx, cancel := context.WithCancel(ctxT(t))
	for range out.GetStream().Events() {
	}
	out.GetStream().Close()
	out, err = subscribe(ctx)
	if err != nil {
		t.Fatal(err)
	}
	<-out.GetStream().Events()
	cancel()
	out.GetStream().Close()
	if again, err := subscribe(ctxT(t)); err == nil {
		again.GetStream().Close()
		t.Fatal("resubscribe at once after the client left: accepted, want ResourceInUseException")
	} else {
		wantCode(t, err, "ResourceInUseException")
	}
	clock.Advance(6 * time.Second)
	for i := 0; ; i++ { // the endpoint notices the client's disconnect
		out, err = subscribe(ctxT(t))
		if errCode(err) != "ResourceInUseException" || i == 100 {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	if err != nil {
		t.Fatalf("resubscribe 6 s after the client left: %v", err)
	}
	out.GetStream().Close()
}
