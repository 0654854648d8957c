package local_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kinesis"
	"github.com/aws/aws-sdk-go-v2/service/kinesis/schemas"
	"github.com/aws/aws-sdk-go-v2/service/kinesis/types"
	"github.com/aws/smithy-go/transport/http/protocol/awsjson"

	"github.com/kinspect/kinspect/kinesisx/hashkey"
)

// ownCodec gives one SubscribeToShard call its own protocol instance. The
// SDK (kinesis v1.56.13, smithy-go v1.28.9) shares one event-stream codec,
// with its payload buffer and decoder, across all calls of a client, so two
// concurrent subscriptions on one client race (the race detector sees it).
func ownCodec(o *kinesis.Options) { o.Protocol = awsjson.New11(schemas.Kinesis_20131202) }

// registerConsumer registers a consumer and waits until it is ACTIVE.
func registerConsumer(t *testing.T, k *kinesis.Client, streamARN, name string) string {
	t.Helper()
	ctx := ctxT(t)
	out, err := k.RegisterStreamConsumer(ctx, &kinesis.RegisterStreamConsumerInput{StreamARN: aws.String(streamARN), ConsumerName: aws.String(name)})
	if err != nil {
		t.Fatalf("RegisterStreamConsumer: %v", err)
	}
	arn := aws.ToString(out.Consumer.ConsumerARN)
	for {
		d, err := k.DescribeStreamConsumer(ctx, &kinesis.DescribeStreamConsumerInput{ConsumerARN: aws.String(arn)})
		if err != nil {
			t.Fatalf("DescribeStreamConsumer: %v", err)
		}
		if d.ConsumerDescription.ConsumerStatus == types.ConsumerStatusActive {
			return arn
		}
		select {
		case <-ctx.Done():
			t.Fatalf("consumer %s not ACTIVE in time", name)
		case <-time.After(20 * time.Millisecond):
		}
	}
}

// efoRead subscribes and collects events until stop says so or the
// stream ends; it returns the data of the records, the events and the
// stream's error.
//
// Over HTTP/1.1 about 3% of the SDK's streams fail within a millisecond
// with "use of closed network connection" on the client's side of the
// socket. The endpoint is not the cause: a plain net/http client decoding
// the same responses saw no failure in 200 sessions, nor did the SDK over
// h2c (EFO against AWS is HTTP/2). A consumer resubscribes then, as after
// any early end; so does this helper, from the same position, and says so.
func efoRead(t *testing.T, k *kinesis.Client, consumerARN, shardID string, pos types.StartingPosition, stop func(data []string, ev []types.SubscribeToShardEvent) bool) ([]string, []types.SubscribeToShardEvent, error) {
	t.Helper()
	for attempt := 1; ; attempt++ {
		data, events, err := efoReadOnce(t, k, consumerARN, shardID, pos, stop)
		if err == nil || attempt == 3 || !strings.Contains(err.Error(), "use of closed network connection") {
			return data, events, err
		}
		t.Logf("SDK stream closed early over HTTP/1.1 (%v); resubscribing", err)
	}
}

func efoReadOnce(t *testing.T, k *kinesis.Client, consumerARN, shardID string, pos types.StartingPosition, stop func(data []string, ev []types.SubscribeToShardEvent) bool) ([]string, []types.SubscribeToShardEvent, error) {
	t.Helper()
	ctx := ctxT(t)
	out, err := k.SubscribeToShard(ctx, &kinesis.SubscribeToShardInput{ConsumerARN: aws.String(consumerARN), ShardId: aws.String(shardID), StartingPosition: &pos}, ownCodec)
	if err != nil {
		t.Fatalf("SubscribeToShard: %v", err)
	}
	stream := out.GetStream()
	defer stream.Close()
	var data []string
	var events []types.SubscribeToShardEvent
	for ev := range stream.Events() {
		e, ok := ev.(*types.SubscribeToShardEventStreamMemberSubscribeToShardEvent)
		if !ok {
			t.Fatalf("unexpected event %T", ev)
		}
		events = append(events, e.Value)
		for _, r := range e.Value.Records {
			data = append(data, string(r.Data))
		}
		if stop(data, events) {
			return data, events, nil
		}
	}
	return data, events, stream.Err()
}

