package cmdlog

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/golden"

	"github.com/kinspect/kinspect/kinesisx/calllog"
	"github.com/kinspect/kinspect/ui/internal/uitest"
	"github.com/kinspect/kinspect/ui/screen"
	"github.com/kinspect/kinspect/ui/theme"
)

var t0 = time.Date(2026, 11, 26, 8, 21, 9, 529_000_000, time.UTC)

func entries() []calllog.Entry {
	return []calllog.Entry{
		{Time: t0, Service: "Kinesis", Operation: "ListShards", Stream: "orders", Latency: 1200 * time.Microsecond, Attempts: 1, Outcome: "ok"},
		{Time: t0.Add(time.Second), Service: "Kinesis", Operation: "GetRecords", Stream: "orders", Shard: "shardId-000000000003", Latency: 300 * time.Microsecond,
			Attempts: 3, Outcome: "ProvisionedThroughputExceededException", Message: "Rate exceeded for shard"},
		{Time: t0.Add(2 * time.Second), Service: "Kinesis", Operation: "SplitShard", Stream: "orders", Shard: "shardId-000000000000", Latency: 12 * time.Millisecond,
			Attempts: 1, Outcome: "ok", Mutation: true,
			Command: "aws kinesis split-shard --stream-name orders --shard-to-split shardId-000000000000 --new-starting-hash-key 85070591730234615865843651857942052864"},
		{Time: t0.Add(3 * time.Second), Service: "CloudWatch", Operation: "GetMetricData", Latency: 40 * time.Millisecond, Attempts: 1, Outcome: "ok"},
		{Time: t0.Add(4 * time.Second), Service: "Kinesis", Operation: "DeregisterStreamConsumer", Consumer: "arn:aws:kinesis:us-east-1:1:stream/orders/consumer/kinspect-h-1:17",
			Latency: 2 * time.Millisecond, Attempts: 1, Outcome: "ok", Mutation: true,
			Command: "aws kinesis deregister-stream-consumer --consumer-arn arn:aws:kinesis:us-east-1:1:stream/orders/consumer/kinspect-h-1:17"},
	}
}

// TestRowsGolden renders the columns at two widths.
func TestRowsGolden(t *testing.T) {
	st := theme.New(theme.Plain())
	var b strings.Builder
	for _, w := range []int{80, 140} {
		c := columns(w)
		b.WriteString(ansi.Strip(st.Header.Render(c.Header(w))) + "|\n")
		for _, e := range entries() {
			line := c.Line(cells(st, c, e), w)
			if lw := ansi.StringWidth(line); lw != w {
				t.Errorf("width %d: row of %d cells", w, lw)
			}
			b.WriteString(ansi.Strip(line) + "|\n")
		}
	}
	golden.RequireEqual(t, b.String())
}

func newScreen(t *testing.T, log *calllog.Log, w, h int) *Model {
	t.Helper()
	st := theme.New(theme.Plain())
	m := New(context.Background(), 1, screen.Common{Styles: &st}, log)
	m.SetSize(w, h)
	return m
}

func TestPollsAndFollows(t *testing.T) {
	log := calllog.New(100)
	for _, e := range entries()[:2] {
		log.Add(e)
	}
	m := newScreen(t, log, 120, 16)
	msgs := uitest.Msgs(m.Start())
	if len(msgs) != 1 {
		t.Fatalf("Start should poll at once: %v", msgs)
	}
	if next := m.Update(msgs[0]); next == nil {
		t.Fatal("a poll should arm the next one")
	}
	out := ansi.Strip(m.View())
	for _, want := range []string{"command log  2 calls · following", "ListShards", "GetRecords", "orders #3", "0.3ms×3", "ProvisionedThroughp"} {
		if !strings.Contains(out, want) {
			t.Errorf("view lacks %q:\n%s", want, out)
		}
	}
	// The newest call is selected: its error is in the detail pane.
	if !strings.Contains(out, "ProvisionedThroughputExceededException: Rate exceeded for shard") {
		t.Errorf("detail lacks the error:\n%s", out)
	}
	// Newer calls arrive on the next poll; the screen asks only for them.
	for _, e := range entries()[2:] {
		log.Add(e)
	}
	if got := log.Since(m.last); len(got) != 3 {
		t.Fatalf("the screen should have seen 2 calls, then 3 are new: %d", len(got))
	}
	m.Update(polledMsg{Tag: m.CurTag(screen.KindRefresh), entries: log.Since(m.last)})
	out = ansi.Strip(m.View())
	if !strings.Contains(out, "5 calls") || !strings.Contains(out, "! DeregisterStreamConsumer") ||
		!strings.Contains(out, "$ aws kinesis deregister-stream-consumer --consumer-arn") {
		t.Errorf("new calls and the mutation's command should show:\n%s", out)
	}
	// Scrolling up stops following; the split's command shows in full.
	m.Update(uitest.Key("k"))
	m.Update(uitest.Key("k"))
	out = ansi.Strip(m.View())
	if strings.Contains(out, "following") || !strings.Contains(out, "--new-starting-hash-key 85070591730") || !strings.Contains(out, "\n234615865843651857942052864") {
		t.Errorf("the selected split's command should show in full:\n%s", out)
	}
	// Errors only.
	m.Update(uitest.Key("e"))
	if out := ansi.Strip(m.View()); strings.Contains(out, "ListShards") || !strings.Contains(out, "1 errors shown") {
		t.Errorf("e should keep the failed calls:\n%s", out)
	}
	// A stopped screen's poll is dropped and not re-armed.
	old := m.CurTag(screen.KindRefresh)
	m.Stop()
	if cmd := m.Update(polledMsg{Tag: old}); cmd != nil {
		t.Error("a poll of a stopped screen must not re-arm")
	}
	for _, l := range strings.Split(m.View(), "\n") {
		if w := ansi.StringWidth(l); w > 120 {
			t.Errorf("line of %d cells", w)
		}
	}
}

func TestKeepBounds(t *testing.T) {
	m := newScreen(t, calllog.New(10), 80, 20)
	var es []calllog.Entry
	for i := range Keep + 5 {
		es = append(es, calllog.Entry{Seq: uint64(i + 1), Service: "Kinesis", Operation: fmt.Sprint("Op", i), Outcome: "ok"})
	}
	m.add(es)
	if len(m.all) != Keep || m.dropped != 5 || m.all[0].Seq != 6 {
		t.Errorf("kept %d, dropped %d, first %d", len(m.all), m.dropped, m.all[0].Seq)
	}
	m.add(es[:3]) // already seen: ignored
	if len(m.all) != Keep {
		t.Error("entries already seen must not come back")
	}
	if !strings.Contains(ansi.Strip(m.View()), "5 older gave way") {
		t.Error("the title should say how many gave way")
	}
}

// TestEmptyLogFitsNarrowScreen: the "no API call yet" line is clipped to
// the width like every other line.
func TestEmptyLogFitsNarrowScreen(t *testing.T) {
	m := newScreen(t, calllog.New(10), 10, 8)
	for _, l := range strings.Split(m.View(), "\n") {
		if w := ansi.StringWidth(l); w > 10 {
			t.Errorf("line of %d cells on a 10-cell screen: %q", w, l)
		}
	}
}
