package kinesisx

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kinesis"
	"github.com/aws/smithy-go"
)

// readBytesPerSec is a shard's read limit shared by polling consumers.
const readBytesPerSec = 2 << 20

// pollReader returns a shard reader that polls GetRecords.
func (c *Client) pollReader(stream string, opts TailOptions) shardReader {
	return func(ctx context.Context, shardID string, from StartPosition, emit func(shardEvent) bool) error {
		p := &poller{c: c, stream: stream, shardID: shardID, from: from, opts: opts, cur: cursor{stream: stream, shardID: shardID},
			bo: newBackoff(100*time.Millisecond, 5*time.Second)}
		return p.run(ctx, emit)
	}
}

// poller reads one shard with GetRecords. Its position is the last
// sequence number it delivered: an expired iterator is rebuilt after it,
// never from the start position, so nothing is read twice.
type poller struct {
	c       *Client
	stream  string
	shardID string
	from    StartPosition
	opts    TailOptions
	bo      backoff

	cur    cursor
	anchor time.Time // when a LATEST iterator was first taken
}

func (p *poller) run(ctx context.Context, emit func(shardEvent) bool) error {
	iter, retried, err := p.iterator(ctx)
	if err != nil {
		return err
	}
	if iter == "" {
		if ctx.Err() == nil {
			// No iterator for a shard (emulators, for a closed shard):
			// nothing to read, and no children known.
			emit(shardEvent{shardID: p.shardID, ended: true})
		}
		return nil
	}
	var ev shardEvent
	ev.retried = retried
	next := p.c.now()
	for {
		if err := p.c.wait(ctx, next.Sub(p.c.now())); err != nil {
			return nil
		}
		called := p.c.now()
		out, err := p.c.api.GetRecords(ctx, &kinesis.GetRecordsInput{ShardIterator: aws.String(iter)}, noRetry)
		if err != nil {
			switch classify(ctx, err) {
			case errStopped:
				return nil
			case errExpired:
				ev.retried++
				var n int
				iter, n, err = p.iterator(ctx)
				ev.retried += n
				if err != nil {
					return err
				}
				continue
			case errThrottled:
				ev.throttle++
				ev.retried++
				next = p.c.now().Add(p.bo.next())
				continue
			case errRetry:
				ev.retried++
				next = p.c.now().Add(p.bo.next())
				continue
			default:
				return fmt.Errorf("read %s: %w", p.shardID, err)
			}
		}
		p.bo.reset()
		ev.shardID = p.shardID
		ev.behind = aws.ToInt64(out.MillisBehindLatest)
		size := p.cur.take(out.Records, &ev, p.c.now(), !p.opts.NoDeaggregate)
		ended := out.NextShardIterator == nil
		if ended {
			ev.ended, ev.children = true, out.ChildShards
		}
		if !emit(ev) {
			return nil
		}
		if ended {
			return nil
		}
		ev = shardEvent{}
		iter = aws.ToString(out.NextShardIterator)
		next = called.Add(p.pace(len(out.Records), size, aws.ToInt64(out.MillisBehindLatest) == 0))
	}
}

// pace returns the gap before the next call: the read budget of 2 MiB/s
// for what was just read, at least MinPollInterval while behind, and
// IdlePollInterval once caught up.
func (p *poller) pace(records, bytes int, caughtUp bool) time.Duration {
	gap := p.opts.MinPollInterval
	if caughtUp || records == 0 {
		gap = p.opts.IdlePollInterval
	}
	if p.opts.ReadBytesPerSec > 0 {
		if budget := time.Duration(float64(bytes) / p.opts.ReadBytesPerSec * float64(time.Second)); budget > gap {
			gap = budget
		}
	}
	return gap
}

// iterator gets a shard iterator for the current position: after the last
// delivered record, or the start position if none was delivered yet. A
// LATEST start becomes AT_TIMESTAMP of the moment it was first taken, so
// that a rebuilt iterator does not skip records that arrived meanwhile. An
// empty iterator means the shard has nothing more (it cannot happen for a
// fresh shard, but a closed one may say so).
func (p *poller) iterator(ctx context.Context) (string, int, error) {
	in := &kinesis.GetShardIteratorInput{StreamName: aws.String(p.stream), ShardId: aws.String(p.shardID)}
	pos := p.from
	switch {
	case p.cur.lastSeq != "":
		pos = StartPosition{Type: PositionAfterSequence, Sequence: p.cur.lastSeq}
	case pos.Type == PositionLatest && !p.anchor.IsZero():
		pos = StartPosition{Type: PositionAtTimestamp, Timestamp: p.anchor}
	}
	in.ShardIteratorType = pos.iteratorType()
	switch pos.Type {
	case PositionAtTimestamp:
		in.Timestamp = aws.Time(pos.Timestamp)
	case PositionAtSequence, PositionAfterSequence:
		in.StartingSequenceNumber = aws.String(pos.Sequence)
	}
	retried := 0
	for {
		taken := p.c.now()
		out, err := p.c.api.GetShardIterator(ctx, in, noRetry)
		if err == nil {
			if pos.Type == PositionLatest && p.anchor.IsZero() {
				p.anchor = taken.Add(-time.Second)
			}
			p.bo.reset()
			return aws.ToString(out.ShardIterator), retried, nil
		}
		switch classify(ctx, err) {
		case errStopped:
			return "", retried, nil
		case errThrottled, errRetry:
			retried++
			if err := p.c.wait(ctx, p.bo.next()); err != nil {
				return "", retried, nil
			}
		default:
			var api smithy.APIError
			if errors.As(err, &api) && api.ErrorCode() == "ResourceNotFoundException" {
				return "", retried, fmt.Errorf("shard %s of %s: %w", p.shardID, p.stream, err)
			}
			return "", retried, fmt.Errorf("get iterator for %s: %w", p.shardID, err)
		}
	}
}
