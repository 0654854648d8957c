package find

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/kinspect/kinspect/kinesisx"
	kfind "github.com/kinspect/kinspect/kinesisx/find"
	"github.com/kinspect/kinspect/ui/internal/uitest"
	"github.com/kinspect/kinspect/ui/screen"
	"github.com/kinspect/kinspect/ui/theme"
)

var now = time.Date(2026, 12, 5, 10, 0, 0, 0, time.UTC)

type clock struct{ t time.Time }

func (c *clock) Now() time.Time { return c.t }
func (c *clock) Tick(time.Duration, func(time.Time) tea.Msg) tea.Cmd {
	return nil
}

// fakeFinder records the request and hands back a channel the test feeds.
type fakeFinder struct {
	req     Request
	ctx     context.Context
	reports chan kfind.Report
	err     error
}

func (f *fakeFinder) Find(ctx context.Context, req Request) (<-chan kfind.Report, error) {
	f.req, f.ctx = req, ctx
	if f.err != nil {
		return nil, f.err
	}
	return f.reports, nil
}

func newScreen(t *testing.T, f Finder, w, h int, args ...string) *Model {
	t.Helper()
	st := theme.New(theme.Plain())
	m := New(context.Background(), 4, screen.Common{Styles: &st, Clock: &clock{now}}, "orders", args, Deps{Finder: f})
	m.SetSize(w, h)
	return m
}

// deliver runs cmd (a Cmd that waits for the next report) and feeds the
// message back, returning the Cmd that follows.
func deliver(t *testing.T, m *Model, cmd tea.Cmd) tea.Cmd {
	t.Helper()
	if cmd == nil {
		t.Fatal("no Cmd waits for the next report")
	}
	return m.Update(cmd())
}

func match(shard string, n int, key string) kfind.Line {
	return kfind.Line{Match: true, Record: kinesisx.Record{
		ShardID: shard, SequenceNumber: fmt.Sprintf("4965%052d", n), PartitionKey: key,
		Data: []byte(fmt.Sprintf(`{"n":%d}`, n)), ArrivedAt: now.Add(-time.Duration(100-n) * time.Second),
	}}
}

func TestFindScreenListsMatchesAsTheyComeAndOpensTheTail(t *testing.T) {
	f := &fakeFinder{reports: make(chan kfind.Report, 4)}
	m := newScreen(t, f, 120, 30, "key:user-7", "since:-1h")
	cmd := m.Init()
	if f.ctx != nil {
		t.Fatal("the search must start in a Cmd, not in Init")
	}
	cmd = deliver(t, m, cmd) // started
	if f.req.Stream != "orders" || f.req.Query.Key != "user-7" || !f.req.Query.From.Equal(now.Add(-time.Hour)) ||
		!f.req.Query.Until.Equal(now) || f.req.Query.Max != DefaultMax || f.req.From.Type != kinesisx.PositionAtTimestamp {
		t.Fatalf("request %+v", f.req)
	}
	if !strings.Contains(m.View(), "scanning 09:00:00–10:00:00 UTC") {
		t.Errorf("no progress line:\n%s", m.View())
	}

	shards := []kfind.ShardState{
		{ID: "shardId-000000000000", Scanned: 60_000, Reached: now.Add(-time.Minute), MillisBehindLatest: 90_000},
		{ID: "shardId-000000000001", Scanned: 40_000, Reached: now, Done: true},
	}
	f.reports <- kfind.Report{Lines: []kfind.Line{match("shardId-000000000001", 1, "user-7"), {Record: kinesisx.Record{ShardID: "x"}}}, Scanned: 100_000, Matches: 1, Position: now.Add(-time.Minute), Shards: shards}
	cmd = deliver(t, m, cmd)
	v := ansi.Strip(m.View())
	for _, want := range []string{"100,000 records · 1 match(es)", "at 09:59:00", "shard 0      60,000 records · at 09:59:00 · reading, 1m30s behind the tip", "shard 1      40,000 records · at 10:00:00 · done", "user-7", `{"n":1}`} {
		if !strings.Contains(v, want) {
			t.Errorf("screen lacks %q:\n%s", want, v)
		}
	}
	if len(m.Matches()) != 1 {
		t.Fatalf("a context line counted as a match: %d", len(m.Matches()))
	}
	f.reports <- kfind.Report{Lines: []kfind.Line{match("shardId-000000000000", 2, "user-7")}, Scanned: 120_000, Matches: 2, Shards: shards, Done: true, Final: true}
	if cmd = deliver(t, m, cmd); cmd != nil {
		t.Error("a final report should not wait for more")
	}
	if v := ansi.Strip(m.View()); !strings.Contains(v, "done: 09:00:00–10:00:00 UTC · 120,000 records · 2 match(es)") {
		t.Errorf("no done line:\n%s", v)
	}
	if m.KeyMap().ShortHelp()[len(m.KeyMap().ShortHelp())-1].Help().Key == "s" {
		t.Error("stop is offered after the search ended")
	}

	m.Update(uitest.Key("j"))
	open, ok := uitest.Find[screen.OpenTailMsg](uitest.Msgs(m.Update(uitest.Key("enter"))))
	want := match("shardId-000000000000", 2, "").Record.SequenceNumber
	if !ok || open.Stream != "orders" || len(open.Shards) != 1 || open.Shards[0] != "shardId-000000000000" || open.From != "at:"+want || open.Focus != want {
		t.Fatalf("enter sent %+v, want the tail of shard 0 at %s", open, want)
	}
}

