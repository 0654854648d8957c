package ui

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/kinspect/kinspect/kinesisx"
	"github.com/kinspect/kinspect/kinesisx/calllog"
	"github.com/kinspect/kinspect/kinesisx/latency"
	"github.com/kinspect/kinspect/ui/internal/uitest"
	"github.com/kinspect/kinspect/ui/screen"
)

// trail is the breadcrumb trail of the stack.
func trail(d *driver) string { return strings.Join(d.a.crumbs(), " › ") }

// typing types s on the command line without running it.
func typing(d *driver, s string) {
	d.keys(":")
	for _, k := range uitest.Type(s) {
		d.send(k)
	}
}

// TestCommandArguments: the first word of a stream's command names the
// stream (else the one on screen), the rest go to the constructor (a
// tail's shards).
func TestCommandArguments(t *testing.T) {
	d := newDriver(t, setup{Consumers: fakeWriter{}, Report: &fakeMonitor{}}, 120, 20)
	typeCommand(d, "consumers zeta")
	if got := trail(d); got != "streams › zeta › consumers" || !strings.Contains(d.screen(), "kinspect-x-1") {
		t.Errorf(":consumers zeta: %q\n%s", got, d.screen())
	}
	typeCommand(d, "tail orders shardId-000000000001")
	if s := d.screen(); trail(d) != "streams › orders › tail shardId-000000000001" || !strings.Contains(s, "Start a tail of orders: shardId-000000000001") {
		t.Errorf(":tail orders SHARD: %q\n%s", trail(d), s)
	}
	typeCommand(d, "metrics")
	if got := trail(d); got != "streams › orders › metrics" {
		t.Errorf(":metrics opens on the stream on screen: %q", got)
	}
	typeCommand(d, "stream zeta")
	if got := trail(d); got != "streams › zeta" {
		t.Errorf(":stream zeta: %q", got)
	}
	typeCommand(d, "shards")
	if got := trail(d); got != "streams › zeta" {
		t.Errorf(":shards on zeta stays: %q", got)
	}
	// From the streams list, the selected stream.
	typeCommand(d, "streams")
	typeCommand(d, "consumers")
	if got := trail(d); got != "streams › orders › consumers" {
		t.Errorf(":consumers from the list opens the selected stream: %q", got)
	}
}

// TestCommandSwitchesView: a command replaces the screens above its
// stream's screen instead of stacking breadcrumbs; a command naming
// another stream, or no stream, starts again from the streams list.
func TestCommandSwitchesView(t *testing.T) {
	d := newDriver(t, setup{Stream: "orders", Consumers: fakeWriter{}}, 120, 20)
	d.keys("t", "enter") // a running tail of orders
	if trail(d) != "streams › orders › tail orders" || d.k.allClosed() {
		t.Fatalf("setup: %q", trail(d))
	}
	tailID := d.a.stack[1].Model
	typeCommand(d, "consumers")
	if got := trail(d); got != "streams › orders › consumers" || !d.k.allClosed() {
		t.Errorf(":consumers from the tail replaces it (tail closed %v): %q", d.k.allClosed(), got)
	}
	if d.a.stack[1].Model != tailID {
		t.Error("the stream screen below stays as it was")
	}
	typeCommand(d, "tail")
	typeCommand(d, "tail")
	if got := trail(d); got != "streams › orders › tail orders" {
		t.Errorf(":tail twice: %q", got)
	}
	typeCommand(d, "consumers zeta")
	if got := trail(d); got != "streams › zeta › consumers" {
		t.Errorf(":consumers zeta from orders: %q", got)
	}
	d.keys("esc")
	if got := trail(d); got != "streams › zeta" {
		t.Errorf("esc goes back to the stream of the command: %q", got)
	}
	typeCommand(d, "log")
	if got := trail(d); got != "streams › zeta" || !strings.Contains(d.screen(), ":log: not available in this session") {
		t.Errorf(":log without a call log changes nothing and says why: %q\n%s", got, d.screen())
	}
	d.a.conn.Screens.Add("log", fixed(false, func(context.Context, int, screen.Common, screen.Args) screen.Model {
		return &stubScreen{title: "command log"}
	}))
	typeCommand(d, "log")
	if got := trail(d); got != "streams › command log" {
		t.Errorf(":log opens right above the streams list: %q", got)
	}
	typeCommand(d, "bogus orders")
	if s := d.screen(); !strings.Contains(s, "unknown command :bogus") {
		t.Errorf("an unknown command says so:\n%s", s)
	}
}

