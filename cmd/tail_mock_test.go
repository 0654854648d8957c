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
	var got []testenv.Delivery
	for i, l := range strings.Split(strings.TrimSpace(res.stdout), "\n") {
		var d testenv.Delivery
		if err := json.Unmarshal([]byte(l), &d); err != nil {
			t.Fatalf("line %d: %v: %s", i, err, l)
		}
		got = append(got, d)
	}
	if len(got) != len(want) { // no faults here: each payload is in the stream once
		t.Fatalf("printed %d records, want %d\n%s", len(got), len(want), res.stderr)
	}
	shards, err := kinesisx.New(e.sdk).ListShards(ctx, stream)
	if err != nil {
		t.Fatal(err)
	}
	testenv.CheckDelivery(t, got, want, shards)
	children := 0
	for _, s := range shards {
		if s.ParentID == r[0].ID {
			children++
		}
	}
	if children != 2 {
		t.Fatalf("%d children of %s", children, r[0].ID)
	}
}