func untilRecords(n int) func([]string, []types.SubscribeToShardEvent) bool {
	return func(d []string, _ []types.SubscribeToShardEvent) bool { return len(d) >= n }
}

func put(t *testing.T, k *kinesis.Client, name string, data ...string) []string {
	t.Helper()
	var seqs []string
	for _, d := range data {
		out, err := k.PutRecord(ctxT(t), &kinesis.PutRecordInput{StreamName: aws.String(name), PartitionKey: aws.String("k"), Data: []byte(d)})
		if err != nil {
			t.Fatalf("PutRecord: %v", err)
		}
		seqs = append(seqs, aws.ToString(out.SequenceNumber))
	}
	return seqs
}

func testEFOStartPositions(t *testing.T, k *kinesis.Client, b backend) {
	name, arn := createStream(t, k, 1)
	shard := "shardId-000000000000"
	seqs := put(t, k, name, "a", "b", "c")
	ts := time.Now().Add(-time.Hour)
	cases := []struct {
		name string
		pos  types.StartingPosition
		want string
	}{
		{"TRIM_HORIZON", types.StartingPosition{Type: types.ShardIteratorTypeTrimHorizon}, "a,b,c"},
		{"AT_SEQUENCE_NUMBER", types.StartingPosition{Type: types.ShardIteratorTypeAtSequenceNumber, SequenceNumber: aws.String(seqs[1])}, "b,c"},
		{"AFTER_SEQUENCE_NUMBER", types.StartingPosition{Type: types.ShardIteratorTypeAfterSequenceNumber, SequenceNumber: aws.String(seqs[1])}, "c"},
		{"AT_TIMESTAMP", types.StartingPosition{Type: types.ShardIteratorTypeAtTimestamp, Timestamp: &ts}, "a,b,c"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			// A consumer per case: AWS refuses a second subscription of one
			// consumer and shard within 5 s of the last.
			consumer := registerConsumer(t, k, arn, "c-"+tc.name)
			want := strings.Split(tc.want, ",")
			data, events, err := efoRead(t, k, consumer, shard, tc.pos, untilRecords(len(want)))
			if err != nil {
				t.Fatalf("stream error: %v", err)
			}
			if strings.Join(data, ",") != tc.want {
				t.Errorf("read %q, want %q", data, tc.want)
			}
			last := events[len(events)-1]
			if last.ContinuationSequenceNumber == nil || aws.ToString(last.ContinuationSequenceNumber) != seqs[2] {
				t.Errorf("ContinuationSequenceNumber %q, want the last record's %q", aws.ToString(last.ContinuationSequenceNumber), seqs[2])
			}
		})
	}
	t.Run("LATEST", func(t *testing.T) {
		consumer := registerConsumer(t, k, arn, "c-LATEST")
		first := true
		data, _, err := efoRead(t, k, consumer, shard, types.StartingPosition{Type: types.ShardIteratorTypeLatest}, func(d []string, _ []types.SubscribeToShardEvent) bool {
			if first { // the first event comes at once; put after it
				first = false
				put(t, k, name, "after-latest")
			}
			return len(d) >= 1
		})
		if err != nil || strings.Join(data, ",") != "after-latest" {
			t.Errorf("LATEST read %q, %v", data, err)
		}
	})
}

// testEFOSecondSubscription checks that a second subscription of the same
// consumer and shard, while one is open, is refused and leaves the open one
// running (AWS).
func testEFOSecondSubscription(t *testing.T, k *kinesis.Client, b backend) {
	if b.quirks.SecondSubscription {
		t.Skipf("%s accepts a second subscription while one is open", b.name)
	}
	ctx := ctxT(t)
	name, arn := createStream(t, k, 1)
	consumer := registerConsumer(t, k, arn, "c1")
	pos := &types.StartingPosition{Type: types.ShardIteratorTypeLatest}
	in := &kinesis.SubscribeToShardInput{ConsumerARN: aws.String(consumer), ShardId: aws.String("shardId-000000000000"), StartingPosition: pos}
	first, err := k.SubscribeToShard(ctx, in, ownCodec)
	if err != nil {
		t.Fatalf("first SubscribeToShard: %v", err)
	}
	defer first.GetStream().Close()
	<-first.GetStream().Events() // the session is live
	second, err := k.SubscribeToShard(ctx, in, noRetries, ownCodec)
	if err == nil {
		second.GetStream().Close()
	}
	wantCode(t, err, "ResourceInUseException")
	put(t, k, name, "after")
	for ev := range first.GetStream().Events() {
		if e, ok := ev.(*types.SubscribeToShardEventStreamMemberSubscribeToShardEvent); ok && len(e.Value.Records) > 0 {
			if got := string(e.Value.Records[0].Data); got != "after" {
				t.Errorf("first session read %q, want %q", got, "after")
			}
			return
		}
	}
	t.Errorf("the first session ended after a refused second one: %v", first.GetStream().Err())
}

