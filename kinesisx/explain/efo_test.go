package explain_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kinesis"

	"github.com/kinspect/kinspect/internal/testenv"
	"github.com/kinspect/kinspect/kinesisx"
	"github.com/kinspect/kinspect/kinesisx/explain"
	"github.com/kinspect/kinspect/kinesisx/local"
	"github.com/kinspect/kinspect/kinesisx/local/localtest"
)

// An EFO tail whose stream is deleted under it ends with the service's
// error, said once: the event stream's exception is not the SDK's
// operation error, and its message must not follow kinspect's context
// twice.
func TestErrorEFOStreamDeleted(t *testing.T) {
	_, url := localtest.Start(t, local.Options{})
	sdk := testenv.KinesisClient(t, url)
	testenv.CreateStream(t, sdk, "d2", 1)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	c := kinesisx.New(sdk)
	tl, err := c.Tail(ctx, kinesisx.TailOptions{Stream: "d2", Mode: kinesisx.ModeEFO, Consumer: "app-reader",
		From: kinesisx.StartPosition{Type: kinesisx.PositionTrimHorizon}})
	if err != nil {
		t.Fatal(err)
	}
	defer tl.Close()
	if _, err := sdk.PutRecord(ctx, &kinesis.PutRecordInput{StreamName: aws.String("d2"), PartitionKey: aws.String("k"), Data: []byte("r")}); err != nil {
		t.Fatal(err)
	}
	for b := range tl.Batches() {
		if len(b.Records) > 0 {
			break
		}
	}
	if _, err := sdk.DeleteStream(ctx, &kinesis.DeleteStreamInput{StreamName: aws.String("d2"), EnforceConsumerDeletion: aws.Bool(true)}); err != nil {
		t.Fatal(err)
	}
	for range tl.Batches() {
	}
	if tl.Err() == nil {
		t.Fatal("the tail ended without error")
	}
	got := explain.Error(tl.Err())
	if want := "subscribe to shardId-000000000000: ResourceNotFoundException: Stream d2 was deleted."; !strings.HasPrefix(got, want) || strings.Count(got, "ResourceNotFoundException") != 1 {
		t.Errorf("explain.Error = %q, want the service's error once: %q", got, want)
	}
}
