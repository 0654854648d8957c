package local_test

import (
	"fmt"
	"sort"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kinesis"
	"github.com/aws/aws-sdk-go-v2/service/kinesis/types"

	"github.com/kinspect/kinspect/kinesisx/hashkey"
)

// readToEnd reads a closed shard to its end and returns its ChildShards.
func readToEnd(t *testing.T, k *kinesis.Client, name, shardID string) ([]types.Record, []types.ChildShard) {
	t.Helper()
	recs, last := readAll(t, k, name, shardID)
	if last.NextShardIterator != nil {
		t.Fatalf("closed shard %s read to its end still has a NextShardIterator", shardID)
	}
	return recs, last.ChildShards
}

func testSplitLineage(t *testing.T, k *kinesis.Client, b backend) {
	ctx := ctxT(t)
	name, _ := createStream(t, k, 1)
	for i := 0; i < 10; i++ {
		if _, err := k.PutRecord(ctx, &kinesis.PutRecordInput{StreamName: aws.String(name), PartitionKey: aws.String(fmt.Sprint(i)), Data: []byte("before")}); err != nil {
			t.Fatalf("PutRecord: %v", err)
		}
	}
	parent := "shardId-000000000000"
	if !b.quirks.LaxSplitKey {
		_, err := k.SplitShard(ctx, &kinesis.SplitShardInput{StreamName: aws.String(name), ShardToSplit: aws.String(parent), NewStartingHashKey: aws.String("1")}, noRetries)
		wantCode(t, err, "InvalidArgumentException") // AWS: S+1 < X < E
	}
	mid := hashkey.Mid(hashkey.Key{}, hashkey.Max)
	split(t, k, name, parent, mid.String())
	shards := listShards(t, k, name)
	if len(shards) != 3 {
		t.Fatalf("after split: %s", shardIDs(shards))
	}
	recs, children := readToEnd(t, k, name, parent)
	if len(recs) != 10 {
		t.Errorf("parent has %d records, want 10", len(recs))
	}
	var kids []string
	for _, c := range children {
		kids = append(kids, aws.ToString(c.ShardId))
		if len(c.ParentShards) != 1 || c.ParentShards[0] != parent {
			t.Errorf("child %s parents %v", aws.ToString(c.ShardId), c.ParentShards)
		}
	}
	sort.Strings(kids)
	if len(kids) != 2 {
		t.Fatalf("children %v", kids)
	}
	for _, s := range shards {
		if id := aws.ToString(s.ShardId); id != parent && aws.ToString(s.ParentShardId) != parent {
			t.Errorf("shard %s has parent %q", id, aws.ToString(s.ParentShardId))
		}
	}
	_, err := k.SplitShard(ctx, &kinesis.SplitShardInput{StreamName: aws.String(name), ShardToSplit: aws.String(parent), NewStartingHashKey: aws.String(mid.String())}, noRetries)
	if c := errCode(err); c != "InvalidArgumentException" && c != "ResourceInUseException" {
		t.Errorf("split of a closed shard: %v", err)
	}
}

func testMergeLineage(t *testing.T, k *kinesis.Client, b backend) {
	ctx := ctxT(t)
	name, _ := createStream(t, k, 3)
	_, err := k.MergeShards(ctx, &kinesis.MergeShardsInput{StreamName: aws.String(name), ShardToMerge: aws.String("shardId-000000000000"), AdjacentShardToMerge: aws.String("shardId-000000000002")}, noRetries)
	wantCode(t, err, "InvalidArgumentException")
	if _, err := k.MergeShards(ctx, &kinesis.MergeShardsInput{StreamName: aws.String(name), ShardToMerge: aws.String("shardId-000000000000"), AdjacentShardToMerge: aws.String("shardId-000000000001")}); err != nil {
		t.Fatalf("MergeShards: %v", err)
	}
	waitActive(t, k, name)
	var child types.Shard
	for _, s := range listShards(t, k, name) {
		if aws.ToString(s.ParentShardId) != "" {
			child = s
		}
	}
	if aws.ToString(child.ParentShardId) != "shardId-000000000000" || aws.ToString(child.AdjacentParentShardId) != "shardId-000000000001" {
		t.Fatalf("merged child %+v", child)
	}
	for _, p := range []string{"shardId-000000000000", "shardId-000000000001"} {
		_, children := readToEnd(t, k, name, p)
		if len(children) != 1 || aws.ToString(children[0].ShardId) != aws.ToString(child.ShardId) || len(children[0].ParentShards) != 2 {
			t.Errorf("%s children %+v", p, children)
		}
	}
}

