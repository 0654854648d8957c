package kinesisx

import (
	"context"
	"fmt"
	"sort"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kinesis"
	"github.com/aws/aws-sdk-go-v2/service/kinesis/types"

	"github.com/kinspect/kinspect/kinesisx/hashkey"
)

// ListShards returns every shard of the stream within retention, open and
// closed, sorted by the start of the hash range and then by ID. The SDK has
// no ListShards paginator: follow-up pages send only NextToken (and
// MaxResults), as the API requires.
func (c *Client) ListShards(ctx context.Context, stream string) ([]Shard, error) {
	var out []Shard
	in := &kinesis.ListShardsInput{StreamName: aws.String(stream), MaxResults: aws.Int32(1000)}
	for {
		page, err := c.api.ListShards(ctx, in)
		if err != nil {
			return nil, fmt.Errorf("list shards of %s: %w", stream, err)
		}
		for _, s := range page.Shards {
			sh, err := shardFromAPI(s)
			if err != nil {
				return nil, fmt.Errorf("list shards of %s: %w", stream, err)
			}
			out = append(out, sh)
		}
		if page.NextToken == nil || *page.NextToken == "" {
			break
		}
		in = &kinesis.ListShardsInput{NextToken: page.NextToken, MaxResults: aws.Int32(1000)}
	}
	SortShards(out)
	return out, nil
}

// SortShards orders shards by the start of their hash range, then by ID.
func SortShards(shards []Shard) {
	sort.SliceStable(shards, func(i, j int) bool {
		if c := shards[i].HashRange.Start.Cmp(shards[j].HashRange.Start); c != 0 {
			return c < 0
		}
		return shards[i].ID < shards[j].ID
	})
}

func shardFromAPI(s types.Shard) (Shard, error) {
	sh := Shard{
		ID:               aws.ToString(s.ShardId),
		ParentID:         aws.ToString(s.ParentShardId),
		AdjacentParentID: aws.ToString(s.AdjacentParentShardId),
	}
	if s.HashKeyRange != nil {
		r, err := rangeFromAPI(s.HashKeyRange)
		if err != nil {
			return Shard{}, fmt.Errorf("shard %s: %w", sh.ID, err)
		}
		sh.HashRange = r
	}
	if s.SequenceNumberRange != nil {
		sh.SeqRange = SeqRange{
			Start: aws.ToString(s.SequenceNumberRange.StartingSequenceNumber),
			End:   aws.ToString(s.SequenceNumberRange.EndingSequenceNumber),
		}
	}
	sh.Open = sh.SeqRange.End == ""
	return sh, nil
}

func rangeFromAPI(r *types.HashKeyRange) (hashkey.Range, error) {
	start, err := hashkey.Parse(aws.ToString(r.StartingHashKey))
	if err != nil {
		return hashkey.Range{}, err
	}
	end, err := hashkey.Parse(aws.ToString(r.EndingHashKey))
	if err != nil {
		return hashkey.Range{}, err
	}
	return hashkey.Range{Start: start, End: end}, nil
}

// FindShard returns the shard with the given ID.
func FindShard(shards []Shard, id string) (Shard, bool) {
	for _, s := range shards {
		if s.ID == id {
			return s, true
		}
	}
	return Shard{}, false
}

// ShardForHashKey returns the open shard whose range holds k.
func ShardForHashKey(shards []Shard, k hashkey.Key) (Shard, bool) {
	for _, s := range shards {
		if s.Open && s.HashRange.Contains(k) {
			return s, true
		}
	}
	return Shard{}, false
}

// ShardForKey returns the open shard a partition key is routed to (MD5 of
// the key as a 128-bit integer). On a stream whose RecordDistribution is
// AUTO the service ignores keys, so the answer is only where the key would
// go under USER_PARTITION_KEY.
func ShardForKey(shards []Shard, partitionKey string) (Shard, bool) {
	return ShardForHashKey(shards, hashkey.FromPartitionKey(partitionKey))
}
