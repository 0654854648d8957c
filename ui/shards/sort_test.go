package shards

import (
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/kinspect/kinspect/kinesisx"
	"github.com/kinspect/kinspect/ui/internal/uitest"
	"github.com/kinspect/kinspect/ui/screen"
)

// rates feeds live rates (records/s, bytes/s, lag ms) per shard, as a tail
// above would.
func feedRates(m *Model, at time.Time, rs map[int][3]float64) {
	shards := map[string]kinesisx.ShardProgress{}
	for i, r := range rs {
		shards[shardID(i)] = kinesisx.ShardProgress{MillisBehindLatest: int64(r[2]),
			Rates: kinesisx.Rates{RecordsPerSec1s: r[0], BytesPerSec1s: r[1]}}
	}
	m.Update(screen.ShardRatesMsg{Stream: "orders", At: at, Shards: shards})
}

// rowIDs are the shard IDs of the table's rows, top to bottom.
func rowIDs(m *Model) []string {
	var ids []string
	for _, l := range strings.Split(plainView(m), "\n") {
		if f := strings.Fields(l); len(f) > 1 && strings.HasPrefix(f[0], "shardId-") && (f[1] == "open" || f[1] == "closed") {
			ids = append(ids, f[0])
		}
	}
	return ids
}

func press(m *Model, keys ...string) {
	for _, k := range keys {
		m.Update(uitest.Key(k))
	}
}

func headerLine(t *testing.T, m *Model) string {
	t.Helper()
	for _, l := range strings.Split(plainView(m), "\n") {
		if strings.Contains(l, "SHARD") && strings.Contains(l, "STATE") {
			return l
		}
	}
	t.Fatalf("no header:\n%s", plainView(m))
	return ""
}

func TestSortByRecordsLoadLagIDState(t *testing.T) {
	for _, w := range []int{80, 120} {
		m := newLoaded(t, evenShards(4), false, w, 12)
		t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
		// records/s, bytes/s, lag: shard 2 is hot by records, 1 by bytes,
		// 3 lags most; shard 0 has no figure yet and sorts last.
		feedRates(m, t0, map[int][3]float64{1: {100, 900_000, 10}, 2: {950, 200_000, 20}, 3: {10, 1000, 9000}})
		press(m, "down") // the cursor on shard 1
		press(m, "o")
		if !m.Capturing() || !strings.Contains(plainView(m), "sort: ") || !strings.Contains(plainView(m), "r records %") {
			t.Fatalf("o should open the picker:\n%s", plainView(m))
		}
		press(m, "r")
		want := []string{shardID(2), shardID(1), shardID(3), shardID(0)}
		if got := rowIDs(m); strings.Join(got, " ") != strings.Join(want, " ") {
			t.Errorf("%d: by records %% ↓ got %v, want %v", w, got, want)
		}
		if h := headerLine(t, m); !strings.Contains(h, "IN REC/s ↓") && !strings.Contains(h, "IN REC/s↓") {
			t.Errorf("%d: header does not mark the sort: %q", w, h)
		}
		if m.Selected().ID != shardID(1) || m.Capturing() {
			t.Errorf("%d: the cursor left shard 1 (on %s), or the picker stayed open", w, m.Selected().ID)
		}
		press(m, "o", "r") // again: ascending; unknown still last
		want = []string{shardID(3), shardID(1), shardID(2), shardID(0)}
		if got := rowIDs(m); strings.Join(got, " ") != strings.Join(want, " ") {
			t.Errorf("%d: by records %% ↑ got %v, want %v", w, got, want)
		}
		if h := headerLine(t, m); !strings.Contains(h, "↑") {
			t.Errorf("%d: header lacks the ascending mark: %q", w, h)
		}
		press(m, "o", "b")
		if got := rowIDs(m); got[0] != shardID(1) {
			t.Errorf("%d: by load the byte-hot shard 1 comes first: %v", w, got)
		}
		press(m, "o", "l")
		if got := rowIDs(m); got[0] != shardID(3) || !strings.Contains(headerLine(t, m), "LAG ↓") {
			t.Errorf("%d: by lag shard 3 comes first and LAG is marked: %v %q", w, got, headerLine(t, m))
		}
		press(m, "o", "i", "o", "i")
		if got := rowIDs(m); got[0] != shardID(3) || got[3] != shardID(0) {
			t.Errorf("%d: by ID descending: %v", w, got)
		}
		press(m, "o", "-")
		if got := rowIDs(m); got[0] != shardID(0) || strings.Contains(headerLine(t, m), "↓") {
			t.Errorf("%d: - goes back to the listed order: %v", w, got)
		}
		if m.Selected().ID != shardID(1) {
			t.Errorf("%d: the cursor should follow shard 1 through every order, on %s", w, m.Selected().ID)
		}
	}
}

