package cmd

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kinesis"
	"github.com/aws/aws-sdk-go-v2/service/kinesis/types"

	"github.com/kinspect/kinspect/kinesisx/hashkey"
	"github.com/kinspect/kinspect/kinesisx/local"
)

func TestMergeCommand(t *testing.T) {
	e := newWriteEnv(t, local.Options{})
	stream := e.stream(3)

	r := e.run("", false, "merge", stream, "shardId-000000000000", "shardId-000000000002", "--yes")
	wantExit(t, r, 1, "they are not adjacent; open shards adjacent to shardId-000000000000: shardId-000000000001")
	r = e.run("", false, "merge", stream, "shardId-000000000001", "shardId-000000000000")
	wantExit(t, r, 2, "merge shards needs confirmation")
	r = e.run("n\n", true, "merge", stream, "shardId-000000000001", "shardId-000000000000")
	wantExit(t, r, 1, "nothing was changed")
	if !strings.Contains(r.stderr, "--shard-to-merge shardId-000000000000 --adjacent-shard-to-merge shardId-000000000001") {
		t.Errorf("the command shown does not put the lower shard first: %s", r.stderr)
	}
	r = e.run("", false, "--read-only", "merge", stream, "shardId-000000000001", "shardId-000000000000", "--yes")
	wantExit(t, r, 1, "read-only mode refused it")
	if got := openShardIDs(e.shards(stream)); len(got) != 3 {
		t.Fatalf("refused merges changed the stream: %v", got)
	}

	r = e.run("", false, "merge", stream, "shardId-000000000001", "shardId-000000000000", "--yes")
	wantExit(t, r, 0, "")
	shards := e.shards(stream)
	if got := openShardIDs(shards); strings.Join(got, ",") != "shardId-000000000002,shardId-000000000003" {
		t.Fatalf("open shards after merge: %v", got)
	}
	for _, s := range shards {
		if aws.ToString(s.ShardId) == "shardId-000000000003" {
			if aws.ToString(s.ParentShardId) != "shardId-000000000000" || aws.ToString(s.AdjacentParentShardId) != "shardId-000000000001" {
				t.Errorf("child parents %q + %q", aws.ToString(s.ParentShardId), aws.ToString(s.AdjacentParentShardId))
			}
		}
	}
	if !strings.Contains(r.stdout, "shardId-000000000003  open    shardId-000000000000,shardId-000000000001") {
		t.Errorf("lineage output:\n%s", r.stdout)
	}
	r = e.run("", false, "merge", stream, "shardId-000000000000", "shardId-000000000003", "--yes")
	wantExit(t, r, 1, "the shard is closed")
}

func TestScaleCommand(t *testing.T) {
	e := newWriteEnv(t, local.Options{})
	stream := e.stream(2)
	for _, bad := range []struct {
		count, want string
	}{{"5", "between half and double the open count (1 to 4)"}, {"2", "already has 2 open shards"}} {
		r := e.run("", false, "scale", stream, bad.count, "--yes")
		wantExit(t, r, 1, bad.want)
	}
	r := e.run("", false, "scale", stream, "4")
	wantExit(t, r, 2, "needs confirmation")
	r = e.run("", false, "scale", stream, "4", "--yes")
	wantExit(t, r, 0, "aws kinesis update-shard-count --stream-name "+stream+" --target-shard-count 4 --scaling-type UNIFORM_SCALING")
	open := openShardIDs(e.shards(stream))
	if len(open) != 4 {
		t.Fatalf("open shards after scale: %v", open)
	}
	// The open shards cover the key space in four even quarters.
	var shares []float64
	for _, s := range e.shards(stream) {
		if s.SequenceNumberRange.EndingSequenceNumber == nil {
			r := hashkey.Range{Start: hashkey.MustParse(aws.ToString(s.HashKeyRange.StartingHashKey)), End: hashkey.MustParse(aws.ToString(s.HashKeyRange.EndingHashKey))}
			shares = append(shares, r.Share())
		}
	}
	for _, sh := range shares {
		if math.Abs(sh-0.25) > 0.001 {
			t.Errorf("shares %v", shares)
		}
	}
}

// A median split divides skewed traffic in about half, where the midpoint
// would not: 80% of the records have partition keys that hash into 10% of
// the shard's range. (Readers never see explicit hash keys, so the sample
// works from partition keys, as it would against AWS.)
func TestSplitAtMedianOfSkewedTraffic(t *testing.T) {
	e := newWriteEnv(t, local.Options{})
	stream := e.stream(1)
	full := hashkey.Split(1)[0]
	tenth := hashkey.Range{Start: full.Start, End: hashkey.Key{Hi: full.End.Hi / 10}}
	rnd := rand.New(rand.NewPCG(5, 6))
	randomKey := func() string { return fmt.Sprintf("%016x", rnd.Uint64()) }
	var hot []string
	for len(hot) < 300 {
		if k := randomKey(); tenth.Contains(hashkey.FromPartitionKey(k)) {
			hot = append(hot, k)
		}
	}
	put := func(n int) map[string]int {
		perShard := map[string]int{}
		for sent := 0; sent < n; sent += 500 {
			var entries []types.PutRecordsRequestEntry
			for range 500 {
				key := randomKey()
				if rnd.IntN(10) < 8 {
					key = hot[rnd.IntN(len(hot))]
				}
				entries = append(entries, types.PutRecordsRequestEntry{Data: make([]byte, 100), PartitionKey: aws.String(key)})
			}
			out, err := e.sdk.PutRecords(context.Background(), &kinesis.PutRecordsInput{StreamName: aws.String(stream), Records: entries})
			if err != nil || aws.ToInt32(out.FailedRecordCount) != 0 {
				t.Fatalf("put: %v", err)
			}
			for _, rec := range out.Records {
				perShard[aws.ToString(rec.ShardId)]++
			}
		}
		return perShard
	}
	put(4000)
	r := e.run("", false, "split", stream, "shardId-000000000000", "--at", "median", "--yes")
	wantExit(t, r, 0, "median of 4000 records")
	fresh := put(10000)
	lo, hi := fresh["shardId-000000000001"], fresh["shardId-000000000002"]
	if lo+hi != 10000 || math.Abs(float64(lo-hi))/10000 > 0.06 {
		t.Errorf("after a median split, fresh skewed traffic divides %d / %d", lo, hi)
	}
	t.Logf("children got %d / %d of 10000 fresh records; %s", lo, hi, strings.TrimSpace(r.stderr))
}
