package kinesisx

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kinesis"
	"github.com/aws/aws-sdk-go-v2/service/kinesis/schemas"
	"github.com/aws/aws-sdk-go-v2/service/kinesis/types"
	smithyhttp "github.com/aws/smithy-go/transport/http"
	"github.com/aws/smithy-go/transport/http/protocol/awsjson"
)

// subscribeGap is the least time between two SubscribeToShard calls for
// one consumer and shard (the service allows one per second).
const subscribeGap = time.Second

// unsupportedAfter is how many HTTP 500 answers in a row, before any
// subscription of the shard succeeded, say that the endpoint does not
// implement SubscribeToShard (moto answers every one with 500; AWS's rare
// internal errors do not come four times in a row).
const unsupportedAfter = 4

// ErrEFOUnsupported says the endpoint does not implement enhanced fan-out.
var ErrEFOUnsupported = errors.New("the endpoint does not support enhanced fan-out (SubscribeToShard)")

// efoTail is the EFO side of a tail: the consumer it reads through and how
// to let go of it.
type efoTail struct {
	consumerARN string
	cleanup     func()
	read        shardReader
}

// startEFO registers (or reuses) the consumer and waits for it to be
// ACTIVE. A consumer the tail registered is deregistered by cleanup, with a
// fresh context, since the tail's own is cancelled by then.
func (c *Client) startEFO(ctx context.Context, st Stream, shards []Shard, opts TailOptions) (*efoTail, error) {
	name := opts.Consumer
	if name == "" {
		name = NewConsumerName()
	}
	cons, created, err := c.EnsureConsumer(ctx, st.ARN, name)
	if err != nil {
		if created {
			c.deregisterQuietly(cons.ARN)
		}
		if errors.Is(err, ErrReadOnly) {
			return nil, fmt.Errorf("enhanced fan-out needs a registered consumer: %w; read by polling, or name an existing consumer with --consumer", err)
		}
		return nil, fmt.Errorf("enhanced fan-out consumer %s: %w", name, err)
	}
	t := &efoTail{consumerARN: cons.ARN, cleanup: func() {}}
	if created {
		t.cleanup = func() { c.deregisterQuietly(cons.ARN) }
	}
	listing := newShardListing(c, st.Name, shards)
	t.read = func(ctx context.Context, shardID string, from StartPosition, emit func(shardEvent) bool) error {
		s := &subscriber{c: c, stream: st.Name, consumerARN: cons.ARN, consumerName: name, shardID: shardID, from: from, opts: opts, cur: cursor{stream: st.Name, shardID: shardID},
			bo: newBackoff(500*time.Millisecond, 10*time.Second), listing: listing}
		return s.run(ctx, emit)
	}
	return t, nil
}

