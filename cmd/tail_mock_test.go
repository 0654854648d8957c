package cmd

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kinesis"
	"github.com/aws/aws-sdk-go-v2/service/kinesis/types"

	"github.com/kinspect/kinspect/internal/testenv"
	"github.com/kinspect/kinspect/kinesisx"
	"github.com/kinspect/kinspect/kinesisx/hashkey"
)

// kinesis-mock never ends a closed shard's subscription (AWS ends it with
// ChildShards): tail --efo --idle still ends after a split there, with
// every record once, in order per shard, a parent's before its children's.
func TestTailEFOKinesisMockFollowsSplit(t *testing.T) {
	url := testenv.KinesisMock(t)
	e := &writeEnv{t: t, url: url, sdk: testenv.KinesisClient(t, url)}
	stream := e.stream(2)
	ctx := context.Background()
	want := map[string]bool{}
	put := func(prefix string) {
		var entries []types.PutRecordsRequestEntry
		for i := 0; i < 30; i++ {
			d := fmt.Sprintf("%s-%02d", prefix, i)
			want[d] = true
			entries = append(entries, types.PutRecordsRequestEntry{Data: []byte(d), PartitionKey: aws.String(d)})
		}
		out, err := e.sdk.PutRecords(ctx, &kinesis.PutRecordsInput{StreamName: aws.String(stream), Records: entries})
		if err != nil || aws.ToInt32(out.FailedRecordCount) != 0 {
			t.Fatalf("put: %v", err)
		}
	}
	put("before")
	s0 := e.shards(stream)[0]
	r, err := kinesisx.New(e.sdk).ListShards(ctx, stream)
	if err != nil {
		t.Fatal(err)
	}
	mid := hashkey.Mid(r[0].HashRange.Start, r[0].HashRange.End)
	if _, err := e.sdk.SplitShard(ctx, &kinesis.SplitShardInput{StreamName: aws.String(stream), ShardToSplit: s0.ShardId, NewStartingHashKey: aws.String(mid.String())}); err != nil {
		t.Fatal(err)
	}
	if err := testenv.WaitStreamActive(ctx, e.sdk, stream); err != nil {
		t.Fatal(err)
	}
	put("after")

	res := e.run("", false, "tail", stream, "--efo", "--from", "trim-horizon", "--idle", "8s", "-o", "json")
	wantExit(t, res, 0, "")
	type line struct{ Shard, Sequence, Data string }
	seen := map[string]bool{}
	lastSeq := map[string]string{}
	first, last := map[string]int{}, map[string]int{}
	for i, l := range strings.Split(strings.TrimSpace(res.stdout), "\n") {
		var rec line
		if err := json.Unmarshal([]byte(l), &rec); err != nil {
			t.Fatalf("line %d: %v: %s", i, err, l)
		}
		if seen[rec.Data] || !want[rec.Data] {
			t.Fatalf("record %s printed twice or never put", rec.Data)
		}
		seen[rec.Data] = true
		if p, ok := lastSeq[rec.Shard]; ok && kinesisx.CompareSequence(rec.Sequence, p) <= 0 {
			t.Fatalf("shard %s: %s after %s", rec.Shard, rec.Sequence, p)
		}
		lastSeq[rec.Shard] = rec.Sequence
		if _, ok := first[rec.Shard]; !ok {
			first[rec.Shard] = i
		}
		last[rec.Shard] = i
	}
	if len(seen) != len(want) {
		t.Fatalf("printed %d of %d records\n%s", len(seen), len(want), res.stderr)
	}
	parent := aws.ToString(s0.ShardId)
	children := 0
	for _, s := range e.shards(stream) {
		if aws.ToString(s.ParentShardId) != parent {
			continue
		}
		children++
		if fc, ok := first[aws.ToString(s.ShardId)]; ok && fc < last[parent] {
			t.Fatalf("a record of %s came before the last of its parent %s", aws.ToString(s.ShardId), parent)
		}
	}
	if children != 2 {
		t.Fatalf("%d children of %s", children, parent)
	}
}
