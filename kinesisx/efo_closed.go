package kinesisx

import (
	"context"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kinesis/types"
)

// Some endpoints never end a closed shard's subscription: kinesis-mock
// (and so LocalStack) goes on sending empty events at MillisBehindLatest 0
// and never the last one with ChildShards and no continuation that AWS
// sends. A subscriber ends such a subscription itself, once ListShards says
// the shard is closed and the subscription has delivered its last record:
// its continuation reached the shard's EndingSequenceNumber, or it sent
// quietEvents empty events in a row at the tip. The children come from the
// listing. Against AWS it never triggers: AWS ends the subscription first.

// quietEvents is how many empty events at the tip of a closed shard end
// its subscription when its last sequence number does not show it.
const quietEvents = 3

// listingEvery is the least time between two ListShards calls made to see
// whether a quiet shard has closed, for a whole tail.
const listingEvery = 10 * time.Second

// shardListing is a tail's listing of its stream's shards, shared by its
// subscribers and refreshed at most every listingEvery.
type shardListing struct {
	c      *Client
	stream string

	mu     sync.Mutex
	shards []Shard
	at     time.Time
}

func newShardListing(c *Client, stream string, shards []Shard) *shardListing {
	return &shardListing{c: c, stream: stream, shards: shards, at: c.now()}
}

// get returns the listing, refreshed if it is older than listingEvery; on
// an error it returns the last one.
func (l *shardListing) get(ctx context.Context) []Shard {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.c.now().Sub(l.at) < listingEvery {
		return l.shards
	}
	if s, err := l.c.ListShards(ctx, l.stream); err == nil {
		l.shards, l.at = s, l.c.now()
	}
	return l.shards
}

// endsClosed says whether an event at the tip (no records, 0 ms behind)
// ends a closed shard's subscription, and with which children.
func (s *subscriber) endsClosed(ctx context.Context) (bool, []types.ChildShard) {
	s.quiet++
	if s.listing == nil {
		return false, nil
	}
	shards := s.listing.get(ctx)
	sh, ok := FindShard(shards, s.shardID)
	if !ok || sh.Open {
		return false, nil
	}
	last := s.continuation != "" && CompareSequence(s.continuation, sh.SeqRange.End) >= 0
	if !last && s.quiet < quietEvents {
		return false, nil
	}
	var children []types.ChildShard
	for _, ch := range shards {
		for _, p := range ch.Parents() {
			if p == s.shardID {
				children = append(children, types.ChildShard{ShardId: aws.String(ch.ID), ParentShards: ch.Parents()})
			}
		}
	}
	return true, children
}
