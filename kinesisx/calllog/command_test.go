package calllog

import (
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kinesis"
	"github.com/aws/aws-sdk-go-v2/service/kinesis/types"

	"github.com/kinspect/kinspect/kinesisx"
)

func TestDescribe(t *testing.T) {
	arn := "arn:aws:kinesis:us-east-1:000000000000:stream/s/consumer/c:1"
	tests := []struct {
		name                    string
		in                      any
		stream, shard, consumer string
		mutation                bool
		command                 string
	}{
		{name: "read", in: &kinesis.GetRecordsInput{ShardIterator: aws.String("it")}},
		{name: "nil input", in: (*kinesis.ListShardsInput)(nil)},
		{name: "not a struct", in: 42},
		{name: "list shards", in: &kinesis.ListShardsInput{StreamName: aws.String("s")}, stream: "s"},
		{name: "subscribe", in: &kinesis.SubscribeToShardInput{ConsumerARN: aws.String(arn), ShardId: aws.String("shardId-1")}, shard: "shardId-1", consumer: arn},
		{name: "merge", in: &kinesis.MergeShardsInput{StreamName: aws.String("s"), ShardToMerge: aws.String("a"), AdjacentShardToMerge: aws.String("b")},
			stream: "s", shard: "a b", mutation: true, command: kinesisx.MergeCommand("s", "a", "b")},
		{name: "scale", in: &kinesis.UpdateShardCountInput{StreamName: aws.String("s"), TargetShardCount: aws.Int32(4)},
			stream: "s", mutation: true, command: kinesisx.ScaleCommand("s", 4)},
		{name: "enable monitoring", in: &kinesis.EnableEnhancedMonitoringInput{StreamName: aws.String("s"), ShardLevelMetrics: []types.MetricsName{"IncomingBytes"}},
			stream: "s", mutation: true, command: kinesisx.MonitoringCommand("s", true, []string{"IncomingBytes"})},
		{name: "disable monitoring", in: &kinesis.DisableEnhancedMonitoringInput{StreamName: aws.String("s"), ShardLevelMetrics: []types.MetricsName{"ALL"}},
			stream: "s", mutation: true, command: kinesisx.MonitoringCommand("s", false, []string{"ALL"})},
		{name: "register", in: &kinesis.RegisterStreamConsumerInput{StreamARN: aws.String("arn:s"), ConsumerName: aws.String("c")},
			stream: "arn:s", consumer: "c", mutation: true, command: kinesisx.RegisterConsumerCommand("arn:s", "c")},
		{name: "deregister", in: &kinesis.DeregisterStreamConsumerInput{ConsumerARN: aws.String(arn)},
			consumer: arn, mutation: true, command: kinesisx.DeregisterConsumerCommand(arn)},
		{name: "deregister by name", in: &kinesis.DeregisterStreamConsumerInput{StreamARN: aws.String("arn:s"), ConsumerName: aws.String("c")},
			stream: "arn:s", consumer: "c", mutation: true},
		{name: "split with a bad key", in: &kinesis.SplitShardInput{StreamName: aws.String("s"), ShardToSplit: aws.String("a"), NewStartingHashKey: aws.String("x")},
			stream: "s", shard: "a", mutation: true},
		{name: "large put", in: &kinesis.PutRecordInput{StreamName: aws.String("s"), PartitionKey: aws.String("k"), ExplicitHashKey: aws.String("7"), Data: make([]byte, 600)},
			stream: "s", mutation: true, command: "aws kinesis put-record --stream-name s --partition-key k --explicit-hash-key 7 --data fileb://record.bin  # 600 bytes"},
		{name: "heartbeat tag", in: &kinesis.TagResourceInput{ResourceARN: aws.String(arn), Tags: map[string]string{"kinspect:heartbeat": "2026-12-05T08:00:00Z", "a": "b"}},
			mutation: true, command: "aws kinesis tag-resource --resource-arn " + arn + " --tags a=b kinspect:heartbeat=2026-12-05T08:00:00Z"},
		{name: "untag", in: &kinesis.UntagResourceInput{ResourceARN: aws.String(arn), TagKeys: []string{"kinspect:heartbeat"}},
			mutation: true, command: "aws kinesis untag-resource --resource-arn " + arn + " --tag-keys kinspect:heartbeat"},
		{name: "delete stream", in: &kinesis.DeleteStreamInput{StreamName: aws.String("s")}, stream: "s", mutation: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := describe(tt.in)
			if e.Stream != tt.stream || e.Shard != tt.shard || e.Consumer != tt.consumer || e.Mutation != tt.mutation || e.Command != tt.command {
				t.Errorf("got %q %q %q %v %q", e.Stream, e.Shard, e.Consumer, e.Mutation, e.Command)
			}
			if tt.command != "" && !strings.HasPrefix(e.Command, "aws kinesis ") {
				t.Errorf("command %q", e.Command)
			}
		})
	}
}
