package testenv

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kinesis"
	"github.com/aws/aws-sdk-go-v2/service/kinesis/types"
)

// RegisterConsumer registers an enhanced fan-out consumer named consumer on
// stream, waits (at most 30 s) until it is ACTIVE and returns its ARN. It
// deregisters the consumer in t.Cleanup. Any failure ends the test.
func RegisterConsumer(t testing.TB, c *kinesis.Client, stream, consumer string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), activeTimeout)
	defer cancel()
	sum, err := c.DescribeStreamSummary(ctx, &kinesis.DescribeStreamSummaryInput{StreamName: aws.String(stream)})
	if err != nil {
		t.Fatalf("testenv.RegisterConsumer %s: describe stream %s: %v", consumer, stream, err)
	}
	streamARN := aws.ToString(sum.StreamDescriptionSummary.StreamARN)
	out, err := c.RegisterStreamConsumer(ctx, &kinesis.RegisterStreamConsumerInput{
		StreamARN:    aws.String(streamARN),
		ConsumerName: aws.String(consumer),
	})
	if err != nil {
		t.Fatalf("testenv.RegisterConsumer %s on %s: %v", consumer, stream, err)
	}
	consumerARN := aws.ToString(out.Consumer.ConsumerARN)
	t.Cleanup(func() {
		dctx, dcancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer dcancel()
		_, err := c.DeregisterStreamConsumer(dctx, &kinesis.DeregisterStreamConsumerInput{ConsumerARN: aws.String(consumerARN)})
		var nf *types.ResourceNotFoundException
		if err != nil && !errors.As(err, &nf) {
			t.Errorf("testenv.RegisterConsumer cleanup: deregister %s: %v", consumerARN, err)
		}
	})
	if err := WaitConsumerActive(ctx, c, consumerARN); err != nil {
		t.Fatalf("testenv.RegisterConsumer %s: %v", consumer, err)
	}
	return consumerARN
}

// WaitConsumerActive polls DescribeStreamConsumer until the consumer is
// ACTIVE or ctx ends; the error names the last status seen or the last
// error.
func WaitConsumerActive(ctx context.Context, c *kinesis.Client, consumerARN string) error {
	return waitActive(ctx, "consumer "+consumerARN, func(ctx context.Context) (string, error) {
		out, err := c.DescribeStreamConsumer(ctx, &kinesis.DescribeStreamConsumerInput{ConsumerARN: aws.String(consumerARN)})
		if err != nil {
			return "", err
		}
		if out.ConsumerDescription == nil {
			return "", fmt.Errorf("empty answer")
		}
		return string(out.ConsumerDescription.ConsumerStatus), nil
	})
}
