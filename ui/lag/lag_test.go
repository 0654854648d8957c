package lag

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	klag "github.com/kinspect/kinspect/kinesisx/lag"
	"github.com/kinspect/kinspect/ui/internal/uitest"
	"github.com/kinspect/kinspect/ui/screen"
	"github.com/kinspect/kinspect/ui/theme"
)

var now = time.Date(2026, 12, 5, 12, 0, 0, 0, time.UTC)

// fakeSource answers every read with the report and error it holds.
type fakeSource struct {
	mu     sync.Mutex
	report klag.Report
	err    error
	reads  int
}

func (f *fakeSource) Lag(_ context.Context, stream string) (klag.Report, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.reads++
	if stream != f.report.Stream && f.report.Stream != "" {
		return klag.Report{}, fmt.Errorf("unknown stream %s", stream)
	}
	return f.report, f.err
}

type fixedClock struct{}

func (fixedClock) Now() time.Time { return now }
func (fixedClock) Tick(time.Duration, func(time.Time) tea.Msg) tea.Cmd {
	return func() tea.Msg { return nil }
}

func ms(v int64) *int64 { return &v }

// shard is a leased shard v ms behind whose oldest unread record is age old.
func shard(id, owner string, v int64, age time.Duration) klag.ShardLag {
	return klag.ShardLag{ShardID: id, Open: true, Listed: true, Leased: true, Owner: owner, LeaseCounter: 7,
		Checkpoint: "49650000000000000000000000000000000000000000000000000123", State: klag.StateOK,
		MillisBehindLatest: ms(v), BehindRecords: ms(min(v/10, 10000)), CheckpointAge: age}
}

func billing(slowBehind int64, slowAge time.Duration) klag.Report {
	return klag.Report{Stream: "orders", Retention: 24 * time.Hour, Applications: []klag.Application{{
		Name: "orders-billing", Kind: klag.KindKCL, Table: "orders-billing", Workers: map[string]int{"worker-a": 2, "worker-b": 2},
		Shards: []klag.ShardLag{
			shard("shardId-000000000000", "worker-a", 200, 200*time.Millisecond),
			shard("shardId-000000000001", "worker-b", slowBehind, slowAge),
			shard("shardId-000000000002", "worker-a", 150, 150*time.Millisecond),
			shard("shardId-000000000003", "worker-b", 0, 0),
		},
	}}}
}

func newScreen(t *testing.T, src Source, w, h int, args ...string) (*Model, theme.Styles) {
	t.Helper()
	st := theme.New(theme.Dark())
	m := New(context.Background(), 5, screen.Common{Styles: &st, Clock: fixedClock{}}, "orders", args, Deps{Source: src})
	m.SetSize(w, h)
	for _, msg := range uitest.Msgs(m.Init()) {
		m.Update(msg)
	}
	return m, st
}

// rowOf returns the screen line that holds s.
func rowOf(t *testing.T, view, s string) string {
	t.Helper()
	for _, l := range strings.Split(view, "\n") {
		if strings.Contains(ansi.Strip(l), s) {
			return l
		}
	}
	t.Fatalf("no line with %q:\n%s", s, ansi.Strip(view))
	return ""
}

func TestLaggardHighlighted(t *testing.T) {
	for _, w := range []int{120, 80} {
		t.Run(fmt.Sprint(w), func(t *testing.T) {
			m, st := newScreen(t, &fakeSource{report: billing(31000, 31*time.Second)}, w, 24)
			v := m.View()
			plain := ansi.Strip(v)
			for _, want := range []string{"orders  retention 24h · 1 application · read 12:00:00, every 5s",
				"KCL orders-billing · laggard 1 31s behind · oldest unread 31s, trimmed in 23h59",
				"SHARD", "BEHIND", "RECORDS", "LEFT", "OWNER"} {
				if !strings.Contains(plain, want) {
					t.Errorf("view lacks %q:\n%s", want, plain)
				}
			}
			slow := rowOf(t, v, "shardId-000000000001")
			if !strings.HasPrefix(ansi.Strip(slow), laggardMark+" shardId-000000000001") {
				t.Errorf("the laggard is not marked: %q", ansi.Strip(slow))
			}
			if !strings.Contains(slow, st.Fast.Warn.Paint("31s")) || !strings.Contains(slow, st.Fast.Warn.Paint("3,100")) {
				t.Errorf("the laggard's lag is not in the warn ink: %q", slow)
			}
			fast := rowOf(t, v, "shardId-000000000000")
			if strings.Contains(ansi.Strip(fast), laggardMark) || strings.Contains(fast, st.Fast.Warn.Paint("200ms")) {
				t.Errorf("a caught-up shard is highlighted: %q", fast)
			}
			for i, l := range strings.Split(v, "\n") {
				if ansi.StringWidth(l) > w {
					t.Errorf("line %d is %d wide", i, ansi.StringWidth(l))
				}
			}
		})
	}
}

