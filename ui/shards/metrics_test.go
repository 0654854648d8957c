package shards

import (
	"context"
	"math"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/kinspect/kinspect/kinesisx"
	"github.com/kinspect/kinspect/kinesisx/hotkeys"
	"github.com/kinspect/kinspect/metrics"
	"github.com/kinspect/kinspect/session"
	"github.com/kinspect/kinspect/ui/internal/uitest"
	"github.com/kinspect/kinspect/ui/screen"
	"github.com/kinspect/kinspect/ui/theme"
)

type fakeMetrics struct{ m StreamMetric }

func (f fakeMetrics) StreamMetrics(context.Context, string) (StreamMetric, error) { return f.m, nil }

// countingSource counts shard listings.
type countingSource struct {
	fakeSource
	lists *int
}

func (c countingSource) ListShards(ctx context.Context, s string) ([]kinesisx.Shard, error) {
	*c.lists++
	return c.fakeSource.ListShards(ctx, s)
}

func TestCloudWatchLine(t *testing.T) {
	st := theme.New(theme.Plain())
	nan := math.NaN()
	now := time.Date(2026, 11, 26, 12, 0, 30, 0, time.UTC)
	fm := fakeMetrics{StreamMetric{
		InBytes: 2048, InRecords: 12, IteratorAgeMs: 90_000, WriteThrottled: 3,
		Minute: now, Trend: []float64{1, 2, nan, 8, 4, nan}, Pending: 2, Live: 1,
		LiveMask: []bool{false, false, false, false, true, false}, LiveAt: now.Add(-5 * time.Second),
		Shards: map[string]ShardMetric{shardID(0): {InBytes: 512 << 10, Trend: []float64{1, 4, 8}}},
	}}
	// Shard-level metrics on: the fake has per-shard figures.
	src := fakeSource{stream: kinesisx.Stream{Name: "orders", Status: "ACTIVE", ShardLevelMetrics: []string{"ALL"}}, shards: evenShards(2)}
	m := New(context.Background(), 1, screen.Common{Styles: &st}, "orders", Deps{Source: src, Metrics: fm, Now: func() time.Time { return now }})
	m.SetRefresh(0)
	m.SetSize(160, 10)
	for _, msg := range uitest.Msgs(tea2(m.Init(), m.Start())) {
		m.Update(msg)
	}
	out := plainView(m)
	for _, want := range []string{"CloudWatch ▁▂·█▄…  2 min unpublished, 1 live from the tail (as of 5s ago)  cw 12:00 in 2.0 KiB/s 12/s",
		"iterator age 2m", "throttled w 3 r 0", "throttling", "▁▄█"} {
		if !strings.Contains(out, want) {
			t.Errorf("view lacks %q:\n%s", want, out)
		}
	}
}

func TestStreamChangedReloads(t *testing.T) {
	st := theme.New(theme.Plain())
	n := 0
	src := countingSource{fakeSource{stream: kinesisx.Stream{Name: "orders"}, shards: evenShards(2)}, &n}
	m := New(context.Background(), 1, screen.Common{Styles: &st}, "orders", Deps{Source: src})
	for _, msg := range uitest.Msgs(m.Init()) {
		m.Update(msg)
	}
	if cmd := m.Update(screen.StreamChangedMsg{Stream: "other"}); cmd != nil {
		t.Error("another stream's change is not ours")
	}
	for _, msg := range uitest.Msgs(m.Update(screen.StreamChangedMsg{Stream: "orders"})) {
		m.Update(msg)
	}
	if n != 2 {
		t.Errorf("listed %d times, want a reload after the change", n)
	}
}

func TestLiveTailSamplesKeys(t *testing.T) {
	ft := &fakeTailer{}
	st := theme.New(theme.Plain())
	clock := time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)
	sess := session.New(func() time.Time { return clock }, hotkeys.Options{})
	store := sess.Traffic
	src := fakeSource{stream: kinesisx.Stream{Name: "orders"}, shards: evenShards(2)}
	m := New(context.Background(), 1, screen.Common{Styles: &st}, "orders", Deps{Source: src, Tailer: ft, Session: sess, AutoLiveMax: -1})
	m.SetSize(120, 8)
	t.Cleanup(m.Close)
	pressLive(t, m)
	s := ft.streams[0]
	s.ch <- kinesisx.Batch{Records: []kinesisx.Record{{Stream: "orders", ShardID: shardID(1), PartitionKey: "k", Data: []byte("abc")}}}
	m.Update(m.tail.Wait()())
	a, _ := store.Lookup("orders")
	if got := a.Samples(shardID(1)); len(got) != 1 || got[0].Bytes != 4 {
		t.Errorf("the live tail should sample its records (data and key bytes): %v", got)
	}
	var r metrics.Report
	if sess.Live.Nowcast("orders", &r, nil, clock, time.Minute).IsZero() {
		t.Error("the live tail should feed the live fill")
	}
}

// tea2 batches Init and Start as the root does.
func tea2(a, b tea.Cmd) tea.Cmd { return tea.Batch(a, b) }
