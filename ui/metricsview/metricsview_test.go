package metricsview

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/golden"

	"github.com/kinspect/kinspect/metrics"
	"github.com/kinspect/kinspect/ui/help"
	"github.com/kinspect/kinspect/ui/internal/uitest"
	"github.com/kinspect/kinspect/ui/screen"
	"github.com/kinspect/kinspect/ui/theme"
)

var now = time.Date(2026, 11, 26, 12, 0, 30, 0, time.UTC)

func f(v float64) *float64 { return &v }

func minute(ago int) time.Time {
	return now.Truncate(time.Minute).Add(-time.Duration(ago) * time.Minute)
}

// fakeSource answers with a report built for the window asked, and
// records the windows.
type fakeSource struct {
	mu      sync.Mutex
	windows []time.Duration
	data    func(window time.Duration) Data
	err     error
}

func (s *fakeSource) StreamReport(_ context.Context, stream string, window time.Duration) (Data, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.windows = append(s.windows, window)
	if s.err != nil {
		return Data{}, s.err
	}
	if stream != "orders" {
		return Data{}, fmt.Errorf("unknown stream %s", stream)
	}
	return s.data(window), nil
}

// series builds n minutes ending at the current one: in bytes/s from in
// (nil: no data point), the last pending ones empty, live ones marked.
func series(in []float64, pending, live int) []metrics.Point {
	n := len(in) + pending
	out := make([]metrics.Point, n)
	for i := range out {
		out[i].Minute = minute(n - 1 - i)
		if i < len(in) && in[i] >= 0 {
			out[i].IncomingBytesPerSec = f(in[i])
		}
	}
	for i := n - live; i < n; i++ {
		out[i].IncomingBytesPerSec, out[i].Live = f(300), true
	}
	return out
}

// shard builds one shard's report with its newest minute's figures.
func shard(id string, inB, inR, outB, ageMs, wThr, rThr float64, s []metrics.Point) metrics.ShardReport {
	r := metrics.ShardReport{ID: id, Series: s}
	r.Minute = minute(3)
	r.IncomingBytesPerSec, r.IncomingRecordsPerSec, r.OutgoingBytesPerSec = f(inB), f(inR), f(outB)
	r.IteratorAgeMs, r.WriteThrottled, r.ReadThrottled = f(ageMs), f(wThr), f(rThr)
	r.IncomingBytesUtilisation = f(inB / metrics.ShardInBytesPerSec)
	r.IncomingRecordsUtilisation = f(inR / metrics.ShardInRecordsPerSec)
	r.OutgoingBytesUtilisation = f(outB / metrics.ShardOutBytesPerSec)
	return r
}

// report is four shards, one hot (85 % of 1 MiB/s) and one over its
// records limit, two minutes unpublished of which one filled live.
func report(enhanced bool) Data {
	trend := []float64{100, 200, -1, 400, 800, 600, 500, 700, 900, 1000, 1100, 1200, 1300}
	r := metrics.Report{Stream: "orders", PeriodSeconds: 60, EnhancedMonitoring: enhanced, OpenShards: 4}
	if enhanced {
		r.Shards = []metrics.ShardReport{
			shard("shardId-000000000000", 10<<10, 20, 20<<10, 0, 0, 0, series(trend, 2, 1)),
			shard("shardId-000000000001", 0.85*(1<<20), 300, 1<<20, 1500, 0, 0, series(trend, 2, 0)),
			shard("shardId-000000000002", 512<<10, 1200, 3<<20, 95_000, 37, 2, series(trend, 2, 0)),
			{ID: "shardId-000000000003"}, // no data point in the window
		}
	} else {
		for i := range 4 {
			r.Shards = append(r.Shards, metrics.ShardReport{ID: fmt.Sprintf("shardId-%012d", i)})
		}
	}
	sl := &r.StreamLevel
	sl.Series = series(trend, 2, 1)
	sl.Point = sl.Series[len(sl.Series)-4]
	sl.IncomingBytesPerSec, sl.IncomingRecordsPerSec = f(1.5*(1<<20)), f(1520)
	sl.OutgoingBytesPerSec, sl.OutgoingRecordsPerSec = f(4<<20), f(3000)
	sl.IteratorAgeMs, sl.WriteThrottled, sl.ReadThrottled = f(95_000), f(37), f(2)
	sl.IncomingBytesUtilisation, sl.IncomingRecordsUtilisation = f(1.5/4), f(0.38)
	sl.PutRecordsFailed, sl.PutRecordsThrottled, sl.PutRecordsLatencyMs = f(4), f(37), f(12)
	sl.GetRecordsLatencyMs = f(8)
	sl.Consumers = []metrics.ConsumerReport{{Name: "app-efo", BytesPerSec: f(1 << 20), RecordsPerSec: f(900), MillisBehindLatestMs: f(250)}}
	return Data{Report: r, Now: now, Lag: 3 * time.Minute, LiveAt: now.Add(-4 * time.Second)}
}

