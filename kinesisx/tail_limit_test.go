package kinesisx

import (
	"bytes"
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kinesis"
	"github.com/aws/aws-sdk-go-v2/service/kinesis/types"
)

// GetRecords asks for about one pacing step of the read budget in bytes
// (2 MiB/s × 200 ms), counted in records of the last answer's size: not for
// 10,000 records (up to 10 MiB) whatever their size. Every record still
// comes once, in order.
func TestTailPollingLimitSizedByBytes(t *testing.T) {
	const total = 3000
	m := newMemStream(maxLimit)
	m.addShard("shardId-000000000000", "", "", true, 0)
	id := "shardId-000000000000"
	for i := 1; i <= total; i++ {
		size := 2000 // then smaller records
		if i > 1000 {
			size = 100
		}
		data := append([]byte(fmt.Sprintf("%05d", i)), bytes.Repeat([]byte("x"), size-6)...) // +1 for the key
		m.records[id] = append(m.records[id], types.Record{SequenceNumber: aws.String(seqOf(id, i)), PartitionKey: aws.String("k"), Data: data,
			ApproximateArrivalTimestamp: aws.Time(time.Unix(1700000000, 0))})
	}
	m.shards[0].SequenceNumberRange.EndingSequenceNumber = aws.String(seqOf(id, total))
	api := m.api()
	getRecords := api.GetRecordsFn
	var mu sync.Mutex
	var limits []int32
	api.GetRecordsFn = func(ctx context.Context, in *kinesis.GetRecordsInput) (*kinesis.GetRecordsOutput, error) {
		mu.Lock()
		limits = append(limits, aws.ToInt32(in.Limit))
		mu.Unlock()
		out, err := getRecords(ctx, in)
		if err != nil || len(out.Records) <= int(aws.ToInt32(in.Limit)) {
			return out, err
		}
		// Honour Limit as Kinesis does: the rest comes next call.
		seq := aws.ToString(out.Records[aws.ToInt32(in.Limit)-1].SequenceNumber)
		out.Records = out.Records[:aws.ToInt32(in.Limit)]
		out.ChildShards = nil
		for i, r := range m.records[id] {
			if aws.ToString(r.SequenceNumber) == seq {
				out.NextShardIterator = aws.String(fmt.Sprintf("%s:%d", id, i+1))
			}
		}
		return out, nil
	}
	c := newClient(api, WithWait((&waits{}).wait))
	tl, err := c.Tail(context.Background(), TailOptions{Stream: "s", From: StartPosition{Type: PositionTrimHorizon}})
	if err != nil {
		t.Fatal(err)
	}
	defer tl.Close()
	recs, _ := drain(t, tl)
	if len(recs) != total {
		t.Fatalf("got %d records, want %d", len(recs), total)
	}
	for i, r := range recs {
		if want := fmt.Sprintf("%05d", i+1); string(r.Data[:5]) != want {
			t.Fatalf("record %d is %s, want %s", i, r.Data[:5], want)
		}
	}
	step := float64(readBytesPerSec) * defaultMinPollInterval.Seconds() // bytes one call should bring
	if limits[0] != int32(step/assumedRecordBytes) {
		t.Fatalf("first Limit %d, want %d (records of %d bytes assumed)", limits[0], int32(step/assumedRecordBytes), assumedRecordBytes)
	}
	if limits[1] != int32(step/2000) {
		t.Fatalf("Limit after records of 2,000 bytes: %d, want %d (limits %v)", limits[1], int32(step/2000), limits)
	}
	if last := limits[len(limits)-1]; last < int32(step/200) {
		t.Fatalf("Limit once records are 100 bytes: %d, want it grown toward %d (limits %v)", last, int32(step/100), limits)
	}
}
