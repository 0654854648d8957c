package tail

import (
	"fmt"
	"strings"
	"time"

	"github.com/charmbracelet/x/ansi"

	"github.com/kinspect/kinspect/kinesisx"
	"github.com/kinspect/kinspect/ui/cell"
	"github.com/kinspect/kinspect/ui/screen/list"
	"github.com/kinspect/kinspect/ui/theme"
)

// rowLayout is the records list's columns: which optional ones show and
// the zone of the TIME column.
type rowLayout struct {
	seq, size bool
	loc       *time.Location
	zone      string
}

// allColumns is the layout with every column, in UTC.
var allColumns = rowLayout{seq: true, size: true, loc: time.UTC, zone: "UTC"}

// table is the list's columns: the payload takes what the others leave,
// less one blank cell at the end of the row.
func (l rowLayout) table(payload string) list.Table {
	cols := make([]list.Column, 0, 6)
	cols = append(cols, list.Column{Title: "TIME " + l.zone, Width: wTime}, list.Column{Title: "SHARD", Width: wShard, Align: list.Right})
	if l.seq {
		cols = append(cols, list.Column{Title: "SEQUENCE", Width: wSeq})
	}
	cols = append(cols, list.Column{Title: "KEY", Width: wKey})
	if l.size {
		cols = append(cols, list.Column{Title: "SIZE", Width: wSize, Align: list.Right})
	}
	return list.Table{Columns: append(cols, list.Column{Title: payload, Width: 1, Flex: true}), Margin: 1}
}

// prefix is the width of the columns before the payload, with their
// separators (the one before the payload included).
func (l rowLayout) prefix() int {
	w := wTime + wShard + wKey + 3
	if l.seq {
		w += wSeq + 1
	}
	if l.size {
		w += wSize + 1
	}
	return w
}

// previewWidth is the payload column's width in a list width cells wide.
func (l rowLayout) previewWidth(width int) int { return max(width-l.prefix()-1, 1) }

// payloadTitle is the payload column's title: hoff > 0 says the payload
// is scrolled, wrap that it is wrapped.
func payloadTitle(hoff int, wrap bool) string {
	switch {
	case wrap:
		return "PAYLOAD (wrapped: w)"
	case hoff > 0:
		return fmt.Sprintf("PAYLOAD from cell %d (left/right)", hoff+1)
	}
	return "PAYLOAD"
}

// recordCells are a record's cells in the layout's columns.
func recordCells(st theme.Styles, r *kinesisx.Record, preview string, l rowLayout) []string {
	cells := make([]string, 0, 6)
	cells = append(cells, st.Fast.Muted.Paint(r.ArrivedAt.In(l.loc).Format("15:04:05.000")),
		st.Fast.Accent.Paint(cell.ShortShardID(r.ShardID)))
	if l.seq {
		cells = append(cells, st.Fast.Muted.Paint(seqSuffix(r)))
	}
	cells = append(cells, sanitize(r.PartitionKey))
	if l.size {
		cells = append(cells, cell.Bytes(float64(len(r.Data))))
	}
	return append(cells, preview)
}

// chunks cuts a one-line preview into pieces of width cells.
func chunks(s string, width int) []string {
	if s == "" {
		return []string{""}
	}
	return strings.Split(ansi.Hardwrap(s, max(width, 1), true), "\n")
}

// preview is the payload text of list row i: the visible part of one
// line, or (wrapped) up to wrapMax lines' worth, cached by absolute index.
func (m *Model) preview(abs uint64, pw int) string {
	if p, ok := m.previews[abs]; ok {
		return p
	}
	data := m.buf.at(abs).Data
	var p string
	switch {
	case m.look.wrap:
		p = m.dec.Preview(data, pw*wrapMax)
	case m.look.hoff > 0:
		p = ansi.Cut(m.dec.Preview(data, m.look.hoff+pw), m.look.hoff, m.look.hoff+pw)
	default:
		p = m.dec.Preview(data, pw)
	}
	m.previews[abs] = p
	return p
}

// listRows renders the header and the visible records in h lines of
// width cells. list.Table lays the rows out; the window is the tail's
// own, as a wrapped record takes several lines.
func (m *Model) listRows(width, h int, l rowLayout) []string {
	pw := l.previewWidth(width)
	if k := (previewKey{pw, m.look.hoff, m.look.wrap}); k != m.look.pkey {
		clear(m.previews)
		m.look.pkey = k
	}
	t := l.table(payloadTitle(m.look.hoff, m.look.wrap))
	out := make([]string, 0, h+1)
	out = append(out, m.st.Header.Render(t.Header(width)))
	start, end := m.cur.Window()
	if m.look.wrap {
		start = m.wrapStart(start, h, pw)
		end = m.rows()
	}
	var more []string // a wrapped record's continuation lines
	for i := start; i < end && len(out) <= h; i++ {
		abs := m.rowAbs(i)
		r, p := m.buf.at(abs), m.preview(abs, pw)
		if m.look.wrap {
			parts := chunks(p, pw)
			p, more = parts[0], parts[1:]
		}
		line := t.Line(recordCells(*m.st, r, p, l), width)
		if i == m.cur.Pos {
			line = m.st.Selected.Render(ansi.Strip(line)) // one solid highlight: inner resets would break it
		}
		out = append(out, line)
		for _, c := range more {
			line = cell.Fit(strings.Repeat(" ", l.prefix())+c, width)
			if i == m.cur.Pos {
				line = m.st.Selected.Render(line)
			}
			out = append(out, line)
		}
	}
	return out[:min(len(out), h+1)]
}

// wrapStart is the first row drawn when rows take several lines: the
// cursor's window start, moved down until the cursor's row fits in h lines.
func (m *Model) wrapStart(start, h, pw int) int {
	n := 0
	for i := start; i <= m.cur.Pos; i++ {
		n += len(chunks(m.preview(m.rowAbs(i), pw), pw))
	}
	for n > h && start < m.cur.Pos {
		n -= len(chunks(m.preview(m.rowAbs(start), pw), pw))
		start++
	}
	return start
}
