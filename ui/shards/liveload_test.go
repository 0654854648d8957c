package shards

import (
	"context"
	"testing"
	"time"

	"github.com/kinspect/kinspect/kinesisx"
	"github.com/kinspect/kinspect/ui/internal/uitest"
	"github.com/kinspect/kinspect/ui/screen"
	"github.com/kinspect/kinspect/ui/theme"
)

// youngLive is the screen of a 2-shard stream whose live tail opened at
// at and whose one batch was measured after ran: shard 1 at 900 records/s
// in its last second, and the minute's sum of the seconds it has read
// divided by 60, as the tail reports it.
func youngLive(t *testing.T, at time.Time, ran time.Duration) *Model {
	t.Helper()
	now := at
	m := clockedLive(t, 2, func() time.Time { return now })
	now = at.Add(ran)
	secs := min(ran.Seconds()-1, 60)
	p := kinesisx.ShardProgress{Rates: kinesisx.Rates{BytesPerSec1s: 600 << 10, RecordsPerSec1s: 900,
		BytesPerSec60s: 600 << 10 * secs / 60, RecordsPerSec60s: 900 * secs / 60}}
	m.Update(screen.ShardRatesMsg{Stream: "orders", Shards: map[string]kinesisx.ShardProgress{shardID(1): p}, At: now})
	return m
}

// clockedLive is the screen of a stream of n open shards on the clock
// now, its live rates turned on with L.
func clockedLive(t *testing.T, n int, now func() time.Time) *Model {
	t.Helper()
	st := theme.New(theme.Plain())
	src := fakeSource{stream: kinesisx.Stream{Name: "orders"}, shards: evenShards(n)}
	m := New(context.Background(), 9, screen.Common{Styles: &st}, "orders", Deps{Source: src, Tailer: &fakeTailer{}, Now: now, AutoLiveMax: -1})
	m.SetRefresh(0)
	m.SetSize(140, 6)
	t.Cleanup(m.Close)
	for _, msg := range uitest.Msgs(m.Init()) {
		m.Update(msg)
	}
	pressLive(t, m)
	return m
}

// TestMergePreviewOfAYoungLiveTail: the merge dialog's loads from a live
// tail that has run 10 s are its last second (900/s), not the minute's
// mean of 10 s of records over 60 (150/s, a shard at its limit passed
// off as at 15%).
func TestMergePreviewOfAYoungLiveTail(t *testing.T) {
	at := time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)
	m := youngLive(t, at, 10*time.Second)
	l, ok := m.loads()[shardID(1)]
	if !ok || l.RecordsPerSec != 900 || l.Source != "live, last second" {
		t.Errorf("load after 10 s of live rates %+v (%v), want 900/s from the last second", l, ok)
	}
	if got := m.inRate(shardID(1)); got != 600<<10 {
		t.Errorf("split dialog's rate after 10 s %v, want the last second's %v", got, 600<<10)
	}
	m = youngLive(t, at, 90*time.Second)
	if l := m.loads()[shardID(1)]; l.RecordsPerSec != 900 || l.Source != "live, last minute" {
		t.Errorf("load after 90 s %+v, want the minute's mean", l)
	}
	m = youngLive(t, at, time.Second)
	if l, ok := m.loads()[shardID(1)]; ok {
		t.Errorf("load 1 s after the tail opened %+v, want none (no whole second yet)", l)
	}
}
