package tail

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/charmbracelet/x/ansi"

	"github.com/kinspect/kinspect/kinesisx"
	"github.com/kinspect/kinspect/ui/draw"
	"github.com/kinspect/kinspect/ui/theme"
)

// column widths of the records list; the payload preview takes the rest.
const (
	wTime  = 12
	wShard = 6
	wSeq   = 12
	wKey   = 16
	wSize  = 8
	// fixedCols is the width of the fixed columns with their separators.
	fixedCols = wTime + wShard + wSeq + wKey + wSize + 5
	// sideDetailFrom is the width from which the detail pane goes on the
	// right instead of below.
	sideDetailFrom = 140
	maxShardLines  = 8
)

// previewWidth is the preview column width for a list width.
func previewWidth(width int) int { return max(width-fixedCols-1, 1) }

// recordHeader renders the column titles of the list.
func recordHeader(st theme.Styles, width int) string {
	s := strings.Join([]string{
		draw.Fit("TIME", wTime), draw.FitLeft("SHARD", wShard), draw.Fit("SEQUENCE", wSeq),
		draw.Fit("KEY", wKey), draw.FitLeft("SIZE", wSize), "PAYLOAD",
	}, " ")
	return st.Header.Render(draw.Fit(s, width))
}

// recordRow renders one record at exactly width cells.
func recordRow(st theme.Styles, r *kinesisx.Record, preview string, width int) string {
	s := strings.Join([]string{
		st.Ink.Muted.Paint(draw.Fit(r.ArrivedAt.Format("15:04:05.000"), wTime)),
		st.Ink.Accent.Paint(draw.FitLeft(draw.ShortShardID(r.ShardID), wShard)),
		st.Ink.Muted.Paint(draw.Fit(seqSuffix(r), wSeq)),
		draw.Fit(sanitize(r.PartitionKey), wKey),
		draw.FitLeft(draw.Bytes(float64(len(r.Data))), wSize),
		preview,
	}, " ")
	return draw.Fit(s, width)
}

// seqSuffix is the last digits of the sequence number (what differs
// between neighbours), with the KPL sub-record index.
func seqSuffix(r *kinesisx.Record) string {
	s := r.SequenceNumber
	if len(s) > 8 {
		s = "…" + s[len(s)-8:]
	}
	if r.Aggregated {
		s += fmt.Sprintf(":%d", r.SubSequence)
	}
	return s
}

// detailLines renders a record in full: metadata, then the decoded payload
// wrapped to width.
func detailLines(st theme.Styles, r *kinesisx.Record, dec Decoder, width int) []string {
	field := func(k, v string) string { return st.Muted.Render(fmt.Sprintf("%-11s", k)) + v }
	lines := []string{
		field("shard", r.ShardID),
		field("sequence", r.SequenceNumber),
		field("key", sanitize(r.PartitionKey)),
	}
	if r.ExplicitHashKey != "" {
		lines = append(lines, field("hash key", r.ExplicitHashKey))
	}
	if r.Aggregated {
		lines = append(lines, field("KPL", fmt.Sprintf("sub-record %d of an aggregated record", r.SubSequence)))
	}
	lines = append(lines, field("arrived", r.ArrivedAt.UTC().Format("2006-01-02 15:04:05.000 MST")))
	if !r.ReceivedAt.IsZero() {
		lines = append(lines, field("latency", r.ReceivedAt.Sub(r.ArrivedAt).Round(time.Millisecond).String()))
	}
	lines = append(lines, field("size", fmt.Sprintf("%d bytes", len(r.Data))), "")
	body := strings.ReplaceAll(dec.Detail(r.Data), "\t", "    ")
	body = ansi.Hardwrap(body, max(width, 1), true)
	lines = append(lines, strings.Split(body, "\n")...)
	for i, l := range lines {
		lines[i] = draw.Fit(l, width)
	}
	return lines
}

