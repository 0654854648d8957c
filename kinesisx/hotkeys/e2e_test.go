package hotkeys_test

import (
	"context"
	"strconv"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kinesis"
	"github.com/aws/aws-sdk-go-v2/service/kinesis/types"

	"github.com/kinspect/kinspect/internal/testenv"
	"github.com/kinspect/kinspect/kinesisx"
	"github.com/kinspect/kinspect/kinesisx/hashkey"
	"github.com/kinspect/kinspect/kinesisx/hotkeys"
	"github.com/kinspect/kinspect/kinesisx/local"
	"github.com/kinspect/kinspect/kinesisx/local/localtest"
)

// skewedTraffic is 12,000 records of 200 bytes: every third one carries a
// hot key that hashes to about 83% of the key space, the rest spread over
// 3,000 keys.
func skewedTraffic(t *testing.T) []types.PutRecordsRequestEntry {
	t.Helper()
	hot := ""
	for i := 0; hot == ""; i++ {
		k := "hot-" + strconv.Itoa(i)
		if f := hashkey.FromPartitionKey(k).Float() / hashkey.Max.Float(); f >= 0.81 && f < 0.85 {
			hot = k
		}
	}
	data := make([]byte, 200)
	out := make([]types.PutRecordsRequestEntry, 12_000)
	for i := range out {
		key := "u-" + strconv.Itoa(i%3000)
		if i%3 == 0 {
			key = hot
		}
		out[i] = types.PutRecordsRequestEntry{PartitionKey: aws.String(key), Data: data}
	}
	return out
}

func putAll(t *testing.T, ctx context.Context, sdk *kinesis.Client, stream string, recs []types.PutRecordsRequestEntry) {
	t.Helper()
	for i := 0; i < len(recs); i += 500 {
		out, err := sdk.PutRecords(ctx, &kinesis.PutRecordsInput{StreamName: aws.String(stream), Records: recs[i:min(i+500, len(recs))]})
		if err != nil || aws.ToInt32(out.FailedRecordCount) != 0 {
			t.Fatalf("put: %v (%d failed)", err, aws.ToInt32(out.FailedRecordCount))
		}
	}
}

// readShards tails shards from the trim horizon until caught up, giving
// every batch to fn.
func readShards(t *testing.T, ctx context.Context, c *kinesisx.Client, stream string, shards []string, fn func(kinesisx.Batch)) {
	t.Helper()
	tail, err := c.Tail(ctx, kinesisx.TailOptions{Stream: stream, Shards: shards, From: kinesisx.StartPosition{Type: kinesisx.PositionTrimHorizon}})
	if err != nil {
		t.Fatal(err)
	}
	defer tail.Close()
	for b := range tail.Batches() {
		fn(b)
		if b.CaughtUp {
			return
		}
	}
	t.Fatalf("tail ended before catching up: %v", tail.Err())
}

// Skewed traffic on one shard, tailed into the analyser: the hot key comes
// first, and splitting at the analyser's median gives children whose bytes
// (of the same traffic put again, read back from each child) differ by less
// than 10%, where the midpoint split would not.
func TestTrafficWeightedSplitEndToEnd(t *testing.T) {
	url := localtest.URL(t, local.Options{UpdateDelay: 50 * time.Millisecond})
	sdk := testenv.KinesisClient(t, url)
	stream := testenv.StreamName(t)
	testenv.CreateStream(t, sdk, stream, 1)
	c := kinesisx.New(sdk)
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()

	recs := skewedTraffic(t)
	hot := aws.ToString(recs[0].PartitionKey)
	putAll(t, ctx, sdk, stream, recs)
	shards, err := c.ListShards(ctx, stream)
	if err != nil {
		t.Fatal(err)
	}
	parent := shards[0]
	a := hotkeys.New(hotkeys.Options{Seed: 7})
	a.SetShards(shards)
	readShards(t, ctx, c, stream, []string{parent.ID}, a.AddBatch)

	st, ok := a.Shard(parent.ID, 3)
	if !ok || st.Records != 12_000 || st.TopByBytes[0].Key != hot || st.TopByRecords[0].Key != hot {
		t.Fatalf("stats %+v", st)
	}
	if st.Skew < 0.25 {
		t.Errorf("skew %.3f for a key with a third of the bytes", st.Skew)
	}
	p, ok := a.SplitPreview(parent.ID)
	if !ok {
		t.Fatal("no split preview")
	}
	t.Logf("median split %.3f/%.3f, midpoint %.3f/%.3f", p.MedianLower, p.MedianUpper, p.MidpointLower, p.MidpointUpper)

	if err := c.Split(ctx, stream, parent.ID, p.Median); err != nil {
		t.Fatal(err)
	}
	if err := c.WaitActive(ctx, stream, nil); err != nil {
		t.Fatal(err)
	}
	putAll(t, ctx, sdk, stream, recs)
	shards, err = c.ListShards(ctx, stream)
	if err != nil {
		t.Fatal(err)
	}
	var bytes []int64
	var total int
	for _, s := range shards {
		if s.ParentID != parent.ID {
			continue
		}
		var n int64
		readShards(t, ctx, c, stream, []string{s.ID}, func(b kinesisx.Batch) {
			for _, r := range b.Records {
				n += int64(len(r.Data) + len(r.PartitionKey))
				total++
			}
		})
		bytes = append(bytes, n)
	}
	if len(bytes) != 2 || total != len(recs) {
		t.Fatalf("children bytes %v, %d records", bytes, total)
	}
	if d := imbalance(bytes[0], bytes[1]); d >= 0.10 {
		t.Errorf("children carry %d and %d bytes: imbalance %.3f", bytes[0], bytes[1], d)
	}
	// The midpoint split of the same traffic, computed from the keys.
	var lo, hi int64
	mid := kinesisx.MidpointKey(parent.HashRange)
	for _, r := range recs {
		n := int64(len(r.Data) + len(aws.ToString(r.PartitionKey)))
		if hashkey.FromPartitionKey(aws.ToString(r.PartitionKey)).Cmp(mid) < 0 {
			lo += n
		} else {
			hi += n
		}
	}
	if d := imbalance(lo, hi); d < 0.10 {
		t.Errorf("the midpoint split would balance too (%d / %d)", lo, hi)
	}
}

func imbalance(a, b int64) float64 {
	return float64(max(a-b, b-a)) / float64(max(a, b))
}