func TestSortFollowsRefreshesAndPickerEsc(t *testing.T) {
	m := newLoaded(t, evenShards(3), false, 120, 10)
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	feedRates(m, t0, map[int][3]float64{0: {500, 0, 0}, 1: {100, 0, 0}, 2: {10, 0, 0}})
	press(m, "o", "r")
	press(m, "end") // shard 2, last
	if m.Selected().ID != shardID(2) {
		t.Fatalf("on %s, want shard 2", m.Selected().ID)
	}
	// Shard 2 becomes the hottest: it moves up, the cursor with it.
	feedRates(m, t0.Add(time.Second), map[int][3]float64{0: {10, 0, 0}, 1: {500, 0, 0}, 2: {900, 0, 0}})
	if got := rowIDs(m); got[0] != shardID(2) || m.Selected().ID != shardID(2) || m.cur.Pos != 0 {
		t.Errorf("re-sort: rows %v, cursor on %s at %d", got, m.Selected().ID, m.cur.Pos)
	}
	// A reload keeps the order and the cursor.
	m.setShards(m.stream, evenShards(3))
	if got := rowIDs(m); got[0] != shardID(2) || m.Selected().ID != shardID(2) {
		t.Errorf("after a reload: rows %v, cursor on %s", got, m.Selected().ID)
	}
	// esc closes the picker without changing the order; other keys wait.
	press(m, "o", "z")
	if !m.Capturing() {
		t.Error("an unknown key should leave the picker open")
	}
	press(m, "esc")
	if m.Capturing() || rowIDs(m)[0] != shardID(2) {
		t.Errorf("esc should close the picker and keep the order: %v", rowIDs(m))
	}
}

func TestSortByStateAndHideClosed(t *testing.T) {
	for _, w := range []int{80, 120} {
		m := newLoaded(t, splitLineage(), false, w, 12)
		press(m, "o", "s")
		want := []string{shardID(1), shardID(4), shardID(0), shardID(2), shardID(3)}
		if got := rowIDs(m); strings.Join(got, " ") != strings.Join(want, " ") {
			t.Errorf("%d: by state (open first, stable): %v, want %v", w, got, want)
		}
		press(m, "end") // shard 3, closed
		press(m, "c")
		if got := rowIDs(m); strings.Join(got, " ") != shardID(1)+" "+shardID(4) {
			t.Errorf("%d: c should hide the closed shards: %v", w, got)
		}
		if out := plainView(m); !strings.Contains(out, "3 closed hidden (c)") {
			t.Errorf("%d: the title should say how many are hidden:\n%s", w, out)
		}
		if m.Selected().ID == "" || m.cur.Len != 2 {
			t.Errorf("%d: the cursor should stay on a shown row: %q of %d", w, m.Selected().ID, m.cur.Len)
		}
		press(m, "l") // the tree shows every shard
		if !strings.Contains(plainView(m), shardID(3)) || strings.Contains(plainView(m), "closed hidden") || m.cur.Len != 5 {
			t.Errorf("%d: lineage should show the whole tree:\n%s", w, plainView(m))
		}
		press(m, "l", "c")
		if len(rowIDs(m)) != 5 {
			t.Errorf("%d: c again shows the closed shards: %v", w, rowIDs(m))
		}
	}
}

func TestClickSelectsARow(t *testing.T) {
	for _, w := range []int{80, 120} {
		m := newLoaded(t, evenShards(10), false, w, 8) // title, info, header, 5 rows
		press(m, "end")                                // window on shards 5..9
		lines := strings.Split(plainView(m), "\n")
		m.Update(tea.MouseClickMsg{Button: tea.MouseLeft, Y: 4, X: 3})
		if got := m.Selected().ID; got != shardID(6) || !strings.HasPrefix(lines[4], shardID(6)) {
			t.Errorf("%d: clicked line 4 (%q), selected %s", w, lines[4], got)
		}
		for _, y := range []int{0, 1, 2, 9} {
			m.Update(tea.MouseClickMsg{Button: tea.MouseLeft, Y: y})
			if m.Selected().ID != shardID(6) {
				t.Errorf("%d: a click on line %d (not a row) moved the cursor to %s", w, y, m.Selected().ID)
			}
		}
		m.Update(tea.MouseClickMsg{Button: tea.MouseRight, Y: 3})
		if m.Selected().ID != shardID(6) {
			t.Errorf("%d: a right click selected %s", w, m.Selected().ID)
		}
		press(m, "o", "i", "o", "i") // descending: 9 on top
		m.Update(tea.MouseClickMsg{Button: tea.MouseLeft, Y: 3})
		start, _ := m.cur.Window()
		if got := m.Selected().ID; got != m.shards[m.order(start)].ID {
			t.Errorf("%d: a click on the first row selected %s", w, got)
		}
	}
}