func testEFOShardEnd(t *testing.T, k *kinesis.Client, b backend) {
	if b.quirks.NoEFOChildShards {
		t.Skipf("%s never ends an EFO stream at a closed shard (AWS sends ChildShards and ends it)", b.name)
	}
	name, arn := createStream(t, k, 1)
	consumer := registerConsumer(t, k, arn, "c1")
	put(t, k, name, "x", "y")
	split(t, k, name, "shardId-000000000000", hashkey.Mid(hashkey.Key{}, hashkey.Max).String())
	data, events, err := efoRead(t, k, consumer, "shardId-000000000000", types.StartingPosition{Type: types.ShardIteratorTypeTrimHorizon}, func([]string, []types.SubscribeToShardEvent) bool { return false })
	if err != nil {
		t.Fatalf("stream error: %v", err)
	}
	if strings.Join(data, ",") != "x,y" {
		t.Errorf("read %q", data)
	}
	last := events[len(events)-1]
	if last.ContinuationSequenceNumber != nil || len(last.ChildShards) != 2 {
		t.Errorf("last event: continuation %v, %d children; want none and 2", aws.ToString(last.ContinuationSequenceNumber), len(last.ChildShards))
	}
}

func testConsumers(t *testing.T, k *kinesis.Client, b backend) {
	ctx := ctxT(t)
	_, arn := createStream(t, k, 1)
	c1 := registerConsumer(t, k, arn, "one")
	registerConsumer(t, k, arn, "two")
	if !strings.HasPrefix(c1, arn+"/consumer/one:") {
		t.Errorf("consumer ARN %q", c1)
	}
	_, err := k.RegisterStreamConsumer(ctx, &kinesis.RegisterStreamConsumerInput{StreamARN: aws.String(arn), ConsumerName: aws.String("one")}, noRetries)
	wantCode(t, err, "ResourceInUseException")
	list, err := k.ListStreamConsumers(ctx, &kinesis.ListStreamConsumersInput{StreamARN: aws.String(arn)})
	if err != nil || len(list.Consumers) != 2 {
		t.Fatalf("ListStreamConsumers: %v, %d", err, len(list.Consumers))
	}
	byName, err := k.DescribeStreamConsumer(ctx, &kinesis.DescribeStreamConsumerInput{StreamARN: aws.String(arn), ConsumerName: aws.String("one")})
	if err != nil || aws.ToString(byName.ConsumerDescription.ConsumerARN) != c1 || aws.ToString(byName.ConsumerDescription.StreamARN) != arn {
		t.Fatalf("DescribeStreamConsumer by name: %v", err)
	}
	if _, err := k.DeregisterStreamConsumer(ctx, &kinesis.DeregisterStreamConsumerInput{ConsumerARN: aws.String(c1)}); err != nil {
		t.Fatalf("DeregisterStreamConsumer: %v", err)
	}
	for i := 0; ; i++ {
		_, err := k.DescribeStreamConsumer(ctx, &kinesis.DescribeStreamConsumerInput{ConsumerARN: aws.String(c1)})
		if errCode(err) == "ResourceNotFoundException" {
			break
		}
		if i > 200 {
			t.Fatalf("consumer still there: %v", err)
		}
		time.Sleep(20 * time.Millisecond)
	}
	_, err = k.DescribeStreamConsumer(ctx, &kinesis.DescribeStreamConsumerInput{ConsumerARN: aws.String(arn + "/consumer/nope:1")}, noRetries)
	wantCode(t, err, "ResourceNotFoundException")
}

