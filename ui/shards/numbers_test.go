package shards

import (
	"context"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/kinspect/kinspect/kinesisx"
	"github.com/kinspect/kinspect/ui/internal/uitest"
	"github.com/kinspect/kinspect/ui/screen"
	"github.com/kinspect/kinspect/ui/theme"
)

// withMetrics is the screen of a one-shard stream with shard-level
// metrics on, loaded from fm, 140 cells wide.
func withMetrics(t *testing.T, fm fakeMetrics, now func() time.Time) *Model {
	t.Helper()
	st := theme.New(theme.Plain())
	src := fakeSource{stream: kinesisx.Stream{Name: "orders", Status: "ACTIVE", ShardLevelMetrics: []string{"ALL"}}, shards: evenShards(1)}
	m := New(context.Background(), 1, screen.Common{Styles: &st}, "orders", Deps{Source: src, Metrics: fm, Now: now})
	m.SetRefresh(0)
	m.SetSize(140, 8)
	for _, msg := range uitest.Msgs(tea2(m.Init(), m.Start())) {
		m.Update(msg)
	}
	return m
}

// rowOf returns the plain row of a shard in the view.
func rowOf(t *testing.T, m *Model, id string) string {
	t.Helper()
	for _, l := range strings.Split(plainView(m), "\n") {
		if f := strings.Fields(l); len(f) > 1 && f[0] == id && (f[1] == "open" || f[1] == "closed") {
			return l
		}
	}
	t.Fatalf("no row for %s:\n%s", id, plainView(m))
	return ""
}

// TestClosedShardBarsGoToZero: a shard the tail reports closed, or a
// reload finds closed, reads zero, not the rate it last had.
func TestClosedShardBarsGoToZero(t *testing.T) {
	at := time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)
	hot := kinesisx.ShardProgress{Rates: kinesisx.Rates{BytesPerSec1s: 900_000, RecordsPerSec1s: 900}}
	for _, how := range []string{"the tail says closed", "a reload finds it closed"} {
		t.Run(how, func(t *testing.T) {
			shards := evenShards(2)
			m := newLoaded(t, shards, false, 140, 8)
			m.Update(screen.ShardRatesMsg{Stream: "orders", Shards: map[string]kinesisx.ShardProgress{shardID(0): hot}, At: at})
			if row := rowOf(t, m, shardID(0)); !strings.Contains(row, "86%") {
				t.Fatalf("open shard's row %q, want its 86%% bar", row)
			}
			if how == "the tail says closed" {
				closed := hot
				closed.Closed = true
				m.Update(screen.ShardRatesMsg{Stream: "orders", Shards: map[string]kinesisx.ShardProgress{shardID(0): closed}, At: at.Add(2 * time.Second)})
			} else {
				shards[0].Open = false
				m.Update(shardsLoadedMsg{Tag: m.CurTag(kindLoad), stream: m.stream, shards: shards})
			}
			if row := rowOf(t, m, shardID(0)); strings.Contains(row, "86%") || strings.Contains(row, "90%") || !strings.Contains(row, " 0%") {
				t.Errorf("closed shard's row %q, want its bars at 0%%", row)
			}
		})
	}
}

// TestPausedLiveReaderIsAGap: seconds the live reader did not sample are
// gaps in the row's trend, not zeros that look like an outage.
func TestPausedLiveReaderIsAGap(t *testing.T) {
	at := time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)
	m := newLoaded(t, evenShards(1), false, 140, 6)
	p := kinesisx.ShardProgress{Rates: kinesisx.Rates{BytesPerSec1s: 500_000}}
	for _, s := range []int{0, 1, 2, 8, 9} { // paused from 3 s to 7 s
		m.Update(screen.ShardRatesMsg{Stream: "orders", Shards: map[string]kinesisx.ShardProgress{shardID(0): p}, At: at.Add(time.Duration(s) * time.Second)})
	}
	h := m.history[shardID(0)]
	if len(h) != 10 || !math.IsNaN(h[3]) || !math.IsNaN(h[7]) || h[8] != 500_000 {
		t.Errorf("history %v, want 5 samples around 5 gaps", h)
	}
	row := rowOf(t, m, shardID(0))
	if !strings.Contains(row, "███·····██") {
		t.Errorf("row %q, want the pause drawn as gaps", row)
	}
}

// TestTableTrendMarksUnpublished: the table's CloudWatch trend draws gaps
// and unpublished minutes as the CloudWatch line does, not as ▁.
func TestTableTrendMarksUnpublished(t *testing.T) {
	nan := math.NaN()
	now := time.Date(2026, 11, 26, 12, 0, 30, 0, time.UTC)
	trend := []float64{4, 8, nan, 8, 4, nan, nan}
	fm := fakeMetrics{StreamMetric{Minute: now.Add(-3 * time.Minute), Trend: trend, Pending: 2,
		Shards: map[string]ShardMetric{shardID(0): {InBytes: 512 << 10, Trend: trend, Pending: 2}}}}
	m := withMetrics(t, fm, func() time.Time { return now })
	out := plainView(m)
	if !strings.Contains(out, "CloudWatch ▄█·█▄……") {
		t.Errorf("CloudWatch line should mark the gap and the pending minutes:\n%s", out)
	}
	if row := rowOf(t, m, shardID(0)); !strings.HasSuffix(strings.TrimRight(row, " "), "▄█·█▄……") {
		t.Errorf("row %q: its trend should be drawn as the CloudWatch line's", row)
	}
	if title := strings.Split(out, "\n")[0]; !strings.Contains(title, "bars cw 11:57") {
		t.Errorf("the title should say the bars are of CloudWatch's 11:57: %q", title)
	}
}

// TestNoCompleteMinuteHasNoFigures: before CloudWatch has a complete
// minute, the CloudWatch line says so rather than "in 0 B/s".
func TestNoCompleteMinuteHasNoFigures(t *testing.T) {
	nan := math.NaN()
	fm := fakeMetrics{StreamMetric{Trend: []float64{nan, nan, nan}, Pending: 3}}
	m := withMetrics(t, fm, nil)
	line := strings.Split(plainView(m), "\n")[2]
	if strings.Contains(line, "0 B/s") || !strings.Contains(line, "no complete minute yet") {
		t.Errorf("CloudWatch line %q, want no figures before a complete minute", line)
	}
}

// TestLiveRatesFirstSecondIsAGap: the rates tail starts at zero (from
// LATEST, nothing read yet) and its first seconds are partial; until its
// first whole second (liveSecondWhole) they are a gap in the trend, not a
// dip to ▁ each time it (re)opens.
func TestLiveRatesFirstSecondIsAGap(t *testing.T) {
	at := time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)
	m := clockedLive(t, 1, func() time.Time { return at })
	for i, r := range []float64{0, 150_000, 400_000, 500_000, 500_000} {
		p := kinesisx.ShardProgress{Rates: kinesisx.Rates{BytesPerSec1s: r}}
		m.Update(screen.ShardRatesMsg{Stream: "orders", Shards: map[string]kinesisx.ShardProgress{shardID(0): p}, At: at.Add(time.Duration(i)*time.Second + 500*time.Millisecond)})
	}
	if h := m.history[shardID(0)]; len(h) != 5 || !math.IsNaN(h[0]) || !math.IsNaN(h[2]) || h[3] != 500_000 {
		t.Errorf("history %v, want the first 2.5 s as a gap", h)
	}
	if row := rowOf(t, m, shardID(0)); !strings.Contains(row, "···██") || strings.Contains(row, "▁") {
		t.Errorf("row %q, want no dip at the start", row)
	}
}