// layout sizes the list for the header lines and the detail pane.
func (m *Model) layout() {
	h := m.height - m.headerHeight() - 1 // the column header
	if m.detail && m.width < sideDetailFrom {
		h = (h + 1) / 2
	}
	m.cur.SetHeight(max(h, 1))
}

func (m *Model) headerHeight() int {
	h := 2
	if m.needsFind() {
		h++
	}
	if m.showShards {
		h += min(len(m.progress), maxShardLines)
	}
	return h
}

func (m *Model) listWidth() int {
	if m.detail && m.width >= sideDetailFrom {
		return m.width / 2
	}
	return m.width
}

// View implements screen.Model. Only the visible rows are rendered, and
// their previews are cached by absolute index.
func (m *Model) View() string {
	if m.width <= 0 || m.height <= 0 {
		return ""
	}
	return strings.Join(m.render(), "\n")
}

func (m *Model) render() []string {
	if m.picker.open {
		return pad(m.pickerView(), m.height, m.width)
	}
	m.layout()
	lines := make([]string, 0, m.height)
	lines = append(lines, draw.Fit(m.statusLine(), m.width), draw.Fit(m.ratesLine(), m.width))
	if m.needsFind() {
		lines = append(lines, draw.Fit(m.findLine(), m.width))
	}
	if m.showShards {
		lines = append(lines, m.shardLines()...)
	}
	lw := m.listWidth()
	list := []string{recordHeader(*m.st, lw)}
	pw := previewWidth(lw)
	if pw != m.previewW {
		clear(m.previews)
		m.previewW = pw
	}
	start, end := m.cur.Window()
	for i := start; i < end; i++ {
		abs := m.rowAbs(i)
		r := m.buf.at(abs)
		p, ok := m.previews[abs]
		if !ok {
			p = m.dec.Preview(r.Data, pw)
			m.previews[abs] = p
		}
		row := recordRow(*m.st, r, p, lw)
		if i == m.cur.Pos {
			row = m.st.Selected.Render(ansi.Strip(row)) // one solid highlight: inner resets would break it
		}
		list = append(list, row)
	}
	if m.rows() == 0 {
		list = append(list, m.st.Muted.Render(draw.Fit(m.emptyText(), lw)))
	}
	list = pad(list, m.cur.Height+1, lw)
	if !m.detail {
		return pad(append(lines, list...), m.height, m.width)
	}
	var det []string
	if r := m.Selected(); r != nil {
		det = detailLines(*m.st, r, m.dec, m.detailWidth())
	}
	if m.width >= sideDetailFrom {
		det = pad(scrollLines(det, m.detailOff, len(list)), len(list), m.detailWidth())
		sep := m.st.Border.Render("│")
		for i := range list {
			list[i] = list[i] + sep + det[i]
		}
		return pad(append(lines, list...), m.height, m.width)
	}
	lines = append(lines, list...)
	lines = append(lines, m.st.Border.Render(strings.Repeat("─", m.width)))
	rest := m.height - len(lines)
	lines = append(lines, scrollLines(det, m.detailOff, rest)...)
	return pad(lines, m.height, m.width)
}

func (m *Model) detailWidth() int {
	if m.width >= sideDetailFrom {
		return m.width - m.width/2 - 1
	}
	return m.width
}

func (m *Model) emptyText() string {
	switch {
	case m.filterRe != nil && m.buf.len() > 0:
		return "no record matches the filter (esc in / clears it)"
	case m.running:
		return "waiting for records…"
	case m.ended != nil:
		return "the tail ended: " + m.ended.Error()
	}
	return "no records"
}