func TestFindScreenStopsAndCloseCancels(t *testing.T) {
	f := &fakeFinder{reports: make(chan kfind.Report, 1)}
	m := newScreen(t, f, 80, 24, "data:ERROR")
	cmd := deliver(t, m, m.Init())
	f.reports <- kfind.Report{Scanned: 10, Position: now.Add(-5 * time.Minute)}
	cmd = deliver(t, m, cmd)
	m.Update(uitest.Key("s"))
	if f.ctx.Err() == nil {
		t.Fatal("s should cancel the search")
	}
	if v := ansi.Strip(m.View()); !strings.Contains(v, "stopped at 09:55:00 UTC · 10 records") {
		t.Errorf("no stopped line:\n%s", v)
	}
	// The search's later reports (and the closed channel) are dropped.
	f.reports <- kfind.Report{Scanned: 99, Final: true, Done: true}
	m.Update(cmd())
	if v := ansi.Strip(m.View()); !strings.Contains(v, "stopped at") || strings.Contains(v, "99 records") {
		t.Errorf("a report after the stop changed the screen:\n%s", v)
	}

	f2 := &fakeFinder{reports: make(chan kfind.Report)}
	m2 := newScreen(t, f2, 80, 24, "key:k")
	deliver(t, m2, m2.Init())
	m2.Close()
	if f2.ctx.Err() == nil {
		t.Fatal("closing the screen should cancel the search")
	}
}

func TestFindScreenBadInputAndFailures(t *testing.T) {
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"since:-1h"}, "find: say what to look for"},
		{[]string{"color:red"}, `find: unknown word "color:"`},
		{[]string{"key"}, `find: "key": want word:value`},
		{[]string{"key:k", "since:latest"}, "find: since latest: want trim-horizon"},
		{[]string{"data:("}, "find: data: error parsing regexp"},
		{[]string{"key:k", "since:-5m", "until:-10m"}, "find: until -10m is not after since -5m"},
		{[]string{"key:k", "max:-1"}, "find: max:-1: want a number"},
		{[]string{`data:"unterminated`}, "find: data: the quoted value does not end"},
	} {
		f := &fakeFinder{}
		m := newScreen(t, f, 80, 24, tt.args...)
		msgs := uitest.Msgs(m.Init())
		e, ok := uitest.Find[screen.ErrorMsg](msgs)
		if !ok || !strings.HasPrefix(e.Err.Error(), tt.want) || strings.Contains(e.Err.Error(), "\n") {
			t.Errorf("%q: status %v, want one line starting %q", tt.args, e.Err, tt.want)
		}
		if f.ctx != nil {
			t.Errorf("%q: a search started on bad input", tt.args)
		}
		if !strings.Contains(ansi.Strip(m.View()), tt.want) {
			t.Errorf("%q: the screen does not say %q:\n%s", tt.args, tt.want, m.View())
		}
	}

	f := &fakeFinder{err: errors.New("ResourceNotFoundException: stream orders not found")}
	m := newScreen(t, f, 80, 24, "key:k")
	if e, ok := uitest.Find[screen.ErrorMsg](uitest.Msgs(m.Update(m.Init()()))); !ok || !strings.Contains(e.Err.Error(), "not found") {
		t.Errorf("a search that cannot start: %v", e.Err)
	}
	f = &fakeFinder{reports: make(chan kfind.Report, 1)}
	m = newScreen(t, f, 80, 24, "key:k")
	cmd := deliver(t, m, m.Init())
	f.reports <- kfind.Report{Final: true, Err: errors.New("ExpiredIteratorException")}
	if e, ok := uitest.Find[screen.ErrorMsg](uitest.Msgs(deliver(t, m, cmd))); !ok || !strings.Contains(e.Err.Error(), "ExpiredIterator") {
		t.Errorf("a search that failed: %v", e.Err)
	}
}

