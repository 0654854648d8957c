package metricsview

import (
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/kinspect/kinspect/ui/theme"
)

// TestClickSelectsARow: a click on a shard's line (Y counted from the
// view's first line) selects that shard; a click above the rows does not.
func TestClickSelectsARow(t *testing.T) {
	for _, w := range []int{80, 120} {
		src := &fakeSource{data: func(time.Duration) Data { return report(true) }}
		m := newModel(t, src, false, w, 24, theme.New(theme.Plain()))
		y := -1
		for i, l := range strings.Split(plain(m), "\n") {
			if strings.HasPrefix(l, "2 ") || strings.HasPrefix(l, "shardId-000000000002") {
				y = i
			}
		}
		if y < 0 {
			t.Fatalf("%d: no row of shard 2:\n%s", w, plain(m))
		}
		m.Update(tea.MouseClickMsg{Button: tea.MouseLeft, Y: y})
		if got := m.rows[m.cur.Pos].ID; got != "shardId-000000000002" {
			t.Errorf("%d: a click on line %d selected %s", w, y, got)
		}
		m.Update(tea.MouseClickMsg{Button: tea.MouseLeft, Y: y - 3})
		m.Update(tea.MouseClickMsg{Button: tea.MouseLeft, Y: 0})
		if got := m.rows[m.cur.Pos].ID; got != "shardId-000000000002" {
			t.Errorf("%d: a click above the rows selected %s", w, got)
		}
	}
}
