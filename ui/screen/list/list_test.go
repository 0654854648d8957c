package list

import (
	"strings"
	"testing"

	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/kinspect/kinspect/ui/scroll"
	"github.com/kinspect/kinspect/ui/theme"
)

var table = Table{Columns: []Column{
	{Title: "NAME", Width: 4, Flex: true},
	{Title: "N", Width: 3, Align: Right},
	{Title: "STATE", Width: 6},
}}

func TestWidthsGiveFlexWhatIsLeft(t *testing.T) {
	for _, c := range []struct{ width, name int }{{20, 9}, {14, 4}, {5, 4}} {
		ws := table.Widths(c.width)
		if ws[0] != c.name || ws[1] != 3 || ws[2] != 6 {
			t.Errorf("width %d: widths %v, want name %d", c.width, ws, c.name)
		}
	}
}

func TestMarginIsLeftBlankUnlessTheRowIsNarrow(t *testing.T) {
	m := Table{Columns: table.Columns, Margin: 2}
	if got := m.Line([]string{"orders", "12", "ACTIVE"}, 20); got != "orders   12 ACTIVE  " {
		t.Errorf("wide row %q", got)
	}
	if got := m.Line([]string{"orders", "12", "ACTIVE"}, 13); got != "ord…  12 ACT…" {
		t.Errorf("narrow row %q", got)
	}
}

func TestLineAlignsAndFits(t *testing.T) {
	got := table.Line([]string{"orders", "12", "ACTIVE"}, 20)
	if want := "orders     12 ACTIVE"; got != want {
		t.Errorf("line %q, want %q", got, want)
	}
	if got := table.Line([]string{"a-very-long-name"}, 20); got != "a-very-l…           " {
		t.Errorf("missing cells are blank and long ones cut: %q", got)
	}
	if got := table.Header(20); got != "NAME        N STATE " {
		t.Errorf("header %q", got)
	}
}

func TestRenderWindowSelectionEmptyAndPadding(t *testing.T) {
	st := theme.New(theme.Plain())
	rows := []string{"a", "b", "c", "d", "e"}
	cur := scroll.Cursor{}
	cur.SetHeight(2)
	cur.SetLen(len(rows))
	cur.Set(3)
	p := Page{Width: 20, Height: 5, Styles: &st, Above: []string{"title"}, Table: table, Cursor: cur,
		Cells: func(i int) []string { return []string{rows[i], "1"} }}
	lines := strings.Split(p.Render(), "\n")
	if len(lines) != 5 {
		t.Fatalf("%d lines, want 5", len(lines))
	}
	if lines[0] != "title               " || lines[1] != st.Header.Render(table.Header(20)) ||
		lines[2] != table.Line([]string{"c", "1"}, 20) || lines[4] != "" {
		t.Errorf("page:\n%s", strings.Join(lines, "\n"))
	}
	if lines[3] != st.Selected.Render(table.Line([]string{"d", "1"}, 20)) {
		t.Errorf("cursor row not selected: %q", lines[3])
	}
	for _, l := range lines[:4] {
		if lipgloss.Width(l) != 20 {
			t.Errorf("line %q is %d wide, want 20", l, lipgloss.Width(l))
		}
	}
	p.Cursor = scroll.Cursor{Height: 2}
	p.Empty = "nothing here"
	if lines := strings.Split(p.Render(), "\n"); lines[2] != st.Muted.Render("nothing here        ") {
		t.Errorf("empty list: %q", lines)
	}
	p.Beside = func(int) string { return "|x" }
	p.TableWidth = 18
	p.Cursor = cur
	if lines := strings.Split(p.Render(), "\n"); !strings.HasSuffix(lines[3], "|x") || lipgloss.Width(lines[3]) != 20 {
		t.Errorf("beside: %q", lines[3])
	}
}

func TestRenderPinsBelowAndSelectsWithoutCellColours(t *testing.T) {
	st := theme.New(theme.Dark())
	cur := scroll.Cursor{}
	cur.SetHeight(3)
	cur.SetLen(1)
	p := Page{Width: 12, Height: 6, Styles: &st, Table: table, Cursor: cur, Below: []string{"─", "detail"},
		Cells: func(int) []string { return []string{st.Hot.Render("x")} }}
	lines := strings.Split(p.Render(), "\n")
	if len(lines) != 6 || lines[4] != "─" || lines[5] != "detail" || lines[2] != "" {
		t.Errorf("below not pinned to the bottom: %q", lines)
	}
	if want := st.Selected.Render(ansi.Strip(table.Line([]string{"x"}, 12))); lines[1] != want {
		t.Errorf("selected row %q, want %q", lines[1], want)
	}
}

func TestRenderWithoutColumnsDrawsNoTable(t *testing.T) {
	st := theme.New(theme.Plain())
	p := Page{Width: 8, Height: 3, Styles: &st, Above: []string{"head"}, Cursor: scroll.Cursor{Len: 2, Height: 2},
		Cells: func(int) []string { t.Fatal("cells asked for without a table"); return nil }}
	if got := p.Render(); got != "head    \n\n" {
		t.Errorf("page %q", got)
	}
}
