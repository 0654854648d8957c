package kinesisx_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kinesis"
	"github.com/aws/aws-sdk-go-v2/service/kinesis/types"

	"github.com/kinspect/kinspect/internal/testenv"
	"github.com/kinspect/kinspect/kinesisx"
	"github.com/kinspect/kinspect/kinesisx/hashkey"
	"github.com/kinspect/kinspect/kinesisx/local"
)

// A tail from the trim horizon of shards A and B that reads A slowly (a
// backlog, paced at 64 KiB/s) while A splits into C and D and then C
// merges with B into E: B ends first and announces E, whose parent C the
// tail meets only once A ends. E's records must still come after C's.
func TestTailLineageSplitThenMergeWhileLagging(t *testing.T) {
	for _, mode := range []kinesisx.Mode{kinesisx.ModePolling, kinesisx.ModeEFO} {
		t.Run(mode.String(), func(t *testing.T) { runSplitThenMerge(t, mode) })
	}
}

func runSplitThenMerge(t *testing.T, mode kinesisx.Mode) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	k := testenv.KinesisClient(t, startLocal(t, local.Options{}))
	stream := testenv.StreamName(t)
	testenv.CreateStream(t, k, stream, 2)
	c := kinesisx.New(k)
	shards, err := c.ListShards(ctx, stream)
	if err != nil {
		t.Fatal(err)
	}
	a, b := shards[0], shards[1]
	want := map[string]bool{}
	pad := strings.Repeat(".", 1000)
	put := func(s kinesisx.Shard, n int) {
		t.Helper()
		var entries []types.PutRecordsRequestEntry
		for i := 0; i < n; i++ {
			data := fmt.Sprintf("%s-%04d-%s", s.ID, i, pad)
			want[data] = true
			entries = append(entries, types.PutRecordsRequestEntry{Data: []byte(data), PartitionKey: aws.String("k"), ExplicitHashKey: aws.String(s.HashRange.Start.String())})
		}
		for len(entries) > 0 {
			n := min(len(entries), 250)
			out, err := k.PutRecords(ctx, &kinesis.PutRecordsInput{StreamName: aws.String(stream), Records: entries[:n]})
			if err != nil {
				t.Fatal(err)
			}
			if aws.ToInt32(out.FailedRecordCount) > 0 {
				t.Fatalf("%d records refused", aws.ToInt32(out.FailedRecordCount))
			}
			entries = entries[n:]
		}
	}
	put(a, 400) // 400 KiB: some 6 s at 64 KiB/s
	put(b, 10)

	tail, err := c.Tail(ctx, kinesisx.TailOptions{Stream: stream, From: kinesisx.StartPosition{Type: kinesisx.PositionTrimHorizon}, Mode: mode,
		ReadBytesPerSec: 64 << 10, IdlePollInterval: 100 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	defer tail.Close()

	// A splits; the child next to B (C) takes records and merges with B.
	mid := hashkey.Mid(a.HashRange.Start, a.HashRange.End)
	if _, err := k.SplitShard(ctx, &kinesis.SplitShardInput{StreamName: aws.String(stream), ShardToSplit: aws.String(a.ID), NewStartingHashKey: aws.String(mid.String())}); err != nil {
		t.Fatal(err)
	}
	if err := testenv.WaitStreamActive(ctx, k, stream); err != nil {
		t.Fatal(err)
	}
	if shards, err = c.ListShards(ctx, stream); err != nil {
		t.Fatal(err)
	}
	adj := kinesisx.AdjacentOpen(shards, b.ID)
	if len(adj) != 1 {
		t.Fatalf("open shards next to %s: %v", b.ID, adj)
	}
	cShard, _ := kinesisx.FindShard(shards, adj[0])
	put(cShard, 20)
	if _, err := k.MergeShards(ctx, &kinesis.MergeShardsInput{StreamName: aws.String(stream), ShardToMerge: aws.String(cShard.ID), AdjacentShardToMerge: aws.String(b.ID)}); err != nil {
		t.Fatal(err)
	}
	if err := testenv.WaitStreamActive(ctx, k, stream); err != nil {
		t.Fatal(err)
	}
	if shards, err = c.ListShards(ctx, stream); err != nil {
		t.Fatal(err)
	}
	for _, s := range shards {
		if s.Open {
			put(s, 20) // D and E
		}
	}

	var got []testenv.Delivery
	bEnded := -1
	for len(got) < len(want) {
		select {
		case batch, ok := <-tail.Batches():
			if !ok {
				t.Fatalf("tail ended early after %d records: %v", len(got), tail.Err())
			}
			for _, r := range batch.Records {
				got = append(got, testenv.Delivery{Shard: r.ShardID, Sequence: r.SequenceNumber, Data: string(r.Data)})
			}
			if p := batch.Shards[b.ID]; p.Closed && bEnded < 0 {
				bEnded = len(got)
			}
		case <-ctx.Done():
			t.Fatalf("only %d of %d records arrived", len(got), len(want))
		}
	}
	// The scenario needs B read to its end while A still had records.
	lastA := 0
	for i, d := range got {
		if d.Shard == a.ID {
			lastA = i
		}
	}
	if bEnded < 0 || bEnded > lastA {
		t.Fatalf("B ended after %d records, A's last was #%d: the tail did not lag on A", bEnded, lastA)
	}
	t.Logf("B ended after %d records; A's last was #%d of %d", bEnded, lastA, len(got))
	testenv.CheckDelivery(t, got, want, shards)
}
