package local_test

import (
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kinesis"
	"github.com/aws/aws-sdk-go-v2/service/kinesis/types"

	"github.com/kinspect/kinspect/kinesisx/local"
)

func TestIteratorExpiry(t *testing.T) {
	clock := newFakeClock()
	k := newClient(t, startLocal(t, local.Options{Now: clock.Now, IteratorTTL: 2 * time.Minute}), noRetries)
	name, _ := createStream(t, k, 1)
	ctx := ctxT(t)
	it, err := k.GetShardIterator(ctx, &kinesis.GetShardIteratorInput{StreamName: aws.String(name), ShardId: aws.String("shardId-000000000000"), ShardIteratorType: types.ShardIteratorTypeTrimHorizon})
	if err != nil {
		t.Fatal(err)
	}
	clock.Advance(time.Minute)
	out, err := k.GetRecords(ctx, &kinesis.GetRecordsInput{ShardIterator: it.ShardIterator})
	if err != nil {
		t.Fatalf("GetRecords within the TTL: %v", err)
	}
	clock.Advance(90 * time.Second)
	if _, err := k.GetRecords(ctx, &kinesis.GetRecordsInput{ShardIterator: out.NextShardIterator}); err != nil {
		t.Errorf("a fresh NextShardIterator expired: %v", err)
	}
	_, err = k.GetRecords(ctx, &kinesis.GetRecordsInput{ShardIterator: it.ShardIterator})
	wantCode(t, err, "ExpiredIteratorException")
}

func TestRetentionAndByteCap(t *testing.T) {
	clock := newFakeClock()
	k := newClient(t, startLocal(t, local.Options{Now: clock.Now, MaxBytesPerStream: 100 << 10}))
	t.Run("retention", func(t *testing.T) {
		name, _ := createStream(t, k, 1)
		put(t, k, name, "old1", "old2")
		clock.Advance(25 * time.Hour)
		put(t, k, name, "new")
		recs, _ := readAll(t, k, name, "shardId-000000000000")
		if len(recs) != 1 || string(recs[0].Data) != "new" {
			t.Errorf("after 25 h read %d records, want only the new one", len(recs))
		}
	})
	t.Run("byte cap", func(t *testing.T) {
		name, _ := createStream(t, k, 2)
		var data []string
		for i := 0; i < 300; i++ {
			data = append(data, strings.Repeat("y", 1023)+string(rune('a'+i%26)))
		}
		entries := make([]types.PutRecordsRequestEntry, len(data))
		for i, d := range data {
			entries[i] = types.PutRecordsRequestEntry{PartitionKey: aws.String(string(rune('a' + i%7))), Data: []byte(d)}
		}
		for i := 0; i < len(entries); i += 100 {
			if _, err := k.PutRecords(ctxT(t), &kinesis.PutRecordsInput{StreamName: aws.String(name), Records: entries[i : i+100]}); err != nil {
				t.Fatal(err)
			}
		}
		total := 0
		for _, s := range listShards(t, k, name) {
			recs, _ := readAll(t, k, name, aws.ToString(s.ShardId))
			total += len(recs)
		}
		if total == 0 || total > 100 {
			t.Errorf("kept %d 1 KiB records under a 100 KiB cap", total)
		}
	})
}

// TestGlobalByteCap fills three streams in turn past a cap over all
// streams: the oldest records go first, whichever stream holds them.
func TestGlobalByteCap(t *testing.T) {
	clock := newFakeClock()
	k := newClient(t, startLocal(t, local.Options{Now: clock.Now, MaxBytes: 200 << 10, MaxBytesPerStream: 1 << 20}))
	var names []string
	for range 3 {
		name, _ := createStream(t, k, 2)
		names = append(names, name)
	}
	for _, name := range names {
		for i := 0; i < 100; i++ {
			clock.Advance(time.Millisecond)
			if _, err := k.PutRecord(ctxT(t), &kinesis.PutRecordInput{StreamName: aws.String(name), PartitionKey: aws.String(string(rune('a' + i%7))), Data: kib(1)}); err != nil {
				t.Fatal(err)
			}
		}
	}
	kept := make([]int, len(names))
	for i, name := range names {
		for _, s := range listShards(t, k, name) {
			recs, _ := readAll(t, k, name, aws.ToString(s.ShardId))
			kept[i] += len(recs)
		}
	}
	total := kept[0] + kept[1] + kept[2]
	// 300 records of 1 KiB (1,025 bytes and 128 of overhead counted each)
	// under a 200 KiB cap: at most 177 stay, the newest.
	if total > 177 || total < 100 || kept[2] != 100 || kept[0] != 0 {
		t.Errorf("kept %v records of the three streams (oldest first) under a 200 KiB cap over all streams; want none of the first, all of the last, at most 177 in all", kept)
	}
}