func newModel(t *testing.T, src Source, readOnly bool, w, h int, st theme.Styles) *Model {
	t.Helper()
	m := New(context.Background(), 7, screen.Common{Styles: &st, ReadOnly: readOnly}, "orders", Deps{Source: src})
	m.SetRefresh(0)
	m.SetSize(w, h)
	for _, msg := range uitest.Msgs(tea.Batch(m.Init(), m.Start())) {
		m.Update(msg)
	}
	return m
}

func plain(m *Model) string { return ansi.Strip(m.View()) }

// TestTableGolden renders the whole screen at 80 and 120 columns.
func TestTableGolden(t *testing.T) {
	for _, w := range []int{80, 120} {
		t.Run(fmt.Sprint(w), func(t *testing.T) {
			src := &fakeSource{data: func(time.Duration) Data { return report(true) }}
			m := newModel(t, src, false, w, 14, theme.New(theme.Plain()))
			out := m.View()
			for i, l := range strings.Split(out, "\n") {
				if lw := lipgloss.Width(l); lw > w {
					t.Errorf("line %d is %d cells wide, more than %d: %q", i, lw, w, l)
				}
			}
			golden.RequireEqual(t, ansi.Strip(out))
		})
	}
}

func TestView(t *testing.T) {
	tests := []struct {
		name      string
		enhanced  bool
		readOnly  bool
		width     int
		wants     []string
		forbidden []string
	}{
		{"table", true, false, 120, []string{
			"shardId-000000000002", "512.0 KiB", "120%!", "3.0 MiB", "150%!", "1m35s", "37/2", "85%",
			"last 2 min unpublished by CloudWatch, 1 filled live from the tail, as of 4s ago",
			"PutRecords failed 4 · throttled 37 · latency 12ms", "GetRecords out 4.0 MiB/s", "SubscribeToShardEvent app-efo 1.0 MiB/s 900/s behind 250ms",
			"newest minute 11:57 UTC", "…",
		}, []string{"Shard-level metrics are off"}},
		{"short ids at 80", true, false, 80, []string{"SHARD", "\n2 "}, []string{"shardId-000000000002"}},
		{"metrics off", false, false, 120, []string{
			"Shard-level metrics are off for orders", "e turns them on", "stream in 1.5 MiB/s",
		}, []string{"SHARD"}},
		{"metrics off, read-only", false, true, 120, []string{
			"Shard-level metrics are off for orders", "Read-only session",
		}, []string{"e turns them on"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			src := &fakeSource{data: func(time.Duration) Data { return report(tc.enhanced) }}
			m := newModel(t, src, tc.readOnly, tc.width, 20, theme.New(theme.Plain()))
			out := plain(m)
			for _, w := range tc.wants {
				if !strings.Contains(out, w) {
					t.Errorf("view lacks %q:\n%s", w, out)
				}
			}
			for _, w := range tc.forbidden {
				if strings.Contains(out, w) {
					t.Errorf("view shows %q:\n%s", w, out)
				}
			}
		})
	}
}

// TestHotCells checks that a cell at 80 % of its limit is highlighted
// and one over 100 % is painted as an error, in colour.
func TestHotCells(t *testing.T) {
	st := theme.New(theme.Dark())
	tests := []struct {
		u    float64
		want string
	}{
		{0.5, "50%"},
		{0.85, st.Hot.Render("85%")},
		{1.2, st.Error.Render("120%!")},
	}
	for _, tc := range tests {
		if got := util(st, f(tc.u)); got != tc.want {
			t.Errorf("util(%v) = %q, want %q", tc.u, got, tc.want)
		}
	}
	if got := util(st, nil); got != "-" {
		t.Errorf("no data = %q, want -", got)
	}
}

func TestTrendMarks(t *testing.T) {
	st := theme.New(theme.Plain())
	ps := series([]float64{100, -1, 200, 400}, 2, 1)
	// 100, gap, 200, 400, then 2 pending minutes of which the last is live.
	got := ansi.Strip(Trend(st, ps, now, metrics.PendingMinutes(ps, now, 3*time.Minute), 8))
	if want := "  ▂·▄█…▆"; got != want {
		t.Errorf("trend %q, want %q", got, want)
	}
}

func TestWindowAndRefresh(t *testing.T) {
	src := &fakeSource{data: func(time.Duration) Data { return report(true) }}
	m := newModel(t, src, false, 120, 20, theme.New(theme.Plain()))
	for _, want := range []time.Duration{time.Hour, 3 * time.Hour, 15 * time.Minute} {
		for _, msg := range uitest.Msgs(m.Update(uitest.Key("w"))) {
			m.Update(msg)
		}
		if m.Window() != want || !strings.Contains(plain(m), "window "+fmtWindow(want)) {
			t.Errorf("window %s, want %s", m.Window(), want)
		}
	}
	if got := src.windows; len(got) != 4 || got[1] != time.Hour || got[2] != 3*time.Hour {
		t.Errorf("windows asked %v", got)
	}
	// A tick of an older generation (the screen was stopped) does nothing;
	// one of the current generation reloads.
	old := m.CurTag(screen.KindRefresh)
	m.Stop()
	if cmd := m.Update(screen.RefreshMsg{Tag: old}); cmd != nil {
		t.Error("a stale tick should be dropped")
	}
	n := len(src.windows)
	m.Update(loadedMsg{Tag: screen.Tag{Screen: 7, Kind: kindLoad, Req: m.CurTag(kindLoad).Req - 1}, err: errors.New("old")})
	for _, msg := range uitest.Msgs(m.Update(screen.RefreshMsg{Tag: m.CurTag(screen.KindRefresh)})) {
		m.Update(msg)
	}
	if len(src.windows) != n+1 {
		t.Errorf("a current tick should reload: %d loads, want %d", len(src.windows), n+1)
	}
}

