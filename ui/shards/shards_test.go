package shards

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/golden"

	"github.com/kinspect/kinspect/kinesisx"
	"github.com/kinspect/kinspect/kinesisx/hashkey"
	"github.com/kinspect/kinspect/kinesisx/retention"
	"github.com/kinspect/kinspect/ui/internal/uitest"
	"github.com/kinspect/kinspect/ui/screen"
	"github.com/kinspect/kinspect/ui/theme"
)

type fakeSource struct {
	stream kinesisx.Stream
	shards []kinesisx.Shard
	err    error
}

func (f fakeSource) DescribeStream(context.Context, string) (kinesisx.Stream, error) {
	return f.stream, f.err
}
func (f fakeSource) ListShards(context.Context, string) ([]kinesisx.Shard, error) {
	return f.shards, f.err
}

func shardID(i int) string { return fmt.Sprintf("shardId-%012d", i) }

// evenShards lays out n open shards over the key space.
func evenShards(n int) []kinesisx.Shard {
	out := make([]kinesisx.Shard, 0, n)
	for i, r := range hashkey.Split(n) {
		out = append(out, kinesisx.Shard{ID: shardID(i), HashRange: r, Open: true})
	}
	return out
}

// splitLineage is shard 0 split into 1 and 2, then 2 merged with 3 into 4.
func splitLineage() []kinesisx.Shard {
	halves := hashkey.Split(2)
	quarters := hashkey.Split(4)
	return []kinesisx.Shard{
		{ID: shardID(0), HashRange: halves[0]},
		{ID: shardID(1), ParentID: shardID(0), HashRange: quarters[0], Open: true},
		{ID: shardID(2), ParentID: shardID(0), HashRange: quarters[1]},
		{ID: shardID(3), HashRange: halves[1]},
		{ID: shardID(4), ParentID: shardID(2), AdjacentParentID: shardID(3),
			HashRange: hashkey.Range{Start: quarters[1].Start, End: halves[1].End}, Open: true},
	}
}

func newLoaded(t testing.TB, shards []kinesisx.Shard, readOnly bool, w, h int) *Model {
	t.Helper()
	st := theme.New(theme.Plain())
	src := fakeSource{stream: kinesisx.Stream{Name: "orders", Status: "ACTIVE", Mode: "PROVISIONED", RetentionHours: 24}, shards: shards}
	m := New(context.Background(), 7, screen.Common{Styles: &st, ReadOnly: readOnly}, "orders", Deps{Source: src})
	m.SetRefresh(0)
	m.SetSize(w, h)
	for _, msg := range uitest.Msgs(m.Init()) {
		m.Update(msg)
	}
	return m
}

func plainView(m *Model) string { return ansi.Strip(m.View()) }

func TestRender(t *testing.T) {
	for _, w := range []int{80, 120, 200} {
		t.Run(fmt.Sprint(w), func(t *testing.T) {
			m := newLoaded(t, evenShards(4), false, w, 12)
			out := plainView(m)
			wants := []string{"orders", "4 open / 4 shards", shardID(3), "25.00%"}
			if w >= 120 {
				wants = append(wants, "shard metrics off")
			}
			for _, want := range wants {
				if !strings.Contains(out, want) {
					t.Errorf("view lacks %q:\n%s", want, out)
				}
			}
			for _, l := range strings.Split(m.View(), "\n") {
				if lw := lipgloss.Width(l); lw > w {
					t.Errorf("line %d cells wide at width %d: %q", lw, w, ansi.Strip(l))
				}
			}
		})
	}
}

// TestRowGolden renders the header and rows with and without live rates
// and metrics at two widths.
func TestRowGolden(t *testing.T) {
	st := theme.New(theme.Plain())
	shards := splitLineage()
	live := kinesisx.ShardProgress{MillisBehindLatest: 1500, Rates: kinesisx.Rates{BytesPerSec1s: 900_000, RecordsPerSec1s: 250}}
	metric := ShardMetric{InBytes: 300_000, InRecords: 1200, OutBytes: 1 << 20, IteratorAgeMs: 20 * 3600 * 1000}
	risks := retention.Assess(24*time.Hour, 0, []retention.ShardAge{{ShardID: shards[1].ID, IteratorAge: 1500 * time.Millisecond}, {ShardID: shards[4].ID, IteratorAge: 20 * time.Hour}})
	var b strings.Builder
	for _, w := range []int{80, 140} {
		l := newLayout(w, false)
		tb := l.table()
		b.WriteString(ansi.Strip(tb.Header(w)) + "|\n")
		b.WriteString(ansi.Strip(tb.Line(l.cells(st, cellData{shard: shards[0]}), w)) + "|\n")
		b.WriteString(ansi.Strip(tb.Line(l.cells(st, cellData{shard: shards[1], live: &live, trend: []float64{1, 2, 4, 8, 4, 2}, risk: &risks[1]}), w)) + "|\n")
		b.WriteString(ansi.Strip(tb.Line(l.cells(st, cellData{shard: shards[4], metric: &metric, risk: &risks[0]}), w)) + "|\n")
	}
	golden.RequireEqual(t, b.String())
}

