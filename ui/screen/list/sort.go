package list

import (
	"slices"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/kinspect/kinspect/ui/keys"
	"github.com/kinspect/kinspect/ui/scroll"
	"github.com/kinspect/kinspect/ui/theme"
)

// SortOption is one order a table can be put in.
type SortOption struct {
	// Key picks it in the picker ("r").
	Key string
	// Name is what the picker and a title call it ("records %").
	Name string
	// Column is the title of the column whose header shows the order
	// ("IN REC/s"); "" marks no column.
	Column string
	// Desc is its first direction: heaviest first for a load.
	Desc bool
}

// Sort is a table's order and its picker: the sort key (keys.NewSort)
// opens the picker, an option's key picks it, the same key again flips the
// direction, "-" goes back to the order the rows are listed in, esc closes
// the picker. The zero Sort (or one with no active option) keeps the
// listed order.
type Sort struct {
	// Options are the orders the picker offers.
	Options []SortOption
	active  int // index into Options; -1: as listed
	desc    bool
	picking bool
	open    key.Binding
}

// NewSort builds a table's sort with its options, in the listed order.
func NewSort(opts ...SortOption) Sort {
	return Sort{Options: opts, active: -1, open: keys.NewSort()}
}

// Binding is the key that opens the picker, for help.
func (s Sort) Binding() key.Binding { return s.open }

// Picking reports whether the picker waits for a choice: the screen then
// captures every key (esc closes the picker, not the screen).
func (s Sort) Picking() bool { return s.picking }

// Key handles a key press. handled says the key was the sort's (the
// screen does nothing else with it); changed says the order changed.
func (s *Sort) Key(msg tea.KeyPressMsg) (handled, changed bool) {
	if !s.picking {
		if len(s.Options) > 0 && key.Matches(msg, s.open) {
			s.picking = true
			return true, false
		}
		return false, false
	}
	k := msg.String()
	switch k {
	case "esc":
		s.picking = false
		return true, false
	case "-":
		s.picking = false
		changed = s.active >= 0
		s.active = -1
		return true, changed
	}
	for i, o := range s.Options {
		if o.Key != k {
			continue
		}
		s.picking = false
		if i == s.active {
			s.desc = !s.desc
		} else {
			s.active, s.desc = i, o.Desc
		}
		return true, true
	}
	return true, false // an unknown key leaves the picker open
}

// Set puts the table in the order of the option picked by key, in the
// given direction; it reports whether there is such an option.
func (s *Sort) Set(key string, desc bool) bool {
	for i, o := range s.Options {
		if o.Key == key {
			s.active, s.desc = i, desc
			return true
		}
	}
	return false
}

// Active returns the option the table is sorted by (false: as listed).
func (s Sort) Active() (SortOption, bool) {
	if s.active < 0 || s.active >= len(s.Options) {
		return SortOption{}, false
	}
	return s.Options[s.active], true
}

// Desc reports whether the order is descending.
func (s Sort) Desc() bool { return s.desc }

// arrow is the direction's mark.
func (s Sort) arrow() string {
	if s.desc {
		return "↓"
	}
	return "↑"
}

// Label says the order, "records % ↓" ("" when as listed).
func (s Sort) Label() string {
	o, ok := s.Active()
	if !ok {
		return ""
	}
	return o.Name + " " + s.arrow()
}

// Prompt is the picker's line: each option's key and name.
func (s Sort) Prompt(st *theme.Styles) string {
	var b strings.Builder
	b.WriteString(st.Accent.Render("sort: "))
	for i, o := range s.Options {
		if i > 0 {
			b.WriteString(st.Muted.Render(" · "))
		}
		name := o.Name
		if i == s.active {
			name += " " + s.arrow() + " (again: flip)"
		}
		b.WriteString(st.Title.Render(o.Key) + " " + name)
	}
	b.WriteString(st.Muted.Render(" · ") + st.Title.Render("-") + " as listed" + st.Muted.Render(" · ") + st.Title.Render("esc"))
	return b.String()
}

// Mark returns the table with the sorted column's title followed by the
// direction ("IN REC/s ↓"), cut so the arrow stays in the column.
func (s Sort) Mark(t Table) Table {
	o, ok := s.Active()
	if !ok || o.Column == "" {
		return t
	}
	cols := slices.Clone(t.Columns)
	for i, c := range cols {
		if c.Title == o.Column {
			w := c.Width
			if c.Flex {
				w = 0
			}
			cols[i].Title = s.MarkTitle(c.Title, w)
		}
	}
	t.Columns = cols
	return t
}

// MarkTitle marks a title with the direction in width cells (0: any
// width): "LAG ↓", or "IN REC/↓" when the column is narrow. A header drawn
// beside the table marks its own titles with it.
func (s Sort) MarkTitle(title string, width int) string {
	a := s.arrow()
	r := []rune(title)
	switch {
	case width <= 0 || len(r)+2 <= width:
		return title + " " + a
	case len(r)+1 <= width:
		return title + a
	case width >= 1:
		return string(r[:width-1]) + a
	}
	return title
}

// Apply sorts rows stably in the active order: cmp compares two rows by an
// option's key in ascending order; known, if set, says whether a row has a
// value for the key, and rows without one come last in either direction.
// As listed, rows are left alone.
func Apply[T any](s Sort, rows []T, cmp func(key string, a, b T) int, known func(key string, r T) bool) {
	o, ok := s.Active()
	if !ok {
		return
	}
	slices.SortStableFunc(rows, func(a, b T) int {
		if known != nil {
			ka, kb := known(o.Key, a), known(o.Key, b)
			switch {
			case ka && !kb:
				return -1
			case !ka && kb:
				return 1
			case !ka:
				return 0
			}
		}
		c := cmp(o.Key, a, b)
		if s.desc {
			c = -c
		}
		return c
	})
}

// Click selects the row under a left click and reports whether it hit
// one. y counts lines from the view's first line, and the table's rows
// start at line top (the lines above the table and its header).
func Click(msg tea.MouseClickMsg, top int, c *scroll.Cursor) bool {
	if msg.Button != tea.MouseLeft || msg.Y < top {
		return false
	}
	start, end := c.Window()
	row := start + msg.Y - top
	if row >= end {
		return false
	}
	c.Set(row)
	return true
}