// statusLine: stream, mode, start, state and counts.
func (m *Model) statusLine() string {
	mode := m.opts.Mode.String()
	state := m.st.OK.Render("● live")
	switch {
	case m.paused:
		state = m.st.Warn.Render(fmt.Sprintf("‖ paused (%s new)", draw.Count(len(m.pending))))
	case !m.running:
		state = m.st.Muted.Render("■ stopped")
	}
	if !m.follow && !m.paused && m.running {
		state += m.st.Muted.Render(" (not following: f)")
	}
	s := m.st.Title.Render(m.title) + m.st.Muted.Render(fmt.Sprintf("  %s from %s  ", mode, m.opts.From)) + state
	if m.filtering {
		s += m.st.Muted.Render("  searching…")
	}
	if m.filterRe != nil {
		s += m.st.Muted.Render(fmt.Sprintf("  %s matches of %s searched", draw.Count(m.rows()), draw.Count(m.searched)))
		if m.unseen > 0 {
			s += m.st.Warn.Render(fmt.Sprintf("  %s dropped unseen", draw.Count(m.unseen)))
		}
		return s
	}
	s += m.st.Muted.Render(fmt.Sprintf("  %s of %s kept", draw.Count(m.rows()), draw.Count(m.buf.len())))
	if gone := m.arrived - m.buf.len() - len(m.pending); gone > 0 {
		s += m.st.Warn.Render(fmt.Sprintf("  %s dropped from view", draw.Count(gone)))
	}
	return s
}

// ratesLine: the filter input, or totals of rates, lag and latency.
func (m *Model) ratesLine() string {
	if m.typing {
		return m.filter.View()
	}
	var in, rec float64
	var lagMax int64
	var lat time.Duration
	for _, p := range m.progress {
		in += p.Rates.BytesPerSec1s
		rec += p.Rates.RecordsPerSec1s
		lagMax = max(lagMax, p.MillisBehindLatest)
		lat = max(lat, p.Latency)
	}
	s := fmt.Sprintf("%d shards  in %s/s  %s  lag max %s  latency %s",
		len(m.progress), draw.Bytes(in), draw.Rate(rec),
		(time.Duration(lagMax) * time.Millisecond).String(), lat.Round(time.Millisecond))
	if m.filter.Value() != "" {
		s += "  filter: " + m.filter.Value()
		if m.filterErr != nil {
			return m.st.Muted.Render(s+"  ") + m.st.Error.Render(m.filterErr.Error())
		}
	}
	// The observer cost, last (the filter must stay in sight): on call, a
	// person must see that kinspect is not what throttles the production
	// consumers sharing 5 reads/s and 2 MiB/s.
	if m.cost.Shards > 0 {
		s += "  kinspect reads " + m.cost.String()
	}
	return m.st.Muted.Render(s)
}

// shardLines: one line per shard with its lag, rates and latency.
func (m *Model) shardLines() []string {
	ids := make([]string, 0, len(m.progress))
	for id := range m.progress {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	lines := make([]string, 0, maxShardLines)
	for _, id := range ids[:min(len(ids), maxShardLines)] {
		p := m.progress[id]
		state := ""
		if p.Closed {
			state = "  closed, read to its end"
		}
		lines = append(lines, draw.Fit(m.st.Muted.Render(fmt.Sprintf("  %-22s lag %-8s in %-11s %-8s 60s %-11s latency %s%s",
			id, (time.Duration(p.MillisBehindLatest)*time.Millisecond).String(),
			draw.Bytes(p.Rates.BytesPerSec1s)+"/s", draw.Rate(p.Rates.RecordsPerSec1s),
			draw.Bytes(p.Rates.BytesPerSec60s)+"/s", p.Latency.Round(time.Millisecond), state)), m.width))
	}
	return lines
}

// scrollLines returns up to n lines from off.
func scrollLines(lines []string, off, n int) []string {
	n = max(n, 0)
	off = max(min(off, len(lines)-n), 0)
	return lines[off:min(off+n, len(lines))]
}

// pad fills lines up to n with blank lines of width cells and cuts the
// rest.
func pad(lines []string, n, width int) []string {
	blank := strings.Repeat(" ", max(width, 0))
	for len(lines) < n {
		lines = append(lines, blank)
	}
	return lines[:n]
}
