package lag

import (
	"context"
	"errors"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kinesis"
	"github.com/aws/aws-sdk-go-v2/service/kinesis/types"
	"github.com/aws/smithy-go"
	"golang.org/x/sync/errgroup"
)

// countLimit is the page of the one extra GetRecords that counts the
// records behind: a shard further behind than that gets no count.
const countLimit = 10000

// measure fills the lag of every shard it can measure, at most
// r.concurrency shards at once.
func (r *Reader) measure(ctx context.Context, stream string, shards []ShardLag) error {
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(r.concurrency)
	for i := range shards {
		g.Go(func() error { return r.measureShard(gctx, stream, &shards[i]) })
	}
	return g.Wait()
}

// measureShard reads one record after the checkpoint: its arrival is the
// age of the checkpoint position, the answer's MillisBehindLatest the lag
// in time. When that answer is not at the tip, one more GetRecords of up
// to countLimit records counts the records behind if it reaches the tip.
func (r *Reader) measureShard(ctx context.Context, stream string, s *ShardLag) error {
	zero := int64(0)
	switch {
	case s.State == StateEnded:
		s.MillisBehindLatest, s.BehindRecords = &zero, &zero
		return nil
	case !s.Leased, !s.Listed:
		return nil
	case s.Checkpoint == CheckpointLatest:
		s.Note = "LATEST: not started; the first worker starts at the tip, so records before it are skipped, not behind"
		return nil
	case s.Checkpoint == CheckpointAtTimestamp:
		s.Note = "AT_TIMESTAMP: not started; the timestamp is in the application's configuration, not in the lease"
		return nil
	case s.Checkpoint == "":
		s.Note = "no checkpoint in the lease"
		return nil
	}
	in := &kinesis.GetShardIteratorInput{StreamName: aws.String(stream), ShardId: aws.String(s.ShardID)}
	switch {
	case s.Checkpoint == CheckpointTrimHorizon:
		in.ShardIteratorType = types.ShardIteratorTypeTrimHorizon
		s.Note = "TRIM_HORIZON: not started; it will read the shard from its oldest record"
	case IsSequenceNumber(s.Checkpoint):
		in.ShardIteratorType = types.ShardIteratorTypeAfterSequenceNumber
		in.StartingSequenceNumber = aws.String(s.Checkpoint)
	default:
		s.Note = "unknown checkpoint " + s.Checkpoint
		return nil
	}
	it, err := r.kinesis.GetShardIterator(ctx, in)
	if err != nil {
		var inv *types.InvalidArgumentException
		if errors.As(err, &inv) {
			s.Note = "the checkpoint is not a sequence number of this shard (a table of another stream?)"
			return nil
		}
		return fmt.Errorf("shard %s: %w", s.ShardID, denied(err, "kinesis:GetShardIterator", "stream "+stream))
	}
	out, err := r.kinesis.GetRecords(ctx, &kinesis.GetRecordsInput{ShardIterator: it.ShardIterator, Limit: aws.Int32(1)})
	if err != nil {
		return fmt.Errorf("shard %s: %w", s.ShardID, denied(err, "kinesis:GetRecords", "stream "+stream))
	}
	behind := aws.ToInt64(out.MillisBehindLatest)
	s.MillisBehindLatest = &behind
	atTip := behind == 0 || out.NextShardIterator == nil
	if len(out.Records) == 0 {
		if atTip {
			s.BehindRecords = &zero
		}
		return nil
	}
	if t := out.Records[0].ApproximateArrivalTimestamp; t != nil {
		s.CheckpointAge = max(r.now().Sub(*t), 0)
	}
	n := int64(1)
	if !atTip {
		next, err := r.kinesis.GetRecords(ctx, &kinesis.GetRecordsInput{ShardIterator: out.NextShardIterator, Limit: aws.Int32(countLimit)})
		if err != nil || !(aws.ToInt64(next.MillisBehindLatest) == 0 || next.NextShardIterator == nil) {
			return cheapOnly(err)
		}
		n += int64(len(next.Records))
	}
	s.BehindRecords = &n
	return nil
}

// cheapOnly drops the error of the counting read (the count is a bonus)
// unless the context ended.
func cheapOnly(err error) error {
	var api smithy.APIError
	if err != nil && !errors.As(err, &api) {
		return err
	}
	return nil
}
