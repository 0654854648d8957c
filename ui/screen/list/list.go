// Package list is the one windowed table the screens draw: columns declared
// once (title, width rule, alignment), rows given as cells, and a page that
// lays out the lines above the table, the header, the visible rows with the
// cursor row selected, an empty-list message and the padding to the
// screen's height. A sort column shown in the header belongs here, once,
// for every screen.
package list

import (
	"strings"

	"github.com/charmbracelet/x/ansi"

	"github.com/kinspect/kinspect/ui/cell"
	"github.com/kinspect/kinspect/ui/scroll"
	"github.com/kinspect/kinspect/ui/theme"
)

// Align is where a cell's text sits in its column.
type Align int

const (
	// Left pads on the right (text).
	Left Align = iota
	// Right pads on the left (numbers).
	Right
)

// Column is one column of a table.
type Column struct {
	// Title is the column's header text.
	Title string
	// Width is the column's width in cells; for a flexible column, its
	// minimum.
	Width int
	// Flex columns share the width the fixed columns and the one-space
	// gaps between columns leave.
	Flex bool
	// Align places the text in the column.
	Align Align
}

// Table is a list of columns laid out at a width.
type Table struct {
	// Columns are the table's columns, left to right.
	Columns []Column
	// Margin is the cells the flexible columns leave blank at the end of
	// the row; a narrow row's columns spill into it.
	Margin int
}

// Widths returns each column's width in a row width cells wide.
func (t Table) Widths(width int) []int {
	fixed, flex := max(len(t.Columns)-1, 0)+t.Margin, 0
	for _, c := range t.Columns {
		if c.Flex {
			flex++
			continue
		}
		fixed += c.Width
	}
	ws := make([]int, len(t.Columns))
	left := width - fixed
	for i, c := range t.Columns {
		switch {
		case !c.Flex:
			ws[i] = c.Width
		default:
			share := left / flex
			left -= share
			flex--
			ws[i] = max(share, c.Width)
		}
	}
	return ws
}

// Line lays out one row's cells, one per column (missing ones blank), at
// exactly width cells.
func (t Table) Line(cells []string, width int) string {
	ws := t.Widths(width)
	parts := make([]string, len(t.Columns))
	for i, c := range t.Columns {
		text := ""
		if i < len(cells) {
			text = cells[i]
		}
		if c.Align == Right {
			parts[i] = cell.FitLeft(text, ws[i])
		} else {
			parts[i] = cell.Fit(text, ws[i])
		}
	}
	return cell.Fit(strings.Join(parts, " "), width)
}

// Header lays out the columns' titles at exactly width cells.
func (t Table) Header(width int) string {
	titles := make([]string, len(t.Columns))
	for i, c := range t.Columns {
		titles[i] = c.Title
	}
	return t.Line(titles, width)
}

// Page is one view of a list: what View needs to draw it.
type Page struct {
	// Width and Height are the screen's size.
	Width, Height int
	// Styles draw the header, the selection and the empty message.
	Styles *theme.Styles
	// Above are the lines over the header (a title, a confirmation),
	// each fitted to the width.
	Above []string
	// Table are the columns; a table without columns draws neither
	// header nor rows.
	Table Table
	// TableWidth is the width of the table's columns; zero is Width. A
	// screen drawing a column of its own beside the table (Beside) makes
	// it narrower.
	TableWidth int
	// Cursor is the selected row and the visible window of rows.
	Cursor scroll.Cursor
	// Cells returns the cells of row i.
	Cells func(i int) []string
	// Beside, if set, draws what follows row i, outside the selection.
	Beside func(i int) string
	// HeaderBeside follows the header, in the header's style.
	HeaderBeside string
	// Empty, if set, is shown muted when the list has no rows.
	Empty string
	// Below are lines pinned to the bottom of the screen (a detail pane).
	Below []string
}

// Render draws the page: exactly Height lines of exactly Width cells (the
// Below lines as they are). The selected row is drawn in the selection's
// style alone, without its cells' colours.
func (p Page) Render() string {
	if p.Width <= 0 || p.Height <= 0 {
		return ""
	}
	tw := p.TableWidth
	if tw <= 0 {
		tw = p.Width
	}
	lines := make([]string, 0, p.Height)
	for _, l := range p.Above {
		lines = append(lines, cell.Fit(l, p.Width))
	}
	start, end := p.Cursor.Window()
	if len(p.Table.Columns) == 0 {
		start, end = 0, 0
	} else {
		lines = append(lines, p.Styles.Header.Render(p.Table.Header(tw)+p.HeaderBeside))
	}
	for i := start; i < end; i++ {
		line := p.Table.Line(p.Cells(i), tw)
		if i == p.Cursor.Pos {
			line = p.Styles.Selected.Render(ansi.Strip(line))
		}
		if p.Beside != nil {
			line += p.Beside(i)
		}
		lines = append(lines, cell.Fit(line, p.Width))
	}
	if p.Cursor.Len == 0 && p.Empty != "" {
		lines = append(lines, p.Styles.Muted.Render(cell.Fit(p.Empty, p.Width)))
	}
	for len(lines) < p.Height-len(p.Below) {
		lines = append(lines, "")
	}
	lines = append(lines, p.Below...)
	for len(lines) < p.Height {
		lines = append(lines, "")
	}
	return strings.Join(lines[:p.Height], "\n")
}
