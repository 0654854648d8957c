package kinesisx

import (
	"context"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kinesis"
	"github.com/aws/aws-sdk-go-v2/service/kinesis/types"
)

// A subscription that idles at the tip ends by itself only for a shard that
// ListShards shows closed: at once when it delivered the shard's last
// sequence number, else after quietEvents empty events; an open shard's
// never does (AWS's quiet shards).
func TestSubscriberEndsClosedShard(t *testing.T) {
	m := newMemStream(10)
	m.addShard("shardId-000000000000", "", "", true, 3)
	m.addShard("shardId-000000000001", "shardId-000000000000", "", false, 0)
	m.addShard("shardId-000000000002", "shardId-000000000000", "", false, 0)
	m.addShard("shardId-000000000003", "", "", false, 0)
	lists := 0
	api := m.api()
	listShards := api.ListShardsFn
	api.ListShardsFn = func(ctx context.Context, in *kinesis.ListShardsInput) (*kinesis.ListShardsOutput, error) {
		lists++
		return listShards(ctx, in)
	}
	now := time.Unix(1700000000, 0)
	c := newClient(api, WithClock(func() time.Time { return now }))
	shards, err := c.ListShards(context.Background(), "s")
	if err != nil {
		t.Fatal(err)
	}
	listing := newShardListing(c, "s", shards)
	sub := func(id, cont string) *subscriber {
		return &subscriber{c: c, shardID: id, continuation: cont, listing: listing}
	}
	ctx := context.Background()

	open := sub("shardId-000000000003", seqOf("shardId-000000000003", 0))
	for i := 0; i < 10; i++ {
		if ended, _ := open.endsClosed(ctx); ended {
			t.Fatalf("an open shard's subscription ended after %d quiet events", i+1)
		}
	}

	last := sub("shardId-000000000000", seqOf("shardId-000000000000", 3))
	ended, children := last.endsClosed(ctx)
	if !ended || len(children) != 2 || aws.ToString(children[0].ShardId) != "shardId-000000000001" || children[0].ParentShards[0] != "shardId-000000000000" {
		t.Fatalf("closed shard at its last record: ended %v, children %v", ended, childIDs(children))
	}

	// kinesis-mock's EndingSequenceNumber says nothing: the quiet decides.
	m.shards[0].SequenceNumberRange.EndingSequenceNumber = aws.String(seqOf("shardId-000000000000", 9))
	now = now.Add(listingEvery)
	quiet := sub("shardId-000000000000", seqOf("shardId-000000000000", 3))
	for i := 1; i <= quietEvents; i++ {
		ended, _ := quiet.endsClosed(ctx)
		if ended != (i == quietEvents) {
			t.Fatalf("quiet event %d: ended %v", i, ended)
		}
	}
	if lists != 2 {
		t.Fatalf("ListShards called %d times, want 2 (the listing is shared and refreshed at most every %v)", lists, listingEvery)
	}
}

func childIDs(ch []types.ChildShard) []string {
	var ids []string
	for _, c := range ch {
		ids = append(ids, aws.ToString(c.ShardId))
	}
	return ids
}
