package shards

import (
	"context"
	"strings"
	"testing"

	"charm.land/lipgloss/v2"

	"github.com/kinspect/kinspect/kinesisx"
	"github.com/kinspect/kinspect/ui/internal/uitest"
	"github.com/kinspect/kinspect/ui/screen"
	"github.com/kinspect/kinspect/ui/theme"
)

// TestTitleKeepsStates: at 120 columns and narrower, the screen's states
// (live rates, lineage, hot keys) show whole; the stream's facts before
// them are what gets cut.
func TestTitleKeepsStates(t *testing.T) {
	tests := []struct {
		width int
		keys  []string
		wants []string
	}{
		{120, []string{"l", "h"}, []string{"orders  ACTIVE · PROVISIONED · 4 open / 4 shards", "lineage · hot keys · ● live rates"}},
		{120, nil, []string{"orders  ACTIVE · PROVISIONED · 4 open / 4 shards · retention 168h · 12 EFO · shard metrics on · ● live rates"}},
		{80, []string{"l"}, []string{"orders  ACTIVE", "… · lineage · ● live rates"}},
	}
	for _, tc := range tests {
		ft := &fakeTailer{}
		st := theme.New(theme.Plain())
		src := fakeSource{stream: kinesisx.Stream{Name: "orders", Status: "ACTIVE", Mode: "PROVISIONED", RetentionHours: 168,
			Consumers: 12, ShardLevelMetrics: []string{"ALL"}}, shards: evenShards(4)}
		m := New(context.Background(), 9, screen.Common{Styles: &st}, "orders", Deps{Source: src, Tailer: ft, AutoLiveMax: -1})
		m.SetRefresh(0)
		m.SetSize(tc.width, 12)
		for _, msg := range uitest.Msgs(m.Init()) {
			m.Update(msg)
		}
		pressLive(t, m)
		for _, k := range tc.keys {
			m.Update(uitest.Key(k))
		}
		title := m.titleLine()
		if w := lipgloss.Width(title); w > tc.width {
			t.Errorf("title is %d cells at width %d", w, tc.width)
		}
		out := plainView(m)
		first := strings.SplitN(out, "\n", 2)[0]
		for _, want := range tc.wants {
			if !strings.Contains(first, want) {
				t.Errorf("width %d: title %q lacks %q", tc.width, first, want)
			}
		}
		m.Close()
	}
}

// TestMonitoringKeys: e and E ask the root to toggle shard-level metrics;
// read-only mode hides them.
func TestMonitoringKeys(t *testing.T) {
	for _, ro := range []bool{false, true} {
		st := theme.New(theme.Plain())
		src := fakeSource{stream: kinesisx.Stream{Name: "orders", Status: "ACTIVE"}, shards: evenShards(2)}
		m := New(context.Background(), 9, screen.Common{Styles: &st, ReadOnly: ro}, "orders", Deps{Source: src, Metrics: fakeMetrics{}})
		m.SetRefresh(0)
		m.SetSize(160, 10)
		for _, msg := range uitest.Msgs(tea2(m.Init(), m.Start())) {
			m.Update(msg)
		}
		for key, enable := range map[string]bool{"e": true, "E": false} {
			got, ok := uitest.Find[screen.MonitoringRequestedMsg](uitest.Msgs(m.Update(uitest.Key(key))))
			// Read-only too: the root's guard refuses, saying why.
			if !ok || got != (screen.MonitoringRequestedMsg{Stream: "orders", Enable: enable}) {
				t.Errorf("%s asked %+v (%v)", key, got, ok)
			}
		}
		out := plainView(m)
		if !strings.Contains(out, "Shard-level metrics are off") || strings.Contains(out, "e turns them on") == ro {
			t.Errorf("read-only %v: the off statement:\n%s", ro, out)
		}
		m.Close()
	}
}