func testUpdateShardCount(t *testing.T, k *kinesis.Client, b backend) {
	ctx := ctxT(t)
	for _, tc := range []struct{ from, to int32 }{{4, 6}, {3, 2}, {2, 4}, {5, 3}} {
		t.Run(fmt.Sprintf("%d-to-%d", tc.from, tc.to), func(t *testing.T) {
			name, _ := createStream(t, k, tc.from)
			_, err := k.UpdateShardCount(ctx, &kinesis.UpdateShardCountInput{StreamName: aws.String(name), TargetShardCount: aws.Int32(tc.from*2 + 1), ScalingType: types.ScalingTypeUniformScaling}, noRetries)
			if errCode(err) == "" {
				t.Errorf("scaling above double succeeded")
			}
			out, err := k.UpdateShardCount(ctx, &kinesis.UpdateShardCountInput{StreamName: aws.String(name), TargetShardCount: aws.Int32(tc.to), ScalingType: types.ScalingTypeUniformScaling})
			if err != nil {
				t.Fatalf("UpdateShardCount: %v", err)
			}
			if aws.ToInt32(out.CurrentShardCount) != tc.from || aws.ToInt32(out.TargetShardCount) != tc.to {
				t.Errorf("counts %d → %d", aws.ToInt32(out.CurrentShardCount), aws.ToInt32(out.TargetShardCount))
			}
			waitActive(t, k, name)
			checkLineage(t, listShards(t, k, name), int(tc.to))
		})
	}
}

// checkLineage checks that the open shards tile the key space, number
// want, and that every child's range is covered by its (≤2) parents.
func checkLineage(t *testing.T, shards []types.Shard, want int) {
	t.Helper()
	byID := map[string]types.Shard{}
	var open []types.Shard
	for _, s := range shards {
		byID[aws.ToString(s.ShardId)] = s
		if s.SequenceNumberRange.EndingSequenceNumber == nil {
			open = append(open, s)
		}
	}
	if len(open) != want {
		t.Fatalf("%d open shards, want %d", len(open), want)
	}
	sort.Slice(open, func(i, j int) bool {
		return parseKey(t, open[i].HashKeyRange.StartingHashKey).Cmp(parseKey(t, open[j].HashKeyRange.StartingHashKey)) < 0
	})
	next := hashkey.Key{}
	for _, s := range open {
		if parseKey(t, s.HashKeyRange.StartingHashKey) != next {
			t.Fatalf("open shards leave a gap before %s", aws.ToString(s.ShardId))
		}
		next = parseKey(t, s.HashKeyRange.EndingHashKey).Inc()
	}
	for _, s := range shards {
		var parents []types.Shard
		for _, p := range []*string{s.ParentShardId, s.AdjacentParentShardId} {
			if id := aws.ToString(p); id != "" {
				ps, ok := byID[id]
				if !ok {
					t.Fatalf("%s names unknown parent %s", aws.ToString(s.ShardId), id)
				}
				parents = append(parents, ps)
			}
		}
		if len(parents) == 0 {
			continue
		}
		lo, hi := parseKey(t, parents[0].HashKeyRange.StartingHashKey), parseKey(t, parents[0].HashKeyRange.EndingHashKey)
		for _, p := range parents[1:] {
			if l := parseKey(t, p.HashKeyRange.StartingHashKey); l.Cmp(lo) < 0 {
				lo = l
			}
			if h := parseKey(t, p.HashKeyRange.EndingHashKey); h.Cmp(hi) > 0 {
				hi = h
			}
		}
		if parseKey(t, s.HashKeyRange.StartingHashKey).Cmp(lo) < 0 || parseKey(t, s.HashKeyRange.EndingHashKey).Cmp(hi) > 0 {
			t.Errorf("%s's range is not covered by its parents", aws.ToString(s.ShardId))
		}
	}
}