// deregisterQuietly deregisters a consumer kinspect registered, on a fresh
// context: it runs on the way out, after the caller's context has ended.
func (c *Client) deregisterQuietly(consumerARN string) {
	if consumerARN == "" {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	_ = c.DeregisterConsumer(ctx, consumerARN)
}

// ownEventCodec gives one SubscribeToShard call a protocol of its own. In
// kinesis v1.56.x the client's protocol holds one event-stream codec, whose
// decoder and payload buffer every stream's reader goroutine reuses: two
// subscriptions read at once race on it (the race detector shows it) and
// can corrupt each other's records. A codec per call removes the sharing.
func ownEventCodec(o *kinesis.Options) {
	o.Protocol = awsjson.New11(schemas.Kinesis_20131202)
}

// subscriber reads one shard through SubscribeToShard, subscribing again
// each time a subscription ends (about every five minutes) from the last
// continuation sequence number.
type subscriber struct {
	c           *Client
	stream      string
	consumerARN string
	shardID     string
	from        StartPosition
	opts        TailOptions
	bo          backoff

	consumerName string

	cur          cursor
	continuation string // where the next subscription starts (after it)
	anchor       time.Time
	lastCall     time.Time
	subscribed   bool // a subscription of this shard succeeded once
	failed500    int  // HTTP 500 answers in a row before that
	listing      *shardListing
	quiet        int // empty events at the tip in a row
}

func (s *subscriber) run(ctx context.Context, emit func(shardEvent) bool) error {
	var pending shardEvent // retries and throttles not yet reported
	for {
		if wait := s.lastCall.Add(subscribeGap).Sub(s.c.now()); wait > 0 {
			if err := s.c.wait(ctx, wait); err != nil {
				return nil
			}
		}
		s.lastCall = s.c.now()
		pos := s.position()
		out, err := s.c.api.SubscribeToShard(ctx, &kinesis.SubscribeToShardInput{
			ConsumerARN: aws.String(s.consumerARN), ShardId: aws.String(s.shardID), StartingPosition: pos.efoPosition(),
		}, noRetry, ownEventCodec)
		if err != nil {
			if ferr := s.unsupported(err); ferr != nil {
				return ferr
			}
			if ferr := s.inUse(ctx, err); ferr != nil {
				return ferr
			}
			if stop, ferr := s.retry(ctx, err, &pending); stop {
				return ferr
			}
			continue
		}
		s.subscribed = true
		if pos.Type == PositionLatest && s.anchor.IsZero() {
			s.anchor = s.lastCall.Add(-time.Second)
		}
		got, ended, err := s.consume(ctx, out.GetStream(), &pending, emit)
		if ended || ctx.Err() != nil {
			return nil
		}
		if err != nil {
			if stop, ferr := s.retry(ctx, err, &pending); stop {
				return ferr
			}
			continue
		}
		if got {
			s.bo.reset()
		} else if err := s.c.wait(ctx, s.bo.next()); err != nil {
			// A session that ended without a single event: back off, or
			// we would spin at the subscribe limit.
			return nil
		}
	}
}

// unsupported returns ErrEFOUnsupported once SubscribeToShard has answered
// HTTP 500 unsupportedAfter times in a row and never succeeded.
func (s *subscriber) unsupported(err error) error {
	var resp *smithyhttp.ResponseError
	if s.subscribed || !errors.As(err, &resp) || resp.HTTPStatusCode() != 500 {
		s.failed500 = 0
		return nil
	}
	s.failed500++
	if s.failed500 < unsupportedAfter {
		return nil
	}
	return fmt.Errorf("%w: it answered HTTP 500 %d times for %s", ErrEFOUnsupported, s.failed500, s.shardID)
}

// inUse ends the tail when another subscription holds the consumer on a
// shard this tail has not subscribed to yet. Waiting for it is not
// possible: AWS gives the shard to a new subscription made 5 s or more
// after the holder's, and the holder's then fails, so retrying would cut
// another application (or another kinspect) off its stream. After a
// successful subscription, ResourceInUseException is AWS's rule against
// subscribing again within 5 s of a session's start, and passes silently.
func (s *subscriber) inUse(ctx context.Context, err error) error {
	if s.subscribed || classify(ctx, err) != errInUse {
		return nil
	}
	return fmt.Errorf("consumer %s is in use by another subscription on %s (another application or kinspect reads with it): "+
		"kinspect does not take it over, since AWS would cut that reader off; tail by polling, or leave out --consumer to use one of kinspect's own",
		s.consumerName, s.shardID)
}

// retry classifies a failed subscription; stop is true when the reader
// must end (with ferr, nil when the context ended).
func (s *subscriber) retry(ctx context.Context, err error, pending *shardEvent) (stop bool, ferr error) {
	switch classify(ctx, err) {
	case errStopped:
		return true, nil
	case errThrottled:
		pending.throttle++
	case errRetry, errInUse, errExpired:
	default:
		return true, fmt.Errorf("subscribe to %s: %w", s.shardID, err)
	}
	pending.retried++
	if werr := s.c.wait(ctx, s.bo.next()); werr != nil {
		return true, nil
	}
	return false, nil
}

// position is where the next subscription starts: after the continuation
// sequence number once there is one, else the start position (a LATEST
// start becomes AT_TIMESTAMP of its first subscription).
func (s *subscriber) position() StartPosition {
	switch {
	case s.continuation != "":
		return StartPosition{Type: PositionAfterSequence, Sequence: s.continuation}
	case s.from.Type == PositionLatest && !s.anchor.IsZero():
		return StartPosition{Type: PositionAtTimestamp, Timestamp: s.anchor}
	}
	return s.from
}

// consume reads one subscription's events until it ends. got says whether
// any event came; ended whether the shard was read to its end.
func (s *subscriber) consume(ctx context.Context, stream *kinesis.SubscribeToShardEventStream, pending *shardEvent, emit func(shardEvent) bool) (got, ended bool, err error) {
	defer stream.Close()
	for {
		var raw types.SubscribeToShardEventStream
		var ok bool
		select {
		case raw, ok = <-stream.Events():
		case <-ctx.Done():
			return got, false, nil
		}
		if !ok {
			return got, false, stream.Err()
		}
		e, isEvent := raw.(*types.SubscribeToShardEventStreamMemberSubscribeToShardEvent)
		if !isEvent {
			continue
		}
		got = true
		ev := *pending
		*pending = shardEvent{}
		ev.shardID = s.shardID
		ev.behind = aws.ToInt64(e.Value.MillisBehindLatest)
		ev.got = s.c.now()
		s.cur.take(e.Value.Records, &ev, s.c.now(), !s.opts.NoDeaggregate)
		if cont := aws.ToString(e.Value.ContinuationSequenceNumber); cont != "" {
			s.continuation = cont
		} else if len(e.Value.ChildShards) > 0 {
			ev.ended, ev.children = true, e.Value.ChildShards
		}
		if ev.ended || len(e.Value.Records) > 0 || ev.behind > 0 {
			s.quiet = 0
		} else {
			ev.ended, ev.children = s.endsClosed(ctx)
		}
		if !emit(ev) {
			return got, false, nil
		}
		if ev.ended {
			return got, true, nil
		}
	}
}
