package list

import (
	"cmp"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/kinspect/kinspect/ui/internal/uitest"
	"github.com/kinspect/kinspect/ui/scroll"
	"github.com/kinspect/kinspect/ui/theme"
)

type item struct {
	name string
	n    int
	ok   bool
}

func byKey(k string, a, b item) int {
	if k == "n" {
		return cmp.Compare(a.n, b.n)
	}
	return strings.Compare(a.name, b.name)
}

func known(k string, r item) bool { return k != "n" || r.ok }

func names(rows []item) string {
	var out []string
	for _, r := range rows {
		out = append(out, r.name)
	}
	return strings.Join(out, " ")
}

func keyPress(s *Sort, keys ...string) (handled, changed bool) {
	for _, k := range keys {
		handled, changed = s.Key(uitest.Key(k))
	}
	return handled, changed
}

func TestSortPickerAndApply(t *testing.T) {
	s := NewSort(SortOption{Key: "a", Name: "name", Column: "NAME"}, SortOption{Key: "n", Name: "count", Column: "N", Desc: true})
	rows := func() []item {
		return []item{{"d", 2, true}, {"b", 0, false}, {"a", 2, true}, {"c", 5, true}}
	}
	r := rows()
	Apply(s, r, byKey, known)
	if names(r) != "d b a c" {
		t.Errorf("as listed, rows stay: %s", names(r))
	}
	if h, _ := keyPress(&s, "x"); h || s.Picking() {
		t.Error("a key other than o is not the sort's")
	}
	if h, c := keyPress(&s, "o"); !h || c || !s.Picking() {
		t.Fatal("o opens the picker")
	}
	if h, c := keyPress(&s, "z"); !h || c || !s.Picking() {
		t.Error("an unknown key is swallowed and keeps the picker open")
	}
	if h, c := keyPress(&s, "n"); !h || !c || s.Picking() || !s.Desc() || s.Label() != "count ↓" {
		t.Errorf("n picks count in its first direction: %q", s.Label())
	}
	r = rows()
	Apply(s, r, byKey, known)
	// Descending, stable among equals (d before a), unknown last.
	if names(r) != "c d a b" {
		t.Errorf("count ↓: %s", names(r))
	}
	keyPress(&s, "o", "n")
	r = rows()
	Apply(s, r, byKey, known)
	if names(r) != "d a c b" || s.Label() != "count ↑" {
		t.Errorf("count ↑ (again flips; unknown still last): %s %q", names(r), s.Label())
	}
	if _, c := keyPress(&s, "o", "esc"); c || s.Picking() || s.Label() != "count ↑" {
		t.Error("esc closes the picker and keeps the order")
	}
	keyPress(&s, "o", "a")
	r = rows()
	Apply(s, r, byKey, nil)
	if names(r) != "a b c d" {
		t.Errorf("name ↑: %s", names(r))
	}
	if _, c := keyPress(&s, "o", "-"); !c || s.Label() != "" {
		t.Error("- goes back to the listed order")
	}
	if _, c := keyPress(&s, "o", "-"); c {
		t.Error("- when already as listed changes nothing")
	}
	if !s.Set("n", false) || s.Label() != "count ↑" || s.Set("q", true) {
		t.Error("Set picks an option by key and refuses an unknown one")
	}
	var none Sort
	if h, _ := none.Key(uitest.Key("o")); h {
		t.Error("a sort without options opens no picker")
	}
}

func TestSortMarksTheHeader(t *testing.T) {
	s := NewSort(SortOption{Key: "n", Name: "n", Column: "N"}, SortOption{Key: "s", Name: "state", Column: "STATE"},
		SortOption{Key: "x", Name: "name", Column: "NAME"})
	if got := s.Mark(table).Header(20); got != table.Header(20) {
		t.Errorf("unsorted header changed: %q", got)
	}
	s.Set("n", true)
	if got := s.Mark(table).Header(20); got != "NAME      N ↓ STATE " {
		t.Errorf("header %q", got)
	}
	if table.Columns[1].Title != "N" {
		t.Error("Mark must not change the table it was given")
	}
	s.Set("s", false) // STATE is 6 wide: no room for the space
	if got := s.Mark(table).Header(20); got != "NAME        N STATE↑" {
		t.Errorf("header %q", got)
	}
	s.Set("x", true) // a flexible column grows with the text
	if got := s.Mark(table).Header(20); got != "NAME ↓      N STATE " {
		t.Errorf("header %q", got)
	}
	for _, c := range []struct {
		title string
		w     int
		want  string
	}{{"IN REC/s", 10, "IN REC/s ↓"}, {"IN REC/s", 9, "IN REC/s↓"}, {"IN REC/s", 8, "IN REC/↓"}, {"LAG", 0, "LAG ↓"}} {
		if got := s.MarkTitle(c.title, c.w); got != c.want {
			t.Errorf("MarkTitle(%q, %d) = %q, want %q", c.title, c.w, got, c.want)
		}
	}
	st := theme.New(theme.Plain())
	p := ansi.Strip(s.Prompt(&st))
	for _, want := range []string{"sort: ", "n n", "s state", "x name ↓ (again: flip)", "- as listed", "esc"} {
		if !strings.Contains(p, want) {
			t.Errorf("prompt %q lacks %q", p, want)
		}
	}
}

func TestClickSelectsTheRowUnderIt(t *testing.T) {
	c := scroll.Cursor{}
	c.SetHeight(3)
	c.SetLen(10)
	c.Set(8) // window 6..8
	click := func(y int, b tea.MouseButton) bool {
		return Click(tea.MouseClickMsg{Y: y, Button: b}, 2, &c)
	}
	if !click(3, tea.MouseLeft) || c.Pos != 7 {
		t.Errorf("line 3 is the window's second row (7): %d", c.Pos)
	}
	for _, y := range []int{0, 1, 5, 40} {
		if click(y, tea.MouseLeft) || c.Pos != 7 {
			t.Errorf("line %d holds no row: cursor %d", y, c.Pos)
		}
	}
	if click(2, tea.MouseRight) || c.Pos != 7 {
		t.Error("only the left button selects")
	}
	short := scroll.Cursor{}
	short.SetHeight(5)
	short.SetLen(2)
	if Click(tea.MouseClickMsg{Y: 4, Button: tea.MouseLeft}, 1, &short) || short.Pos != 0 {
		t.Error("a click under the last row of a short list selects nothing")
	}
}