func TestLineageGolden(t *testing.T) {
	m := newLoaded(t, splitLineage(), false, 120, 10)
	m.Update(uitest.Key("l"))
	golden.RequireEqual(t, plainView(m))
}

func TestBuildTreeVisitsEveryShardOnce(t *testing.T) {
	tests := []struct {
		name   string
		shards []kinesisx.Shard
	}{
		{"empty", nil},
		{"flat", evenShards(5)},
		{"lineage", splitLineage()},
		{"cycle", []kinesisx.Shard{{ID: "a", ParentID: "b"}, {ID: "b", ParentID: "a"}}},
		{"parent expired", []kinesisx.Shard{{ID: "c", ParentID: "gone"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rows := buildTree(tt.shards)
			seen := map[int]bool{}
			for _, r := range rows {
				if seen[r.idx] {
					t.Errorf("shard %d twice", r.idx)
				}
				seen[r.idx] = true
			}
			if len(rows) != len(tt.shards) {
				t.Errorf("%d rows for %d shards", len(rows), len(tt.shards))
			}
		})
	}
}

func TestLookup(t *testing.T) {
	shards := evenShards(8)
	m := newLoaded(t, shards, false, 120, 14)
	m.Update(uitest.Key("K"))
	if !m.Capturing() {
		t.Fatal("K should open the key input")
	}
	for _, k := range uitest.Type("user-42") {
		m.Update(k)
	}
	h := hashkey.FromPartitionKey("user-42")
	var want string
	for _, s := range shards {
		if s.HashRange.Contains(h) {
			want = s.ID
		}
	}
	if m.Selected().ID != want {
		t.Errorf("cursor on %s, want %s", m.Selected().ID, want)
	}
	out := plainView(m)
	if !strings.Contains(out, "→ "+want) || !strings.Contains(out, h.String()) {
		t.Errorf("lookup line lacks hash and shard:\n%s", out)
	}
	m.Update(uitest.Key("enter"))
	if m.Capturing() || !strings.Contains(plainView(m), `key "user-42"`) {
		t.Error("enter should keep the result and leave the input")
	}
	m.Update(uitest.Key("K"))
	m.Update(uitest.Key("esc"))
	if m.found.query != "" {
		t.Error("esc should clear the lookup")
	}
}

// TestLookupStartsEmpty: K after a finished lookup opens an empty input,
// so what is typed is the new key, not the old one with more on it.
func TestLookupStartsEmpty(t *testing.T) {
	m := newLoaded(t, evenShards(4), false, 120, 12)
	for _, k := range append(append([]tea.KeyPressMsg{uitest.Key("K")}, uitest.Type("user-42")...), uitest.Key("enter"), uitest.Key("K")) {
		m.Update(k)
	}
	if line := strings.Split(plainView(m), "\n")[1]; !strings.HasPrefix(strings.TrimSpace(line), "key:") || strings.Contains(line, "user-42") {
		t.Errorf("second K shows %q, want an empty key input", line)
	}
	for _, k := range uitest.Type("b") {
		m.Update(k)
	}
	if m.found.query != "b" {
		t.Errorf("typed b after K, lookup is %q", m.found.query)
	}
}

func TestKeysAskTheRoot(t *testing.T) {
	tests := []struct {
		key      string
		readOnly bool
		want     tea.Msg
	}{
		{"enter", false, screen.OpenTailMsg{Stream: "orders", Shards: []string{shardID(1)}}},
		{"t", false, screen.OpenTailMsg{Stream: "orders"}},
		{"s", false, screen.ActionRequestedMsg{Action: kinesisx.ActionSplit, Stream: "orders", ShardID: shardID(1)}},
		{"m", false, screen.ActionRequestedMsg{Action: kinesisx.ActionMerge, Stream: "orders", ShardID: shardID(1)}},
		{"S", false, screen.ActionRequestedMsg{Action: kinesisx.ActionScale, Stream: "orders"}},
		// Read-only: the keys still ask; the root's guard refuses, saying why.
		{"s", true, screen.ActionRequestedMsg{Action: kinesisx.ActionSplit, Stream: "orders", ShardID: shardID(1)}},
		{"p", true, screen.ActionRequestedMsg{Action: kinesisx.ActionPut, Stream: "orders", ShardID: shardID(1)}},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%s ro=%v", tt.key, tt.readOnly), func(t *testing.T) {
			m := newLoaded(t, evenShards(3), tt.readOnly, 100, 10)
			m.Update(uitest.Key("j"))
			msgs := uitest.Msgs(m.Update(uitest.Key(tt.key)))
			if tt.want == nil {
				if len(msgs) != 0 {
					t.Errorf("want nothing, got %v", msgs)
				}
				return
			}
			if len(msgs) != 1 || fmt.Sprint(msgs[0]) != fmt.Sprint(tt.want) {
				t.Errorf("got %v, want %v", msgs, tt.want)
			}
		})
	}
}

