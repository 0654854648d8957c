package metricsview

import (
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/kinspect/kinspect/ui/internal/uitest"
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

// TestSortByRecords: o r puts the shards by incoming records, heaviest
// first, the one without data last; the cursor stays on its shard.
func TestSortByRecords(t *testing.T) {
	for _, w := range []int{80, 120} {
		src := &fakeSource{data: func(time.Duration) Data { return report(true) }}
		m := newModel(t, src, false, w, 24, theme.New(theme.Plain()))
		m.Update(uitest.Key("down")) // shard 1
		m.Update(uitest.Key("o"))
		if !m.Capturing() || !strings.Contains(plain(m), "r in records") {
			t.Fatalf("%d: o opens the picker:\n%s", w, plain(m))
		}
		m.Update(uitest.Key("r"))
		var ids []string
		for _, s := range m.rows {
			ids = append(ids, s.ID[len(s.ID)-1:])
		}
		if got := strings.Join(ids, ""); got != "2103" {
			t.Errorf("%d: by records ↓: %s, want 2103", w, got)
		}
		if !strings.Contains(plain(m), "REC/s↓") && !strings.Contains(plain(m), "REC/s ↓") {
			t.Errorf("%d: the header should mark REC/s:\n%s", w, plain(m))
		}
		if m.rows[m.cur.Pos].ID != "shardId-000000000001" {
			t.Errorf("%d: the cursor left shard 1: %s", w, m.rows[m.cur.Pos].ID)
		}
		src.data = func(time.Duration) Data { return report(true) }
		for _, msg := range uitest.Msgs(m.load()) {
			m.Update(msg)
		}
		if m.rows[0].ID != "shardId-000000000002" || m.rows[m.cur.Pos].ID != "shardId-000000000001" {
			t.Errorf("%d: a reload keeps the order and the cursor", w)
		}
	}
}