func TestLoadError(t *testing.T) {
	src := &fakeSource{err: errors.New("AccessDenied")}
	st := theme.New(theme.Plain())
	m := New(context.Background(), 7, screen.Common{Styles: &st}, "orders", Deps{Source: src})
	m.SetSize(80, 10)
	msgs := uitest.Msgs(m.Init())
	var errMsg screen.ErrorMsg
	for _, msg := range msgs {
		for _, out := range uitest.Msgs(m.Update(msg)) {
			if e, ok := out.(screen.ErrorMsg); ok {
				errMsg = e
			}
		}
	}
	if errMsg.Err == nil || !strings.Contains(errMsg.Err.Error(), "CloudWatch metrics of orders: AccessDenied") {
		t.Errorf("error %v", errMsg.Err)
	}
	if !strings.Contains(plain(m), "loading") {
		t.Error("the screen should still say it has no data")
	}
}

func TestToggleKeys(t *testing.T) {
	tests := []struct {
		name     string
		readOnly bool
		key      string
		want     *screen.MonitoringRequestedMsg
	}{
		{"e turns on", false, "e", &screen.MonitoringRequestedMsg{Stream: "orders", Enable: true}},
		{"E turns off", false, "E", &screen.MonitoringRequestedMsg{Stream: "orders"}},
		// Read-only: the keys still ask; the root's guard refuses, saying why.
		{"read-only: e asks", true, "e", &screen.MonitoringRequestedMsg{Stream: "orders", Enable: true}},
		{"read-only: E asks", true, "E", &screen.MonitoringRequestedMsg{Stream: "orders"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			src := &fakeSource{data: func(time.Duration) Data { return report(false) }}
			m := newModel(t, src, tc.readOnly, 100, 20, theme.New(theme.Plain()))
			got, ok := uitest.Find[screen.MonitoringRequestedMsg](uitest.Msgs(m.Update(uitest.Key(tc.key))))
			switch {
			case tc.want == nil && ok:
				t.Errorf("read-only should not ask: %+v", got)
			case tc.want != nil && (!ok || got != *tc.want):
				t.Errorf("asked %+v (%v), want %+v", got, ok, *tc.want)
			}
			st := theme.New(theme.Plain())
			helpText := ansi.Strip(strings.Join(help.Render(st, m.KeyMap().FullHelp()), "\n"))
			if strings.Contains(helpText, "shard metrics on") == tc.readOnly {
				t.Errorf("help (read-only %v):\n%s", tc.readOnly, helpText)
			}
		})
	}
}

// BenchmarkView renders the screen of a 4,000-shard stream with an hour
// of minutes per shard at 200x60 (only the visible rows are drawn).
func BenchmarkView(b *testing.B) {
	d := report(true)
	base := d.Report.Shards[1]
	base.Series = series(make([]float64, 58), 2, 1)
	d.Report.Shards = d.Report.Shards[:0]
	for i := range 4000 {
		s := base
		s.ID = fmt.Sprintf("shardId-%012d", i)
		d.Report.Shards = append(d.Report.Shards, s)
	}
	st := theme.New(theme.Dark())
	m := New(context.Background(), 7, screen.Common{Styles: &st}, "orders", Deps{Source: &fakeSource{data: func(time.Duration) Data { return d }}})
	m.SetRefresh(0)
	m.SetSize(200, 60)
	for _, msg := range uitest.Msgs(m.Init()) {
		m.Update(msg)
	}
	b.ResetTimer()
	for b.Loop() {
		_ = m.View()
	}
}

// TestSelectionSpansTheRow: the cursor row is highlighted across the whole
// width, like every list, even where the sparkline is shorter than its
// column.
func TestSelectionSpansTheRow(t *testing.T) {
	st := theme.New(theme.Plain())
	src := &fakeSource{data: func(time.Duration) Data { return report(true) }}
	m := newModel(t, src, false, 120, 14, st)
	lines := strings.Split(m.View(), "\n")
	for i, l := range lines {
		if !strings.HasPrefix(ansi.Strip(l), "SHARD") {
			continue
		}
		sel := lines[i+1]
		if want := st.Selected.Render(ansi.Strip(sel)); sel != want || lipgloss.Width(sel) != 120 {
			t.Errorf("selected row %q, want one highlight 120 cells wide %q", sel, want)
		}
		return
	}
	t.Fatalf("no header:\n%s", m.View())
}
