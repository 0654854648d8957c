package tail

import (
	"fmt"
	"strings"
	"time"

	"github.com/charmbracelet/x/ansi"

	"github.com/kinspect/kinspect/kinesisx"
	"github.com/kinspect/kinspect/ui/draw"
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

// recordHeader renders the column titles; hoff > 0 says the payload is
// scrolled, wrap that it is wrapped.
func recordHeader(st theme.Styles, width int, l rowLayout, hoff int, wrap bool) string {
	cols := []string{draw.Fit("TIME "+l.zone, wTime), draw.FitLeft("SHARD", wShard)}
	if l.seq {
		cols = append(cols, draw.Fit("SEQUENCE", wSeq))
	}
	cols = append(cols, draw.Fit("KEY", wKey))
	if l.size {
		cols = append(cols, draw.FitLeft("SIZE", wSize))
	}
	p := "PAYLOAD"
	switch {
	case wrap:
		p += " (wrapped: w)"
	case hoff > 0:
		p += fmt.Sprintf(" from cell %d (left/right)", hoff+1)
	}
	return st.Header.Render(draw.Fit(strings.Join(append(cols, p), " "), width))
}

// recordRow renders one record's first line at exactly width cells.
func recordRow(st theme.Styles, r *kinesisx.Record, preview string, width int, l rowLayout) string {
	cols := []string{
		st.Ink.Muted.Paint(draw.Fit(r.ArrivedAt.In(l.loc).Format("15:04:05.000"), wTime)),
		st.Ink.Accent.Paint(draw.FitLeft(draw.ShortShardID(r.ShardID), wShard)),
	}
	if l.seq {
		cols = append(cols, st.Ink.Muted.Paint(draw.Fit(seqSuffix(r), wSeq)))
	}
	cols = append(cols, draw.Fit(sanitize(r.PartitionKey), wKey))
	if l.size {
		cols = append(cols, draw.FitLeft(draw.Bytes(float64(len(r.Data))), wSize))
	}
	return draw.Fit(strings.Join(append(cols, preview), " "), width)
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

// listRows renders the visible records in h lines of width cells.
func (m *Model) listRows(width, h int, l rowLayout) []string {
	pw := l.previewWidth(width)
	if k := (previewKey{pw, m.look.hoff, m.look.wrap}); k != m.look.pkey {
		clear(m.previews)
		m.look.pkey = k
	}
	start, end := m.cur.Window()
	if m.look.wrap {
		start = m.wrapStart(start, h, pw)
		end = m.rows()
	}
	out := make([]string, 0, h)
	blank := strings.Repeat(" ", l.prefix())
	for i := start; i < end && len(out) < h; i++ {
		abs := m.rowAbs(i)
		parts := []string{m.preview(abs, pw)}
		if m.look.wrap {
			parts = chunks(parts[0], pw)
		}
		lines := []string{recordRow(*m.st, m.buf.at(abs), parts[0], width, l)}
		for _, p := range parts[1:] {
			lines = append(lines, draw.Fit(blank+p, width))
		}
		for _, line := range lines {
			if i == m.cur.Pos {
				line = m.st.Selected.Render(ansi.Strip(line)) // one solid highlight: inner resets would break it
			}
			out = append(out, line)
		}
	}
	return out[:min(len(out), h)]
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
