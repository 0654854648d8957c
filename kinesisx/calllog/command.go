package calllog

import (
	"maps"
	"slices"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kinesis"

	"github.com/kinspect/kinspect/kinesisx"
	"github.com/kinspect/kinspect/kinesisx/hashkey"
)

// command returns the AWS CLI command equivalent to a mutating Kinesis
// call, and whether the call is a mutation. Reshards, monitoring and
// consumers use kinesisx's command helpers, the same ones the confirmation
// prompts show.
func command(params any) (string, bool) {
	switch in := params.(type) {
	case *kinesis.SplitShardInput:
		at, err := hashkey.Parse(aws.ToString(in.NewStartingHashKey))
		if err != nil {
			return "", true // the service refuses it; there is no command to show
		}
		return kinesisx.SplitCommand(aws.ToString(in.StreamName), aws.ToString(in.ShardToSplit), at), true
	case *kinesis.MergeShardsInput:
		return kinesisx.MergeCommand(aws.ToString(in.StreamName), aws.ToString(in.ShardToMerge), aws.ToString(in.AdjacentShardToMerge)), true
	case *kinesis.UpdateShardCountInput:
		return kinesisx.ScaleCommand(aws.ToString(in.StreamName), int(aws.ToInt32(in.TargetShardCount))), true
	case *kinesis.EnableEnhancedMonitoringInput:
		return kinesisx.MonitoringCommand(aws.ToString(in.StreamName), true, metricNames(in.ShardLevelMetrics)), true
	case *kinesis.DisableEnhancedMonitoringInput:
		return kinesisx.MonitoringCommand(aws.ToString(in.StreamName), false, metricNames(in.ShardLevelMetrics)), true
	case *kinesis.RegisterStreamConsumerInput:
		return kinesisx.RegisterConsumerCommand(aws.ToString(in.StreamARN), aws.ToString(in.ConsumerName)), true
	case *kinesis.DeregisterStreamConsumerInput:
		if in.ConsumerARN == nil {
			return "", true
		}
		return kinesisx.DeregisterConsumerCommand(aws.ToString(in.ConsumerARN)), true
	case *kinesis.PutRecordInput:
		return putRecordCommand(in), true
	case *kinesis.PutRecordsInput:
		return kinesisx.PutRecordsCommand(aws.ToString(in.StreamName), len(in.Records)), true
	case *kinesis.TagResourceInput:
		args := []string{"tag-resource", "--resource-arn", aws.ToString(in.ResourceARN), "--tags"}
		for _, k := range slices.Sorted(maps.Keys(in.Tags)) {
			args = append(args, k+"="+in.Tags[k])
		}
		return kinesisx.AWSCommand(args...), true
	case *kinesis.UntagResourceInput:
		return kinesisx.AWSCommand(append([]string{"untag-resource", "--resource-arn", aws.ToString(in.ResourceARN), "--tag-keys"}, in.TagKeys...)...), true
	case *kinesis.CreateStreamInput, *kinesis.DeleteStreamInput, *kinesis.AddTagsToStreamInput,
		*kinesis.RemoveTagsFromStreamInput, *kinesis.IncreaseStreamRetentionPeriodInput,
		*kinesis.DecreaseStreamRetentionPeriodInput, *kinesis.UpdateStreamModeInput,
		*kinesis.StartStreamEncryptionInput, *kinesis.StopStreamEncryptionInput,
		*kinesis.UpdateMaxRecordSizeInput, *kinesis.UpdateStreamWarmThroughputInput, *kinesis.UpdateAccountSettingsInput,
		*kinesis.PutResourcePolicyInput, *kinesis.DeleteResourcePolicyInput:
		return "", true // kinspect does not make these; flagged, with no command
	}
	return "", false
}

func metricNames[T ~string](ms []T) []string {
	out := make([]string, len(ms))
	for i, m := range ms {
		out[i] = string(m)
	}
	return out
}

func putRecordCommand(in *kinesis.PutRecordInput) string {
	return kinesisx.PutRecordCommand(aws.ToString(in.StreamName), aws.ToString(in.PartitionKey), aws.ToString(in.ExplicitHashKey), in.Data)
}