func TestRatesFromTailAbove(t *testing.T) {
	m := newLoaded(t, evenShards(2), false, 140, 8)
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for i, at := range []time.Time{t0, t0.Add(300 * time.Millisecond), t0.Add(1100 * time.Millisecond)} {
		m.Update(screen.ShardRatesMsg{Stream: "orders", At: at, Shards: map[string]kinesisx.ShardProgress{
			shardID(0): {Rates: kinesisx.Rates{BytesPerSec1s: float64(i+1) * 512 * 1024, RecordsPerSec1s: 900}},
		}})
	}
	m.Update(screen.ShardRatesMsg{Stream: "other", At: t0, Shards: map[string]kinesisx.ShardProgress{shardID(1): {}}})
	if got := len(m.history[shardID(0)]); got != 2 {
		t.Errorf("sampled %d times in 1.1 s, want 2", got)
	}
	if _, ok := m.live[shardID(1)]; ok {
		t.Error("rates of another stream were applied")
	}
	out := plainView(m)
	// 1.5 MiB/s against 1 MiB/s and 900 records/s against 1,000.
	if !strings.Contains(out, " 150%") || !strings.Contains(out, "  90%") {
		t.Errorf("bars lack their percentages:\n%s", out)
	}
}

func TestErrorAndStale(t *testing.T) {
	st := theme.New(theme.Plain())
	// The source's error says what failed (kinesisx: "describe stream x: ...").
	m := New(context.Background(), 3, screen.Common{Styles: &st}, "x", Deps{Source: fakeSource{err: fmt.Errorf("describe stream x: ResourceNotFoundException")}})
	m.SetRefresh(0)
	msgs := uitest.Msgs(m.Init())
	var got []tea.Msg
	for _, msg := range msgs {
		got = append(got, uitest.Msgs(m.Update(msg))...)
	}
	if em, ok := uitest.Find[screen.ErrorMsg](got); !ok || em.Err.Error() != "describe stream x: ResourceNotFoundException" {
		t.Errorf("want the error on the status line, once, got %v", got)
	}
	m.Update(shardsLoadedMsg{Tag: screen.Tag{Screen: 3, Kind: kindLoad, Req: m.CurTag(kindLoad).Req + 1}, shards: evenShards(2)})
	m.Update(shardsLoadedMsg{Tag: screen.Tag{Screen: 4, Kind: kindLoad, Req: m.CurTag(kindLoad).Req}, shards: evenShards(2)})
	if len(m.shards) != 0 {
		t.Error("a stale or foreign load was applied")
	}
}

// BenchmarkShardsView renders the stream screen of a 4,000-shard stream at
// 200x60 with live rates on every shard.
func BenchmarkShardsView(b *testing.B) {
	shards := evenShards(4000)
	m := newLoaded(b, shards, false, 200, 60)
	rates := make(map[string]kinesisx.ShardProgress, len(shards))
	for i, s := range shards {
		rates[s.ID] = kinesisx.ShardProgress{Rates: kinesisx.Rates{BytesPerSec1s: float64(i * 100), RecordsPerSec1s: float64(i % 1000)}}
	}
	m.Update(screen.ShardRatesMsg{Stream: "orders", Shards: rates, At: time.Now()})
	m.Update(uitest.Key("G"))
	b.ReportAllocs()
	for b.Loop() {
		_ = m.View()
	}
}

// A refresh that fails keeps the last shards on screen, marked with the
// time of the last load that worked.
func TestFailedRefreshMarksTheShardsStale(t *testing.T) {
	st := theme.New(theme.Plain())
	at := time.Date(2026, 11, 26, 10, 41, 3, 0, time.UTC)
	m := New(context.Background(), 3, screen.Common{Styles: &st}, "x", Deps{Source: fakeSource{}, Now: func() time.Time { return at }})
	m.SetRefresh(0)
	m.SetSize(160, 10)
	m.Update(shardsLoadedMsg{Tag: m.CurTag(kindLoad), stream: kinesisx.Stream{Name: "x", Status: "ACTIVE"}, shards: evenShards(2)})
	if strings.Contains(m.View(), "refresh failed") {
		t.Fatal("stale before any failure")
	}
	m.Update(shardsLoadedMsg{Tag: m.CurTag(kindLoad), err: fmt.Errorf("describe stream x: connection refused")})
	if v := m.View(); !strings.Contains(v, "⚠ refresh failed: as of 10:41:03") || !strings.Contains(v, "shardId-000000000001") {
		t.Errorf("want the old shards marked stale:\n%s", v)
	}
}
