package ui

import (
	"testing"
	"time"

	"github.com/kinspect/kinspect/kinesisx"
	"github.com/kinspect/kinspect/kinesisx/hotkeys"
	"github.com/kinspect/kinspect/metrics"
	"github.com/kinspect/kinspect/session"
)

// TestTailFeedsTrafficAndLiveFill: a tail's batches reach, on the event
// loop, the session's hot-key analyser (which the split dialog and the
// panel read) and its live counts (the CloudWatch adapter's live fill).
func TestTailFeedsTrafficAndLiveFill(t *testing.T) {
	sess := session.New(nil, hotkeys.Options{})
	d := newDriver(t, setup{Stream: "orders", Session: sess}, 120, 24)
	d.keys("t", "enter")
	s := d.k.streams[len(d.k.streams)-1]
	d.deliver(s, kinesisx.Batch{Records: []kinesisx.Record{{Stream: "orders", ShardID: "shardId-000000000000", PartitionKey: "customer-42", Data: []byte("x")}}})
	a, ok := sess.Traffic.Lookup("orders")
	if !ok {
		t.Fatal("the batch did not reach the analyser")
	}
	if st, ok := a.Shard("shardId-000000000000", 1); !ok || st.TopByBytes[0].Key != "customer-42" {
		t.Errorf("analysed %+v", st)
	}
	var r metrics.Report
	if sess.Live.Nowcast("orders", &r, nil, time.Now(), time.Minute).IsZero() {
		t.Error("the batch did not reach the live fill")
	}
}
