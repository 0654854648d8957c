package ui

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/kinspect/kinspect/kinesisx"
	"github.com/kinspect/kinspect/kinesisx/calllog"
	"github.com/kinspect/kinspect/kinesisx/hotkeys"
	"github.com/kinspect/kinspect/kinesisx/latency"
	"github.com/kinspect/kinspect/metrics"
	"github.com/kinspect/kinspect/session"
	"github.com/kinspect/kinspect/ui/internal/uitest"
)

// benchFake is a latency lab that reports at once.
type benchFake struct{ stream string }

func (b *benchFake) RunLatency(_ context.Context, o latency.Options) (latency.Report, error) {
	b.stream = o.Stream
	return latency.Report{Stream: o.Stream, Sent: o.Records, Modes: []latency.ModeReport{
		{Mode: kinesisx.ModePolling, Seen: o.Records, LastArrival: 2500 * time.Millisecond},
		{Mode: kinesisx.ModeEFO, Seen: o.Records, LastArrival: 1900 * time.Millisecond},
	}}, nil
}

func typeCommand(d *driver, c string) {
	d.keys(":")
	for _, k := range uitest.Type(c) {
		d.send(k)
	}
	d.keys("enter")
}

func TestLogCommand(t *testing.T) {
	log := calllog.New(10)
	log.Add(calllog.Entry{Time: time.Now(), Service: "Kinesis", Operation: "PutRecord", Stream: "orders", Outcome: "ok", Mutation: true,
		Command: "aws kinesis put-record --stream-name orders --partition-key k --data aGk="})
	d := newDriver(t, Config{CallLog: log}, 120, 16)
	typeCommand(d, "log")
	s := d.screen()
	for _, want := range []string{"streams › command log", "1 calls", "! PutRecord", "$ aws kinesis put-record --stream-name orders"} {
		if !strings.Contains(s, want) {
			t.Errorf(":log lacks %q:\n%s", want, s)
		}
	}
	d.checkFits(120, 16)
	d2 := newDriver(t, Config{}, 120, 10)
	typeCommand(d2, "log")
	if s := d2.screen(); !strings.Contains(s, ":log: not available in this session") {
		t.Errorf("without a call log :log says so:\n%s", s)
	}
}

func TestBenchFromStreamScreen(t *testing.T) {
	b := &benchFake{}
	d := newDriver(t, Config{Stream: "orders", Bench: b}, 120, 30)
	d.keys("b")
	s := d.screen()
	if !strings.Contains(s, "orders › latency lab orders") || !strings.Contains(s, "this writes to the stream") {
		t.Fatalf("b should open the latency lab on orders:\n%s", s)
	}
	d.keys("y")
	s = d.screen()
	if b.stream != "orders" || !strings.Contains(s, "efo read the whole run 600ms sooner than polling") {
		t.Errorf("the report should show (ran on %q):\n%s", b.stream, s)
	}
	d.checkFits(120, 30)
	d.keys("esc")
	if len(d.a.stack) != 2 {
		t.Errorf("esc should go back to the stream, stack %d", len(d.a.stack))
	}
}

func TestBenchRefusedReadOnly(t *testing.T) {
	d := newDriver(t, Config{Stream: "orders", Bench: &benchFake{}, ReadOnly: true}, 120, 12)
	typeCommand(d, "bench")
	if s := d.screen(); !strings.Contains(s, "read-only mode refused it (started with --read-only)") || len(d.a.stack) != 2 {
		t.Errorf(":bench must be refused in read-only mode (stack %d):\n%s", len(d.a.stack), d.screen())
	}
	// A protected profile: the refusal says so.
	d = newDriver(t, Config{Stream: "orders", Bench: &benchFake{}, ReadOnly: true, ReadOnlyWhy: "profile prod is listed in KINSPECT_READ_ONLY_PROFILES"}, 160, 12)
	typeCommand(d, "bench")
	if s := d.screen(); !strings.Contains(s, "read-only mode refused it (profile prod is listed") {
		t.Errorf("the refusal should say why:\n%s", s)
	}
}

// TestTailFeedsTrafficAndLiveFill: a tail's batches reach, on the event
// loop, the session's hot-key analyser (which the split dialog and the
// panel read) and its live counts (the CloudWatch adapter's live fill).
func TestTailFeedsTrafficAndLiveFill(t *testing.T) {
	sess := session.New(nil, hotkeys.Options{})
	d := newDriver(t, Config{Stream: "orders", Session: sess}, 120, 24)
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