// TestEvenLagNotHighlighted: every shard 12 s behind is an application
// keeping a steady pace, not a laggard; a minute behind is highlighted
// whatever the others do.
func TestEvenLagNotHighlighted(t *testing.T) {
	rep := billing(12000, 12*time.Second)
	for i := range rep.Applications[0].Shards {
		rep.Applications[0].Shards[i].MillisBehindLatest = ms(12000)
	}
	m, st := newScreen(t, &fakeSource{report: rep}, 120, 24)
	if v := m.View(); strings.Contains(ansi.Strip(v), laggardMark) || strings.Contains(v, st.Fast.Warn.Paint("12s")) {
		t.Errorf("even lag highlighted:\n%s", ansi.Strip(v))
	}
	for i := range rep.Applications[0].Shards {
		rep.Applications[0].Shards[i].MillisBehindLatest = ms(61000)
	}
	m, st = newScreen(t, &fakeSource{report: rep}, 120, 24)
	if v := m.View(); !strings.Contains(v, st.Fast.Warn.Paint("1m01s")) {
		t.Errorf("a minute behind is not highlighted:\n%s", ansi.Strip(v))
	}
}

func TestRetentionClock(t *testing.T) {
	cases := []struct {
		age        time.Duration
		left, head string
		hot        bool
	}{
		{23 * time.Hour, "1h", "trimmed in 1h", false},
		{25 * time.Hour, "losing", "past the retention, records are being lost", true},
	}
	for _, c := range cases {
		m, st := newScreen(t, &fakeSource{report: billing(c.age.Milliseconds(), c.age)}, 120, 24)
		v := m.View()
		ink := st.Fast.Warn
		if c.hot {
			ink = st.Fast.Hot
		}
		if slow := rowOf(t, v, "shardId-000000000001"); !strings.Contains(slow, ink.Paint(c.left)) {
			t.Errorf("age %s: LEFT not %q in the right ink: %q", c.age, c.left, slow)
		}
		if !strings.Contains(ansi.Strip(v), c.head) {
			t.Errorf("age %s: header lacks %q:\n%s", c.age, c.head, ansi.Strip(v))
		}
	}
}

func TestCallouts(t *testing.T) {
	rep := billing(100, 0)
	a := &rep.Applications[0]
	a.Warnings = []string{"worker worker-a holds 6 leases; an even share is 3"}
	a.Shards[2] = klag.ShardLag{ShardID: "shardId-000000000002", Listed: true, Open: true, State: klag.StateNoLease}
	a.Shards[3].Owner, a.Shards[3].State = "", klag.StateNoOwner
	a.Shards = append(a.Shards, klag.ShardLag{ShardID: "shardId-000000000005", Listed: true, Open: true, State: klag.StateBlockedByParent, Parents: []string{"shardId-000000000001"}})
	m, _ := newScreen(t, &fakeSource{report: rep}, 120, 30)
	plain := ansi.Strip(m.View())
	for _, want := range []string{
		"! orders-billing: worker worker-a holds 6 leases; an even share is 3",
		"! orders-billing: shard 2 has no lease: no worker will read it",
		"! and 2 more: see the STATE column",
		"no-owner", "blocked-by-parent",
	} {
		if !strings.Contains(plain, want) {
			t.Errorf("view lacks %q:\n%s", want, plain)
		}
	}
}

// TestWithoutDynamoDB: with no endpoint the screen says how to give it
// one; with one that refuses connections it says so, with moto's start-up
// time, and does not say to install anything. No table either way.
func TestWithoutDynamoDB(t *testing.T) {
	cases := []struct {
		name       string
		err        error
		want       []string
		unexpected string
	}{
		{"no endpoint",
			fmt.Errorf("DynamoDB unavailable: the Kinesis endpoint http://127.0.0.1:4567 is local and DynamoDB has none of its own (%w); set AWS_ENDPOINT_URL_DYNAMODB to one", klag.ErrUnavailable),
			[]string{"⚠ DynamoDB unavailable: the Kinesis endpoint", "set AWS_ENDPOINT_URL_DYNAMODB (and AWS_ENDPOINT_URL_LAMBDA)", "install moto (pip install 'moto[server]')"},
			"does not answer"},
		{"not answering",
			fmt.Errorf("list DynamoDB tables: %w", &net.OpError{Op: "dial", Net: "tcp", Err: errors.New("connect: connection refused")}),
			[]string{"⚠ list DynamoDB tables: dial tcp: connect: connection refused", "DynamoDB does not answer at its endpoint", "moto_server takes a few seconds to start"},
			"pip install"},
	}
	for _, c := range cases {
		m, _ := newScreen(t, &fakeSource{report: klag.Report{Stream: "orders", Retention: 24 * time.Hour}, err: c.err}, 200, 24)
		plain := ansi.Strip(m.View())
		for _, want := range c.want {
			if !strings.Contains(plain, want) {
				t.Errorf("%s: view lacks %q:\n%s", c.name, want, plain)
			}
		}
		if strings.Contains(plain, c.unexpected) || strings.Contains(plain, "SHARD") {
			t.Errorf("%s: %q or a table on screen:\n%s", c.name, c.unexpected, plain)
		}
	}
}