// TestCommandCompletion: tab completes command names, then stream names
// (listed when the command line opens, in a Cmd) and profiles; several
// matches complete as far as they agree and are listed.
func TestCommandCompletion(t *testing.T) {
	d := newDriver(t, setup{Profiles: func() ([]string, error) { return []string{"default", "dev", "prod-eu"}, nil },
		Connect: fakeConnect(nil), Consumers: fakeWriter{}}, 120, 20)
	typing(d, "con")
	d.keys("tab")
	if v := d.a.cmdline.Value(); v != "consumers " {
		t.Errorf("command name: %q", v)
	}
	d.keys("tab")
	if v, s := d.a.cmdline.Value(), d.screen(); v != "consumers " || !strings.Contains(s, "orders  zeta") {
		t.Errorf("every stream is listed: %q\n%s", v, s)
	}
	for _, k := range uitest.Type("z") {
		d.send(k)
	}
	d.keys("tab")
	if v := d.a.cmdline.Value(); v != "consumers zeta " {
		t.Errorf("stream name: %q", v)
	}
	d.keys("esc")
	typing(d, "s")
	d.keys("tab")
	if s := d.screen(); d.a.cmdline.Value() != "s" || !strings.Contains(s, "streams  shards  stream") {
		t.Errorf("s: %q\n%s", d.a.cmdline.Value(), s)
	}
	d.keys("esc")
	typing(d, "profile p")
	d.keys("tab")
	if v := d.a.cmdline.Value(); v != "profile prod-eu " {
		t.Errorf("profile: %q", v)
	}
	d.keys("esc")
	typing(d, "log x")
	d.keys("tab")
	if v := d.a.cmdline.Value(); v != "log x" {
		t.Errorf(":log takes no stream: %q", v)
	}
}

// TestCompletionSaysWhyNoStreams: a failed listing is said on tab.
func TestCompletionSaysWhyNoStreams(t *testing.T) {
	d := newDriver(t, setup{}, 120, 20)
	d.a.conn.Streams = failingLister{}
	typing(d, "tail o")
	d.keys("tab")
	if s := d.screen(); !strings.Contains(s, "list streams: access denied") {
		t.Errorf("want the listing's error:\n%s", s)
	}
}

type failingLister struct{}

func (failingLister) ListStreams(context.Context) ([]kinesisx.StreamSummary, error) {
	return nil, errors.New("access denied")
}

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
	d := newDriver(t, setup{CallLog: log}, 120, 16)
	typeCommand(d, "log")
	s := d.screen()
	for _, want := range []string{"streams › command log", "1 calls", "! PutRecord", "$ aws kinesis put-record --stream-name orders"} {
		if !strings.Contains(s, want) {
			t.Errorf(":log lacks %q:\n%s", want, s)
		}
	}
	d.checkFits(120, 16)
	d2 := newDriver(t, setup{}, 120, 10)
	typeCommand(d2, "log")
	if s := d2.screen(); !strings.Contains(s, ":log: not available in this session") {
		t.Errorf("without a call log :log says so:\n%s", s)
	}
}

func TestBenchFromStreamScreen(t *testing.T) {
	b := &benchFake{}
	d := newDriver(t, setup{Stream: "orders", Bench: b}, 120, 30)
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
	d := newDriver(t, setup{Stream: "orders", Bench: &benchFake{}, ReadOnly: true}, 120, 12)
	typeCommand(d, "bench")
	if s := d.screen(); !strings.Contains(s, "read-only mode refused it (started with --read-only)") || len(d.a.stack) != 2 {
		t.Errorf(":bench must be refused in read-only mode (stack %d):\n%s", len(d.a.stack), d.screen())
	}
	// A protected profile: the refusal says so.
	d = newDriver(t, setup{Stream: "orders", Bench: &benchFake{}, ReadOnly: true, ReadOnlyWhy: "profile prod is listed in KINSPECT_READ_ONLY_PROFILES"}, 160, 12)
	typeCommand(d, "bench")
	if s := d.screen(); !strings.Contains(s, "read-only mode refused it (profile prod is listed") {
		t.Errorf("the refusal should say why:\n%s", s)
	}
}
