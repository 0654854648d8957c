package streams

import (
	"context"
	"strings"
	"testing"

	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/kinspect/kinspect/kinesisx"
	"github.com/kinspect/kinspect/ui/screen"
	"github.com/kinspect/kinspect/ui/theme"
)

// fakeRates gives each stream an incoming rate; a missing one has no
// data point.
type fakeRates map[string]float64

func (f fakeRates) StreamLoad(_ context.Context, st kinesisx.Stream) (Load, error) {
	v, ok := f[st.Name]
	return Load{OK: ok, BytesPerSec: v}, nil
}

// fakeLoads gives each stream its load.
type fakeLoads map[string]Load

func (f fakeLoads) StreamLoad(_ context.Context, st kinesisx.Stream) (Load, error) {
	return f[st.Name], nil
}

// TestHottestShardShows: a stream at a low average can have a shard at its
// limit; the list shows the hottest shard's bytes and records, and says
// "avg" when only the average is known (shard-level metrics off).
func TestHottestShardShows(t *testing.T) {
	st := theme.New(theme.Plain())
	m := New(context.Background(), 1, screen.Common{Styles: &st, ReadOnly: false}, threeStreams())
	m.SetMetrics(fakeLoads{
		"orders": {OK: true, BytesPerSec: 600 << 10, HotShard: "shardId-000000000004", HotBytes: 0.97, HotRecords: 0.42},
		"clicks": {OK: true, BytesPerSec: 100 << 10, HotBytes: 0.02, HotRecords: 0.31},
	})
	m.SetRefresh(0)
	m.SetSize(140, 8)
	feed(m, m.Init())
	out := ansi.Strip(m.View())
	if !strings.Contains(out, "HOTTEST SHARD") {
		t.Fatalf("no hottest-shard column:\n%s", out)
	}
	for name, want := range map[string]string{"orders": "B 97% R 42%", "clicks": "avg B 2% R 31%"} {
		var line string
		for _, l := range strings.Split(out, "\n") {
			if strings.HasPrefix(l, name) {
				line = l
			}
		}
		if !strings.Contains(line, want) {
			t.Errorf("%s row %q, want %q", name, line, want)
		}
	}
}

func TestThroughputColumn(t *testing.T) {
	for _, w := range []int{60, 100, 140} {
		st := theme.New(theme.Plain())
		m := New(context.Background(), 1, screen.Common{Styles: &st, ReadOnly: false}, threeStreams())
		m.SetMetrics(fakeRates{"orders": 6 << 20 * 0.5}) // orders: 6 open shards, 6 MiB/s limit
		m.SetRefresh(0)
		m.SetSize(w, 8)
		feed(m, m.Init())
		out := ansi.Strip(m.View())
		if w >= 100 {
			if !strings.Contains(out, "IN (CloudWatch)") || !strings.Contains(out, "  50%") {
				t.Errorf("width %d: want the throughput column with orders at 50%%:\n%s", w, out)
			}
			for _, l := range strings.Split(out, "\n") {
				if strings.HasPrefix(l, "clicks") && !strings.HasSuffix(strings.TrimRight(l, " "), "–") {
					t.Errorf("a stream without data shows –: %q", l)
				}
			}
		} else if strings.Contains(out, "IN (CloudWatch)") {
			t.Errorf("width %d is too narrow for the column:\n%s", w, out)
		}
		for _, l := range strings.Split(m.View(), "\n") {
			if lipgloss.Width(l) > w {
				t.Errorf("width %d: line %q too wide", w, ansi.Strip(l))
			}
		}
	}
}
