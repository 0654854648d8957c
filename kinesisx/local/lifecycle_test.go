package local_test

import (
	"net"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kinesis"
	"github.com/aws/aws-sdk-go-v2/service/kinesis/types"

	"github.com/kinspect/kinspect/kinesisx/local"
)

func TestEFOSessionLifetime(t *testing.T) {
	k := newClient(t, startLocal(t, local.Options{SessionLifetime: time.Second}))
	_, arn := createStream(t, k, 1)
	consumer := registerConsumer(t, k, arn, "c")
	start := time.Now()
	_, events, err := efoRead(t, k, consumer, "shardId-000000000000", types.StartingPosition{Type: types.ShardIteratorTypeLatest}, func([]string, []types.SubscribeToShardEvent) bool { return false })
	if err != nil {
		t.Errorf("session ended with %v, want a clean end", err)
	}
	if d := time.Since(start); d < 900*time.Millisecond || d > 5*time.Second {
		t.Errorf("session lasted %v, want about 1 s", d)
	}
	if len(events) == 0 || events[0].ContinuationSequenceNumber == nil {
		t.Errorf("events %+v: want at least the first with a continuation", events)
	}
}

func TestCloseEndsSessions(t *testing.T) {
	srv := local.New(local.Options{})
	url, err := srv.Start("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	k := newClient(t, url)
	_, arn := createStream(t, k, 1)
	consumer := registerConsumer(t, k, arn, "c")
	out, err := k.SubscribeToShard(ctxT(t), &kinesis.SubscribeToShardInput{ConsumerARN: aws.String(consumer), ShardId: aws.String("shardId-000000000000"), StartingPosition: &types.StartingPosition{Type: types.ShardIteratorTypeLatest}}, ownCodec)
	if err != nil {
		t.Fatal(err)
	}
	defer out.GetStream().Close()
	<-out.GetStream().Events()
	start := time.Now()
	if err := srv.Close(); err != nil {
		t.Errorf("Close: %v", err)
	}
	for range out.GetStream().Events() {
	}
	if d := time.Since(start); d > 3*time.Second {
		t.Errorf("Close took %v with a live session", d)
	}
}

// A connection that never sent a request (a client's spare, kept idle)
// does not hold Close for Shutdown's grace period.
func TestCloseDropsConnectionsWithoutRequests(t *testing.T) {
	srv := local.New(local.Options{})
	url, err := srv.Start("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	conn, err := net.Dial("tcp", strings.TrimPrefix(url, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	time.Sleep(50 * time.Millisecond) // let the server accept it
	start := time.Now()
	if err := srv.Close(); err != nil {
		t.Errorf("Close: %v", err)
	}
	if d := time.Since(start); d > time.Second {
		t.Errorf("Close took %v with a connection that sent nothing", d)
	}
}
