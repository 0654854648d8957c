package shards

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/kinspect/kinspect/kinesisx"
	klag "github.com/kinspect/kinspect/kinesisx/lag"
	"github.com/kinspect/kinspect/ui/internal/uitest"
	"github.com/kinspect/kinspect/ui/screen"
	"github.com/kinspect/kinspect/ui/theme"
)

// lagSource is a shard source that also reads application lag, as cmd's
// adapter is.
type lagSource struct {
	fakeSource
	mu     sync.Mutex
	report klag.Report
	err    error
	reads  int
}

func (l *lagSource) Lag(context.Context, string) (klag.Report, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.reads++
	return l.report, l.err
}

func (l *lagSource) count() int { l.mu.Lock(); defer l.mu.Unlock(); return l.reads }

func msPtr(v int64) *int64 { return &v }

// twoApps: billing has shard 1 31 s behind; audit is further behind on
// shard 2 (its oldest unread record is older) and caught up elsewhere.
func twoApps(slowAge time.Duration) klag.Report {
	kcl := func(name string, lags map[int]time.Duration) klag.Application {
		a := klag.Application{Name: name, Kind: klag.KindKCL, Table: name}
		for i := range 4 {
			d := lags[i]
			a.Shards = append(a.Shards, klag.ShardLag{ShardID: shardID(i), Leased: true, State: klag.StateOK,
				MillisBehindLatest: msPtr(d.Milliseconds()), CheckpointAge: d})
		}
		return a
	}
	return klag.Report{Stream: "orders", Retention: 24 * time.Hour, Applications: []klag.Application{
		kcl("orders-billing", map[int]time.Duration{1: slowAge, 2: 2 * time.Second}),
		kcl("audit", map[int]time.Duration{2: 5 * time.Second}),
	}}
}

type lagClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *lagClock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.now }
func (c *lagClock) add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

func newWithLag(t *testing.T, src *lagSource, w int) (*Model, theme.Styles, *lagClock) {
	t.Helper()
	st := theme.New(theme.Dark())
	clock := &lagClock{now: time.Date(2026, 12, 5, 12, 0, 0, 0, time.UTC)}
	src.fakeSource = fakeSource{stream: kinesisx.Stream{Name: "orders", Status: "ACTIVE", RetentionHours: 24}, shards: evenShards(4)}
	m := New(context.Background(), 7, screen.Common{Styles: &st}, "orders", Deps{Source: src, Now: clock.Now})
	m.SetSize(w, 12)
	for _, msg := range uitest.Msgs(m.Init()) {
		m.Update(msg)
	}
	for _, msg := range uitest.Msgs(m.pollLagIfDue()) { // what Start asks for
		m.Update(msg)
	}
	return m, st, clock
}

func TestAppLagColumn(t *testing.T) {
	for _, w := range []int{90, 120, 200} {
		t.Run(fmt.Sprint(w), func(t *testing.T) {
			m, _, _ := newWithLag(t, &lagSource{report: twoApps(31 * time.Second)}, w)
			v := m.View()
			plain := ansi.Strip(v)
			if !strings.Contains(plain, "APP LAG") {
				t.Fatalf("no APP LAG column:\n%s", plain)
			}
			for id, want := range map[string]string{shardID(1): "31.0s orders-bi…", shardID(2): "5.0s audit", shardID(0): "0ms orders-bill…"} {
				if row := lineWith(plain, id); !strings.Contains(row, want) {
					t.Errorf("%s: want %q in %q", id, want, row)
				}
			}
			for _, l := range strings.Split(v, "\n") {
				if lw := lipgloss.Width(l); lw > w {
					t.Errorf("line %d cells wide at width %d: %q", lw, w, ansi.Strip(l))
				}
			}
		})
	}
}

// lineWith is the table row of a shard.
func lineWith(s, id string) string {
	for _, l := range strings.Split(s, "\n") {
		if strings.HasPrefix(ansi.Strip(l), id+" open") {
			return l
		}
	}
	return ""
}

// TestAppLagHidden: no column without applications, without DynamoDB,
// or on a screen too narrow; there the info line names the application.
func TestAppLagHidden(t *testing.T) {
	cases := map[string]*lagSource{
		"no applications": {report: klag.Report{Stream: "orders", Retention: 24 * time.Hour}},
		"no DynamoDB":     {report: klag.Report{Stream: "orders"}, err: fmt.Errorf("DynamoDB %w", klag.ErrUnavailable)},
	}
	for name, src := range cases {
		m, _, _ := newWithLag(t, src, 120)
		if plain := ansi.Strip(m.View()); strings.Contains(plain, "APP LAG") || strings.Contains(plain, "  app ") {
			t.Errorf("%s: the column shows:\n%s", name, plain)
		}
	}
	m, _, _ := newWithLag(t, &lagSource{report: twoApps(31 * time.Second)}, 80)
	m.Update(uitest.Key("j")) // shard 1
	plain := ansi.Strip(m.View())
	if strings.Contains(plain, "APP LAG") || !strings.Contains(plain, "app orders-billing 31.0s behind") {
		t.Errorf("at 80 columns, want no column and the note:\n%s", plain)
	}
}

// TestAppLagRetentionRisk: a laggard close to the retention is in the
// warn ink, one past it in the hot ink, in the cell and the info line.
func TestAppLagRetentionRisk(t *testing.T) {
	for _, c := range []struct {
		age  time.Duration
		hot  bool
		left string
	}{{23 * time.Hour, false, "1h left"}, {25 * time.Hour, true, "losing left"}} {
		m, st, _ := newWithLag(t, &lagSource{report: twoApps(c.age)}, 120)
		ink := st.Fast.Warn
		if c.hot {
			ink = st.Fast.Hot
		}
		v := m.View()
		cell := draw16(fmtMillis(c.age.Milliseconds()) + " orders-billing")
		if !strings.Contains(v, ink.Paint(cell)) {
			t.Errorf("%s: cell %q not in the right ink:\n%q", c.age, cell, lineWith(v, shardID(1)))
		}
		m.Update(uitest.Key("j")) // the info line is of the selected shard
		v = m.View()
		if !strings.Contains(ansi.Strip(v), c.left) {
			t.Errorf("%s: info line lacks %q:\n%s", c.age, c.left, ansi.Strip(v))
		}
	}
}

func draw16(s string) string {
	if len([]rune(s)) > appLagWidth {
		return string([]rune(s)[:appLagWidth-1]) + "…"
	}
	return s + strings.Repeat(" ", appLagWidth-len([]rune(s)))
}

// TestAppLagPolledModestly: read on Start, not again on the shard list's
// 10 s refresh, again once LagEvery has passed.
func TestAppLagPolledModestly(t *testing.T) {
	src := &lagSource{report: twoApps(31 * time.Second)}
	m, _, clock := newWithLag(t, src, 120)
	if src.count() != 1 {
		t.Fatalf("%d reads after the first poll", src.count())
	}
	refresh := func() {
		for _, msg := range uitest.Msgs(m.pollLagIfDue()) {
			m.Update(msg)
		}
	}
	clock.add(RefreshEvery)
	refresh()
	if src.count() != 1 {
		t.Errorf("read again after %s", RefreshEvery)
	}
	clock.add(LagEvery)
	refresh()
	if src.count() != 2 {
		t.Errorf("%d reads after %s", src.count(), LagEvery+RefreshEvery)
	}
}
