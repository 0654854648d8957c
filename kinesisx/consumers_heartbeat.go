package kinesisx

import (
	"context"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kinesis"
)

// A live kinspect tags each kinspect consumer it reads through with a
// heartbeat, HeartbeatTag = the time in RFC 3339, refreshed every
// HeartbeatEvery. A consumer whose heartbeat is older than HeartbeatStale
// is used by no live kinspect: its process was killed (SIGKILL cannot be
// handled) and `consumers --prune` may remove it, once it has seen the tag
// stay unchanged for a beat when it is recent (see HeartbeatConfirmWithin:
// the time is its writer's clock, not ours).
const (
	HeartbeatTag   = "kinspect:heartbeat"
	HeartbeatEvery = time.Minute
	HeartbeatStale = 3 * time.Minute
)

// maxHeartbeatReads bounds the tag reads of one look at a stream's
// consumers (a stream has at most 20 consumers by default), and
// heartbeatReaders how many run at once.
const (
	maxHeartbeatReads = 50
	heartbeatReaders  = 4
	heartbeatTimeout  = 5 * time.Second
)

// taggingAPI is the part of the Kinesis API the heartbeat needs. An API
// without it (a test fake) has no heartbeats: consumers then count as
// having none.
type taggingAPI interface {
	TagResource(ctx context.Context, in *kinesis.TagResourceInput, optFns ...func(*kinesis.Options)) (*kinesis.TagResourceOutput, error)
	ListTagsForResource(ctx context.Context, in *kinesis.ListTagsForResourceInput, optFns ...func(*kinesis.Options)) (*kinesis.ListTagsForResourceOutput, error)
}

func (c *Client) tagging() taggingAPI {
	t, _ := c.api.(taggingAPI)
	return t
}

// startHeartbeat tags a kinspect consumer with a heartbeat now and every
// HeartbeatEvery until ctx ends or the consumer is deregistered. The
// heartbeat belongs to the consumer's lifecycle (registering and
// deregistering are the guarded mutations): a read-only run writes none,
// so it never tags a consumer, even one it reuses with --consumer.
// Failures are ignored: the next beat tries again, and a consumer whose
// beats fail only looks stale sooner, never live when it is not.
func (c *Client) startHeartbeat(ctx context.Context, cons Consumer) {
	tg := c.tagging()
	if tg == nil || !cons.Kinspect || cons.ARN == "" || c.guard.Allow(ActionRegisterConsumer) != nil {
		return
	}
	ctx, cancel := context.WithCancel(ctx)
	b := &beat{cancel: cancel, done: make(chan struct{})}
	if !c.consumer.startBeat(cons.ARN, b) {
		cancel()
		return // already beating for another tail of this process
	}
	go func() {
		defer close(b.done)
		defer c.consumer.endBeat(cons.ARN, b)
		for {
			c.writeHeartbeat(ctx, tg, cons.ARN)
			if c.wait(ctx, HeartbeatEvery) != nil {
				return
			}
		}
	}()
}

func (c *Client) writeHeartbeat(ctx context.Context, tg taggingAPI, consumerARN string) {
	ctx, cancel := context.WithTimeout(ctx, heartbeatTimeout)
	defer cancel()
	_, _ = tg.TagResource(ctx, &kinesis.TagResourceInput{
		ResourceARN: aws.String(consumerARN),
		Tags:        map[string]string{HeartbeatTag: c.now().UTC().Format(time.RFC3339)},
	}, noRetry)
}

// beat is one running heartbeat; stop ends it and waits for its last
// write.
type beat struct {
	cancel context.CancelFunc
	done   chan struct{}
}

func (b *beat) stop() {
	b.cancel()
	<-b.done
}

// ReadHeartbeats fills in the Heartbeat of the ACTIVE kinspect consumers
// in cs (at most 50 of them, a few at a time, each read bounded) from their
// tags. A consumer whose tags cannot be read keeps a zero Heartbeat: it
// counts as having none, which only ever keeps it.
func (c *Client) ReadHeartbeats(ctx context.Context, cs []Consumer) []Consumer {
	out := append([]Consumer(nil), cs...)
	tg := c.tagging()
	if tg == nil {
		return out
	}
	sem := make(chan struct{}, heartbeatReaders)
	var wg sync.WaitGroup
	n := 0
	for i := range out {
		if !out[i].Kinspect || out[i].Status != ConsumerActive || n >= maxHeartbeatReads {
			continue
		}
		n++
		wg.Add(1)
		sem <- struct{}{}
		go func(cons *Consumer) {
			defer func() { <-sem; wg.Done() }()
			cons.Heartbeat, _ = c.readHeartbeat(ctx, tg, cons.ARN)
		}(&out[i])
	}
	wg.Wait()
	return out
}

// readHeartbeat returns a consumer's heartbeat (zero: it has none).
func (c *Client) readHeartbeat(ctx context.Context, tg taggingAPI, consumerARN string) (time.Time, error) {
	v, err := c.readHeartbeatTag(ctx, tg, consumerARN)
	if err != nil || v == "" {
		return time.Time{}, err
	}
	at, err := time.Parse(time.RFC3339, v)
	if err != nil {
		return time.Time{}, nil // not kinspect's: as if none
	}
	return at, nil
}

// readHeartbeatTag returns the value of a consumer's heartbeat tag as
// written ("": it has none).
func (c *Client) readHeartbeatTag(ctx context.Context, tg taggingAPI, consumerARN string) (string, error) {
	ctx, cancel := context.WithTimeout(ctx, heartbeatTimeout)
	defer cancel()
	out, err := tg.ListTagsForResource(ctx, &kinesis.ListTagsForResourceInput{ResourceARN: aws.String(consumerARN)}, noRetry)
	if err != nil {
		return "", err
	}
	for _, t := range out.Tags {
		if aws.ToString(t.Key) == HeartbeatTag {
			return aws.ToString(t.Value), nil
		}
	}
	return "", nil
}
