package kinesisx

import (
	"context"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/kinesis"
)

// A tail is caught up only once a read said so: while the first GetRecords
// of a shard has not answered, the rates ticker and the flushes it causes
// must not report the shard caught up (they once saved an empty progress
// entry, 0 ms behind, that the next flush took for an answer).
func TestTailNotCaughtUpBeforeFirstAnswer(t *testing.T) {
	m := newMemStream(100)
	m.addShard("shardId-000000000000", "", "", true, 3)
	api := m.api()
	getRecords := api.GetRecordsFn
	release := make(chan struct{})
	api.GetRecordsFn = func(ctx context.Context, in *kinesis.GetRecordsInput) (*kinesis.GetRecordsOutput, error) {
		select {
		case <-release:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
		return getRecords(ctx, in)
	}
	c := newClient(api, WithWait((&waits{}).wait))
	tl, err := c.Tail(context.Background(), TailOptions{Stream: "s", From: StartPosition{Type: PositionTrimHorizon},
		FlushInterval: time.Millisecond, rateEvery: time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	defer tl.Close()
	// Nothing has answered: every batch now comes from a rates tick.
	for i := 0; i < 5; i++ {
		b := <-tl.Batches()
		if b.CaughtUp || len(b.Records) > 0 {
			t.Fatalf("batch %d before any GetRecords answered: CaughtUp=%v, %d records", i, b.CaughtUp, len(b.Records))
		}
	}
	close(release)
	got := 0
	for b := range tl.Batches() {
		got += len(b.Records)
		if b.CaughtUp && got != 3 {
			t.Fatalf("caught up after %d of 3 records", got)
		}
	}
	if err := tl.Err(); err != nil || got != 3 {
		t.Fatalf("%d records, err %v", got, err)
	}
}

// When Batches closes, Err already says why: a reader that sees the channel
// close and asks Err at once must not get nil after a fatal error (once the
// channel was closed first, and kinspect tail exited 0 after AccessDenied).
func TestTailErrVisibleWhenBatchesClose(t *testing.T) {
	tl := newTail(func() {})
	fatal := apiErr{"AccessDeniedException"}
	var atClose error
	tl.closeOut = func() {
		atClose = tl.Err()
		close(tl.out)
	}
	tl.end(fatal)
	if atClose != fatal {
		t.Fatalf("Err when Batches closed = %v, want %v", atClose, fatal)
	}
	if _, ok := <-tl.Batches(); ok || tl.Err() != fatal {
		t.Fatalf("after the end: Batches open %v, Err %v", ok, tl.Err())
	}
}