func testTagsRetentionMonitoring(t *testing.T, k *kinesis.Client, b backend) {
	ctx := ctxT(t)
	name, arn := createStream(t, k, 1)
	if _, err := k.AddTagsToStream(ctx, &kinesis.AddTagsToStreamInput{StreamName: aws.String(name), Tags: map[string]string{"team": "data", "env": "test"}}); err != nil {
		t.Fatalf("AddTagsToStream: %v", err)
	}
	tags, err := k.ListTagsForStream(ctx, &kinesis.ListTagsForStreamInput{StreamARN: aws.String(arn)})
	if err != nil || len(tags.Tags) != 2 || aws.ToString(tags.Tags[0].Key) != "env" || aws.ToString(tags.Tags[1].Value) != "data" {
		t.Fatalf("ListTagsForStream: %v %+v", err, tags)
	}
	if _, err := k.IncreaseStreamRetentionPeriod(ctx, &kinesis.IncreaseStreamRetentionPeriodInput{StreamName: aws.String(name), RetentionPeriodHours: aws.Int32(48)}); err != nil {
		t.Fatalf("IncreaseStreamRetentionPeriod: %v", err)
	}
	_, err = k.DecreaseStreamRetentionPeriod(ctx, &kinesis.DecreaseStreamRetentionPeriodInput{StreamName: aws.String(name), RetentionPeriodHours: aws.Int32(12)}, noRetries)
	wantCode(t, err, "InvalidArgumentException")
	if _, err := k.DecreaseStreamRetentionPeriod(ctx, &kinesis.DecreaseStreamRetentionPeriodInput{StreamName: aws.String(name), RetentionPeriodHours: aws.Int32(24)}); err != nil {
		t.Fatalf("DecreaseStreamRetentionPeriod: %v", err)
	}
	en, err := k.EnableEnhancedMonitoring(ctx, &kinesis.EnableEnhancedMonitoringInput{StreamName: aws.String(name), ShardLevelMetrics: []types.MetricsName{types.MetricsNameIncomingBytes, types.MetricsNameOutgoingBytes}})
	if err != nil || len(en.DesiredShardLevelMetrics) != 2 || len(en.CurrentShardLevelMetrics) != 0 {
		t.Fatalf("EnableEnhancedMonitoring: %v %+v", err, en)
	}
	waitActive(t, k, name)
	dis, err := k.DisableEnhancedMonitoring(ctx, &kinesis.DisableEnhancedMonitoringInput{StreamName: aws.String(name), ShardLevelMetrics: []types.MetricsName{types.MetricsNameIncomingBytes}})
	if err != nil || fmt.Sprint(dis.DesiredShardLevelMetrics) != "[OutgoingBytes]" {
		t.Fatalf("DisableEnhancedMonitoring: %v %+v", err, dis)
	}
	waitActive(t, k, name)
	sum, err := k.DescribeStreamSummary(ctx, &kinesis.DescribeStreamSummaryInput{StreamName: aws.String(name)})
	if err != nil || len(sum.StreamDescriptionSummary.EnhancedMonitoring) != 1 || fmt.Sprint(sum.StreamDescriptionSummary.EnhancedMonitoring[0].ShardLevelMetrics) != "[OutgoingBytes]" {
		t.Fatalf("summary monitoring: %v %+v", err, sum.StreamDescriptionSummary.EnhancedMonitoring)
	}
}

func testErrors(t *testing.T, k *kinesis.Client, b backend) {
	ctx := ctxT(t)
	name, _ := createStream(t, k, 1)
	_, err := k.DescribeStreamSummary(ctx, &kinesis.DescribeStreamSummaryInput{StreamName: aws.String(name + "-missing")}, noRetries)
	wantCode(t, err, "ResourceNotFoundException")
	_, err = k.GetShardIterator(ctx, &kinesis.GetShardIteratorInput{StreamName: aws.String(name), ShardId: aws.String("shardId-000000000099"), ShardIteratorType: types.ShardIteratorTypeLatest}, noRetries)
	wantCode(t, err, "ResourceNotFoundException")
	_, err = k.PutRecord(ctx, &kinesis.PutRecordInput{StreamName: aws.String(name + "-missing"), PartitionKey: aws.String("k"), Data: []byte("x")}, noRetries)
	wantCode(t, err, "ResourceNotFoundException")
	if !b.quirks.BadIteratorIs500 {
		_, err = k.GetRecords(ctx, &kinesis.GetRecordsInput{ShardIterator: aws.String("not-an-iterator")}, noRetries)
		wantCode(t, err, "InvalidArgumentException")
	}
}
