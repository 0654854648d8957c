package ui

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/kinspect/kinspect/kinesisx"
	"github.com/kinspect/kinspect/ui/shards"
)

// observingMetrics is a metrics source that takes live batches, like the
// CloudWatch adapter.
type observingMetrics struct {
	mu  sync.Mutex
	got int
}

func (o *observingMetrics) StreamMetrics(context.Context, string) (shards.StreamMetric, error) {
	return shards.StreamMetric{}, nil
}

func (o *observingMetrics) Observe(_ string, b kinesisx.Batch) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.got += len(b.Records)
}

// TestTailFeedsTrafficAndLiveFill: a tail's batches reach the hot-key
// analyser (which the split dialog and the panel read) and the metrics
// source's live fill.
func TestTailFeedsTrafficAndLiveFill(t *testing.T) {
	om := &observingMetrics{}
	d := newDriver(t, setup{Stream: "orders", Metrics: om, Feed: om.Observe}, 120, 24)
	d.keys("t", "enter")
	s := d.k.streams[len(d.k.streams)-1]
	b := kinesisx.Batch{Records: []kinesisx.Record{{Stream: "orders", ShardID: "shardId-000000000000", PartitionKey: "customer-42", Data: []byte("x")}}}
	go func() { s.ch <- b }()
	deadline := time.Now().Add(2 * time.Second)
	for {
		// The driver abandoned the tail's wait Cmd, which goes on waiting:
		// it feeds the batch to both sinks, off the event loop.
		om.mu.Lock()
		got := om.got
		om.mu.Unlock()
		a, ok := d.a.conn.Traffic.Lookup("orders")
		if got == 1 && ok {
			if st, ok := a.Shard("shardId-000000000000", 1); ok && st.TopByBytes[0].Key == "customer-42" {
				return
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("the batch did not reach the live fill (%d records) and the analyser", got)
		}
		time.Sleep(10 * time.Millisecond)
	}
}
