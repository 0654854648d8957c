package testenv

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kinesis"
	"github.com/aws/aws-sdk-go-v2/service/kinesis/types"
)

const (
	// streamPrefix starts every test stream name, so stray streams are
	// recognisable.
	streamPrefix = "kt-"
	// maxNameLen is Kinesis' limit for stream and consumer names.
	maxNameLen = 128
	// activeTimeout bounds the wait for a new stream to become ACTIVE.
	activeTimeout = 30 * time.Second
	// pollEvery is the DescribeStreamSummary polling interval.
	pollEvery = 50 * time.Millisecond
)

// StreamName returns a unique, valid stream name for t: "kt-", t.Name() with
// every character outside [a-zA-Z0-9_.-] replaced by '-', then '-' and 8
// random hex digits; at most 128 characters.
func StreamName(t testing.TB) string {
	t.Helper()
	var b [4]byte
	if _, err := rand.Read(b[:]); err != nil {
		t.Fatalf("testenv.StreamName: random suffix: %v", err)
	}
	return streamName(t.Name(), hex.EncodeToString(b[:]))
}

// streamName builds prefix + sanitised test name + "-" + suffix, cutting
// the test name so that the whole fits in maxNameLen.
func streamName(testName, suffix string) string {
	room := maxNameLen - len(streamPrefix) - 1 - len(suffix)
	name := sanitise(testName)
	if len(name) > room {
		name = name[:room]
	}
	return streamPrefix + name + "-" + suffix
}

// sanitise maps a test name to the characters Kinesis allows in names.
func sanitise(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '_', r == '.', r == '-':
			b.WriteRune(r)
		default:
			b.WriteByte('-')
		}
	}
	return b.String()
}

// CreateStream creates a provisioned stream of shards shards, waits until
// DescribeStreamSummary says ACTIVE (at most 30 s), and deletes it (with its
// consumers) in t.Cleanup. Any failure ends the test.
func CreateStream(t testing.TB, c *kinesis.Client, name string, shards int) {
	t.Helper()
	if shards < 1 {
		t.Fatalf("testenv.CreateStream %s: shard count %d, want at least 1", name, shards)
	}
	ctx, cancel := context.WithTimeout(context.Background(), activeTimeout)
	defer cancel()
	_, err := c.CreateStream(ctx, &kinesis.CreateStreamInput{
		StreamName: aws.String(name),
		ShardCount: aws.Int32(int32(shards)),
	})
	if err != nil {
		t.Fatalf("testenv.CreateStream %s: %v", name, err)
	}
	t.Cleanup(func() {
		dctx, dcancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer dcancel()
		_, err := c.DeleteStream(dctx, &kinesis.DeleteStreamInput{
			StreamName:              aws.String(name),
			EnforceConsumerDeletion: aws.Bool(true),
		})
		var nf *types.ResourceNotFoundException
		if err != nil && !errors.As(err, &nf) {
			t.Errorf("testenv.CreateStream cleanup: delete stream %s: %v", name, err)
		}
	})
	if err := WaitStreamActive(ctx, c, name); err != nil {
		t.Fatalf("testenv.CreateStream %s: %v", name, err)
	}
}

// WaitStreamActive polls DescribeStreamSummary until the stream is ACTIVE or
// ctx ends; the error names the last status seen or the last error.
func WaitStreamActive(ctx context.Context, c *kinesis.Client, name string) error {
	return waitActive(ctx, "stream "+name, func(ctx context.Context) (string, error) {
		out, err := c.DescribeStreamSummary(ctx, &kinesis.DescribeStreamSummaryInput{StreamName: aws.String(name)})
		if err != nil {
			return "", err
		}
		if out.StreamDescriptionSummary == nil {
			return "", fmt.Errorf("empty answer")
		}
		return string(out.StreamDescriptionSummary.StreamStatus), nil
	})
}