// TestPermissionErrorOneLine: a refused action is one line that names
// it; what could be read stays on screen.
func TestPermissionErrorOneLine(t *testing.T) {
	perm := &klag.PermissionError{Action: "dynamodb:Scan", Resource: "table orders-billing", Err: errors.New("AccessDeniedException\nrequest id 1")}
	src := &fakeSource{report: billing(100, 0)}
	m, _ := newScreen(t, src, 160, 24)
	src.mu.Lock()
	src.err = fmt.Errorf("scan lease table orders-billing: %w", perm)
	src.mu.Unlock()
	for _, msg := range uitest.Msgs(m.Update(uitest.Key("r"))) {
		m.Update(msg)
	}
	plain := ansi.Strip(m.View())
	if !strings.Contains(plain, "⚠ scan lease table orders-billing: no permission for dynamodb:Scan on table orders-billing: grant it to read consumer lag") {
		t.Errorf("no one-line permission error:\n%s", plain)
	}
	if strings.Contains(plain, "request id") || strings.Contains(plain, "install moto") {
		t.Errorf("more than the one line:\n%s", plain)
	}
	if !strings.Contains(plain, "KCL orders-billing") {
		t.Errorf("the report went away:\n%s", plain)
	}
}

// TestStaleReadDropped: a read that a newer one overtook is dropped, and
// the refresh timer reads again.
func TestStaleReadDropped(t *testing.T) {
	src := &fakeSource{report: billing(31000, 31*time.Second)}
	m, _ := newScreen(t, src, 120, 24)
	old := m.reload()
	src.mu.Lock()
	src.report = billing(100, 0)
	src.mu.Unlock()
	fresh := m.reload()
	for _, msg := range uitest.Msgs(fresh) {
		m.Update(msg)
	}
	for _, msg := range uitest.Msgs(old) {
		m.Update(msg)
	}
	if strings.Contains(ansi.Strip(m.View()), "31s") {
		t.Errorf("the stale read won:\n%s", ansi.Strip(m.View()))
	}
	before := src.reads
	m.Start()
	cmd := m.Update(screen.RefreshMsg{Tag: m.CurTag(screen.KindRefresh)})
	for _, msg := range uitest.Msgs(cmd) {
		m.Update(msg)
	}
	if src.reads <= before {
		t.Errorf("the refresh did not read again")
	}
}

// TestArgsFilterApplications: ":lag NAME" shows only that application.
func TestArgsFilterApplications(t *testing.T) {
	rep := billing(100, 0)
	rep.Applications = append(rep.Applications, klag.Application{Name: "enrich", Kind: klag.KindLambda, MappingState: "Enabled", BatchSize: 50})
	m, _ := newScreen(t, &fakeSource{report: rep}, 120, 24, "enrich")
	plain := ansi.Strip(m.View())
	if strings.Contains(plain, "orders-billing") || !strings.Contains(plain, "Lambda enrich · Enabled · batch 50") {
		t.Errorf("filter:\n%s", plain)
	}
}

// TestWithoutDynamoDBWraps: at 80 columns what to do is wrapped between
// words, never cut off.
func TestWithoutDynamoDBWraps(t *testing.T) {
	err := fmt.Errorf("DynamoDB unavailable: the Kinesis endpoint http://127.0.0.1:4567 is local and DynamoDB has none of its own (%w); set AWS_ENDPOINT_URL_DYNAMODB to one", klag.ErrUnavailable)
	m, _ := newScreen(t, &fakeSource{report: klag.Report{Stream: "orders", Retention: 24 * time.Hour}, err: err}, 80, 24)
	plain := ansi.Strip(m.View())
	if strings.Contains(plain, "…") {
		t.Errorf("a line is cut:\n%s", plain)
	}
	words := strings.Join(strings.Fields(plain), " ")
	for _, want := range []string{"set AWS_ENDPOINT_URL_DYNAMODB to one", "or use a profile whose credentials can read DynamoDB.", "a KCL-like consumer of orders."} {
		if !strings.Contains(words, want) {
			t.Errorf("%q is not on screen:\n%s", want, plain)
		}
	}
}