func TestFindArgsQuotesAndCommandRoundTrip(t *testing.T) {
	a, err := ParseArgs([]string{`data:"level=ERROR`, `disk\"full"`, "seq:123", "shard:shardId-000000000001", "shard:s2", "from:trim-horizon", "until:2026-12-05T09:00:00Z", "max:0"})
	if err != nil {
		t.Fatal(err)
	}
	if a.Spec.Grep != `level=ERROR disk"full` || a.Spec.Seq != "123" || a.Spec.From != "trim-horizon" || a.Spec.Until != "2026-12-05T09:00:00Z" ||
		a.Spec.Max != 0 || len(a.Shards) != 2 {
		t.Fatalf("parsed %+v", a)
	}
	line := Command(a.Spec, a.Shards)
	back, err := ParseArgs(strings.Fields(strings.TrimPrefix(line, "find ")))
	if err != nil || back.Spec.Grep != a.Spec.Grep || back.Spec.From != a.Spec.From || len(back.Shards) != 2 {
		t.Fatalf("%q read back as %+v, %v", line, back, err)
	}
}

func TestFindScreenFitsNarrowAndManyShards(t *testing.T) {
	f := &fakeFinder{reports: make(chan kfind.Report, 1)}
	m := newScreen(t, f, 80, 24, "key:user-7")
	cmd := deliver(t, m, m.Init())
	var shards []kfind.ShardState
	for i := range 40 {
		shards = append(shards, kfind.ShardState{ID: fmt.Sprintf("shardId-%012d", i), Scanned: i, Reached: now.Add(-time.Duration(i) * time.Second), Done: i%2 == 0})
	}
	var lines []kfind.Line
	for i := range 30 {
		lines = append(lines, match("shardId-000000000003", i, "user-7"))
	}
	f.reports <- kfind.Report{Lines: lines, Shards: shards}
	deliver(t, m, cmd)
	v := m.View()
	rows := strings.Split(v, "\n")
	if len(rows) != 24 {
		t.Fatalf("%d lines, want 24:\n%s", len(rows), v)
	}
	for i, l := range rows {
		if w := ansi.StringWidth(l); w > 80 {
			t.Errorf("line %d is %d cells: %q", i, w, l)
		}
	}
	plain := ansi.Strip(v)
	// The slowest shards still reading come first; the rest are counted.
	if !strings.Contains(plain, "shard 39         39 records · at 09:59:21 · reading ") || !strings.Contains(plain, "… 35 more shard(s); 20 of 40 done") {
		t.Errorf("shard lines:\n%s", plain)
	}
	if !strings.Contains(plain, "match 1 of 30") {
		t.Errorf("no detail pane:\n%s", plain)
	}
}

func typeIn(m *Model, s string) {
	for _, k := range uitest.Type(s) {
		m.Update(k)
	}
}

// TestFindScreenAsksForWordsAndEdits: without words (F on the stream
// screen) the screen asks for them and keeps bad ones to fix; e edits the
// search and starts it afresh, stopping the one that ran.
func TestFindScreenAsksForWordsAndEdits(t *testing.T) {
	f := &fakeFinder{reports: make(chan kfind.Report, 1)}
	m := newScreen(t, f, 80, 24)
	m.Init()
	if !m.Capturing() {
		t.Fatal("without words the screen should ask for them")
	}
	typeIn(m, "key:k since:bogus")
	m.Update(uitest.Key("enter"))
	if v := ansi.Strip(m.View()); !m.Capturing() || f.ctx != nil || !strings.Contains(v, "find: since bogus: want trim-horizon, an RFC 3339 time") || !strings.Contains(v, "find key:k since:bogus") {
		t.Fatalf("bad words should stay in the input with the error under it:\n%s", v)
	}
	if _, ok := uitest.Find[screen.BackMsg](uitest.Msgs(m.Update(uitest.Key("esc")))); !ok {
		t.Fatal("esc before any search should leave the screen")
	}

	m = newScreen(t, f, 80, 24)
	m.Init()
	typeIn(m, "key:k")
	cmd := deliver(t, m, m.Update(uitest.Key("enter")))
	if m.Capturing() || f.req.Query.Key != "k" {
		t.Fatalf("enter should start the search: capturing %v, request %+v", m.Capturing(), f.req)
	}
	first := f.ctx
	f.reports <- kfind.Report{Lines: []kfind.Line{match("shardId-000000000000", 1, "k")}, Scanned: 5}
	deliver(t, m, cmd)
	m.Update(uitest.Key("e"))
	if !m.Capturing() || m.input.Value() != "key:k" {
		t.Fatalf("e should edit the search's words: %q", m.input.Value())
	}
	typeIn(m, " data:ERR max:5")
	deliver(t, m, m.Update(uitest.Key("enter")))
	if first.Err() == nil {
		t.Error("a new search should stop the one that ran")
	}
	if q := f.req.Query; q.Key != "k" || q.Pattern == nil || q.Pattern.String() != "ERR" || q.Max != 5 || len(m.Matches()) != 0 {
		t.Fatalf("the edited search: %+v, %d matches kept", q, len(m.Matches()))
	}
	m.Update(uitest.Key("e"))
	if m.input.Value() != "key:k data:ERR max:5" {
		t.Errorf("the words read back as %q", m.input.Value())
	}
	m.Update(uitest.Key("esc"))
	if m.Capturing() {
		t.Error("esc should leave the input and keep the search")
	}
}
