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

// maxLimit is the largest GetRecords Limit; assumedRecordBytes the record
// size a poller sizes its first call for, before it has seen any.
const (
	maxLimit           = 10000
	assumedRecordBytes = 1 << 10
)

// defaultMinPollInterval is the pacing step while behind: 5 calls/s.
const defaultMinPollInterval = 200 * time.Millisecond

// maxStep is the longest time one answer is sized for: 5 s at 2 MiB/s is
// the 10 MiB an answer may hold.
const maxStep = 5 * time.Second

// pollReader returns a shard reader that polls GetRecords.
// Every call of every shard waits for its turn in the budget.
func (c *Client) pollReader(stream string, opts TailOptions, budget *readBudget) shardReader {
	return func(ctx context.Context, shardID string, from StartPosition, emit func(shardEvent) bool) error {
		p := &poller{c: c, stream: stream, shardID: shardID, from: from, opts: opts, cur: cursor{stream: stream, shardID: shardID},
			bo: newBackoff(100*time.Millisecond, 5*time.Second), budget: budget}
		budget.join()
		defer budget.leave()
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
	budget  *readBudget

	cur    cursor
	anchor time.Time // when a LATEST iterator was first taken
	avg    float64   // the last answer's average record size (bytes)
	last   time.Time // the last call (GetRecords or GetShardIterator)
	behind bool      // the last answer was behind the tip, or full
}

// turn waits for the shard's next call: not before notBefore, and when
// the tail's read budget gives it the turn.
// The caller calls p.budget.done(t) once the call's answer is handed on.
func (p *poller) turn(ctx context.Context, notBefore time.Time) (*turn, error) {
	// A merged tail waits for its least-read shard: every shard counts as
	// behind, so that the one read longest ago goes first.
	t := &turn{shard: p.shardID, notBefore: notBefore, last: p.last, behind: p.behind || p.opts.Merge}
	if err := p.budget.take(ctx, t); err != nil {
		return nil, err
	}
	p.last = t.grantedAt
	return t, nil
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
		t, err := p.turn(ctx, next)
		if err != nil {
			return nil
		}
		called := p.last
		limit := p.limit()
		out, err := p.c.api.GetRecords(ctx, &kinesis.GetRecordsInput{ShardIterator: aws.String(iter), Limit: aws.Int32(limit)}, noRetry)
		ev.calls = append(ev.calls, callSample{at: called})
		if err != nil {
			p.budget.done(t)
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
				next = called.Add(p.bo.next())
				continue
			case errRetry:
				ev.retried++
				next = called.Add(p.bo.next())
				continue
			default:
				return fmt.Errorf("read %s: %w", p.shardID, err)
			}
		}
		p.bo.reset()
		ev.shardID = p.shardID
		ev.behind = aws.ToInt64(out.MillisBehindLatest)
		size := p.cur.take(out.Records, &ev, p.c.now(), !p.opts.NoDeaggregate)
		p.observe(len(out.Records), size)
		ev.calls[len(ev.calls)-1].bytes = size
		p.behind = ev.behind > 0 || len(out.Records) >= int(limit)
		ended := out.NextShardIterator == nil
		if ended {
			ev.ended, ev.children = true, out.ChildShards
		}
		// The answer counts as in flight until the loop has it.
		sent := emit(ev)
		p.budget.done(t)
		if !sent || ended {
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

// limit sizes a GetRecords call by bytes, not by the 10 MiB an answer may
// hold: as many records, of the average size seen so far, as the read
// budget allows in one pacing step (2 MiB/s × 200 ms ≈ 400 KiB), or in the
// time between a shard's turns when every shard wants them, if longer (the
// tail's budget shared by many shards: 40 shards behind at 54 calls/s get
// a turn every 0.74 s, and answers of 1.5 MiB keep each at 2 MiB/s). Not
// the time the shard actually waited: on a slow endpoint that grows with
// the answers, and the answers with it. Small
// answers keep the client's buffers small and its CPU low; at 5 calls/s
// they still reach the shard's 2 MiB/s.
func (p *poller) limit() int32 {
	rate := p.opts.ReadBytesPerSec
	if rate <= 0 {
		rate = readBytesPerSec
	}
	avg := p.avg
	if avg <= 0 {
		avg = assumedRecordBytes
	}
	// A shorter MinPollInterval (benchmarks) does not shrink the answers.
	step := max(p.opts.MinPollInterval, defaultMinPollInterval, min(p.budget.share(), maxStep))
	n := int(rate * step.Seconds() / avg)
	return int32(min(max(n, 1), maxLimit))
}

// observe takes the average record size of the last answer that held
// records: the next answer's records are most like those.
func (p *poller) observe(records, bytes int) {
	if records > 0 {
		p.avg = float64(bytes) / float64(records)
	}
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
		release, err := p.budget.iterator(ctx)
		if err != nil {
			return "", retried, nil
		}
		taken := p.c.now()
		out, err := p.c.api.GetShardIterator(ctx, in, noRetry)
		release()
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
