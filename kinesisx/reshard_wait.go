package kinesisx

import (
	"context"
	"encoding/base64"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/kinspect/kinspect/kinesisx/hashkey"
)

// WaitActive polls the stream until it is ACTIVE again after a reshard,
// calling progress (if not nil) with the status after every poll. It polls
// about every second at first and every 5 s later; it returns when the
// stream is ACTIVE, when it is being deleted, or when ctx ends (give ctx a
// deadline: UpdateShardCount can take minutes).
func (c *Client) WaitActive(ctx context.Context, stream string, progress func(status string)) error {
	delay := time.Second
	for {
		st, err := c.DescribeStream(ctx, stream)
		if err != nil {
			return fmt.Errorf("wait for %s to become ACTIVE: %w", stream, err)
		}
		if progress != nil {
			progress(st.Status)
		}
		switch st.Status {
		case "ACTIVE":
			return nil
		case "DELETING":
			return fmt.Errorf("wait for %s to become ACTIVE: the stream is being deleted", stream)
		}
		if err := c.wait(ctx, delay); err != nil {
			return fmt.Errorf("wait for %s to become ACTIVE (still %s): %w", stream, st.Status, err)
		}
		delay = min(delay*3/2, 5*time.Second)
	}
}

// SplitCommand is the AWS CLI command equivalent to Split.
func SplitCommand(stream, shardID string, at hashkey.Key) string {
	return AWSCommand("split-shard", "--stream-name", stream, "--shard-to-split", shardID, "--new-starting-hash-key", at.String())
}

// MergeCommand is the AWS CLI command equivalent to Merge, with the lower
// shard first.
func MergeCommand(stream, shard, adjacent string) string {
	return AWSCommand("merge-shards", "--stream-name", stream, "--shard-to-merge", shard, "--adjacent-shard-to-merge", adjacent)
}

// ScaleCommand is the AWS CLI command equivalent to Scale.
func ScaleCommand(stream string, target int) string {
	return AWSCommand("update-shard-count", "--stream-name", stream, "--target-shard-count", strconv.Itoa(target), "--scaling-type", "UNIFORM_SCALING")
}

// MonitoringCommand is the AWS CLI command equivalent to EnableMonitoring
// (enable) or DisableMonitoring.
func MonitoringCommand(stream string, enable bool, metrics []string) string {
	op := "disable-enhanced-monitoring"
	if enable {
		op = "enable-enhanced-monitoring"
	}
	args := []string{op, "--stream-name", stream, "--shard-level-metrics"}
	return AWSCommand(append(args, metrics...)...)
}

// RegisterConsumerCommand is the AWS CLI command equivalent to
// RegisterConsumer.
func RegisterConsumerCommand(streamARN, name string) string {
	return AWSCommand("register-stream-consumer", "--stream-arn", streamARN, "--consumer-name", name)
}

// DeregisterConsumerCommand is the AWS CLI command equivalent to
// DeregisterConsumer.
func DeregisterConsumerCommand(consumerARN string) string {
	return AWSCommand("deregister-stream-consumer", "--consumer-arn", consumerARN)
}

// maxInlineData is the largest payload a put command shows inline.
const maxInlineData = 512

// PutRecordCommand is the AWS CLI command equivalent to putting one record
// (AWS CLI v2 reads blob arguments as base64; a large payload is shown as a
// file).
func PutRecordCommand(stream, partitionKey, explicitHashKey string, data []byte) string {
	args := []string{"put-record", "--stream-name", stream, "--partition-key", partitionKey}
	if explicitHashKey != "" {
		args = append(args, "--explicit-hash-key", explicitHashKey)
	}
	if len(data) <= maxInlineData {
		return AWSCommand(append(args, "--data", base64.StdEncoding.EncodeToString(data))...)
	}
	return AWSCommand(append(args, "--data", "fileb://record.bin")...) + fmt.Sprintf("  # %d bytes", len(data))
}

// PutRecordsCommand is the AWS CLI command equivalent to a PutRecords call
// of n records, their entries in a file (a command line cannot hold 500
// payloads).
func PutRecordsCommand(stream string, n int) string {
	return AWSCommand("put-records", "--stream-name", stream, "--records", "file://records.json") + fmt.Sprintf("  # %d records", n)
}

// AWSCommand joins an `aws kinesis` command line, quoting for a POSIX
// shell the arguments that need it.
func AWSCommand(args ...string) string {
	var b strings.Builder
	b.WriteString("aws kinesis")
	for _, a := range args {
		b.WriteByte(' ')
		b.WriteString(shellQuote(a))
	}
	return b.String()
}

func shellQuote(s string) string {
	if s != "" && strings.Trim(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.:/=,@+") == "" {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
