package streams

import (
	"context"
	"strings"
	"testing"

	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/kinspect/kinspect/ui/theme"
)

// fakeRates gives each stream an incoming rate; a missing one has no
// data point.
type fakeRates map[string]float64

func (f fakeRates) StreamIncoming(_ context.Context, n string) (float64, bool, error) {
	v, ok := f[n]
	return v, ok, nil
}

func TestThroughputColumn(t *testing.T) {
	for _, w := range []int{60, 100, 140} {
		st := theme.New(theme.Plain())
		m := New(context.Background(), 1, threeStreams(), &st, false)
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
