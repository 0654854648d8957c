package tail

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/kinspect/kinspect/kinesisx"
	"github.com/kinspect/kinspect/ui/cell"
)

// column widths of the records list; the payload preview takes the rest.
const (
	wTime  = 12
	wShard = 6
	wSeq   = 12
	wKey   = 16
	wSize  = 8
	// sideDetailFrom is the width from which the detail pane goes on the
	// right instead of below.
	sideDetailFrom = 140
	maxShardLines  = 8
)

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
	lines = append(lines, cell.Fit(m.statusLine(), m.width), cell.Fit(m.ratesLine(), m.width))
	if m.needsFind() {
		lines = append(lines, cell.Fit(m.findLine(), m.width))
	}
	if m.showShards {
		lines = append(lines, m.shardLines()...)
	}
	lw := m.listWidth()
	lay := m.rowLayout(lw)
	list := m.listRows(lw, m.cur.Height, lay)
	if m.rows() == 0 {
		list = append(list, m.st.Muted.Render(cell.Fit(m.emptyText(), lw)))
	}
	list = pad(list, m.cur.Height+1, lw)
	if !m.detail {
		return pad(append(lines, list...), m.height, m.width)
	}
	if m.width >= sideDetailFrom {
		det := pad(m.detailView(m.detailWidth(), len(list)), len(list), m.detailWidth())
		sep := m.st.Border.Render("│")
		for i := range list {
			list[i] = list[i] + sep + det[i]
		}
		return pad(append(lines, list...), m.height, m.width)
	}
	lines = append(lines, list...)
	lines = append(lines, m.st.Border.Render(strings.Repeat("─", m.width)))
	lines = append(lines, m.detailView(m.width, m.height-len(lines))...)
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
		state = m.st.Warn.Render(fmt.Sprintf("‖ paused (%s new)", cell.Count(len(m.pending))))
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
		s += m.st.Muted.Render(fmt.Sprintf("  %s matches of %s searched", cell.Count(m.rows()), cell.Count(m.searched)))
		if m.unseen > 0 {
			s += m.st.Warn.Render(fmt.Sprintf("  %s dropped unseen", cell.Count(m.unseen)))
		}
		return s
	}
	s += m.st.Muted.Render(fmt.Sprintf("  %s of %s kept", cell.Count(m.rows()), cell.Count(m.buf.len())))
	if gone := m.arrived - m.buf.len() - len(m.pending); gone > 0 {
		s += m.st.Warn.Render(fmt.Sprintf("  %s dropped from view", cell.Count(gone)))
	}
	return s
}

// ratesKnownBehind is how far behind (ms) a shard may be read for its
// rates to hold: a tail's rates count the arrivals of the newest complete
// second, one poll interval late; a shard read further behind has not
// read that second yet, and its rates read low (0 when far behind).
const ratesKnownBehind = 2000

// ratesKnown reports whether the shard's rates are its traffic.
func ratesKnown(p kinesisx.ShardProgress) bool {
	return p.Closed || p.MillisBehindLatest <= ratesKnownBehind
}

// ratesLine: the filter input, or totals of rates, lag and latency.
func (m *Model) ratesLine() string {
	if m.typing {
		return m.filter.View()
	}
	if s, ok := m.promptLine(); ok {
		return s
	}
	var in, rec float64
	var lagMax int64
	var lat time.Duration
	behind := 0
	for _, p := range m.progress {
		if !ratesKnown(p) {
			behind++
		} else {
			in += p.Rates.BytesPerSec1s
			rec += p.Rates.RecordsPerSec1s
		}
		lagMax = max(lagMax, p.MillisBehindLatest)
		lat = max(lat, p.Latency)
	}
	rates := fmt.Sprintf("in %s/s  %s", cell.Bytes(in), cell.Rate(rec))
	switch {
	case behind > 0 && behind == len(m.progress):
		rates = "in – (catching up)"
	case behind > 0:
		rates += fmt.Sprintf(" (+%d catching up)", behind)
	}
	s := fmt.Sprintf("%d shards  %s  lag max %s  latency %s",
		len(m.progress), rates,
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
		in, rec, in60 := cell.Bytes(p.Rates.BytesPerSec1s)+"/s", cell.Rate(p.Rates.RecordsPerSec1s), cell.Bytes(p.Rates.BytesPerSec60s)+"/s"
		if !ratesKnown(p) {
			in, rec, in60 = "–", "", "–"
			state += "  catching up: rates unknown"
		}
		lines = append(lines, cell.Fit(m.st.Muted.Render(fmt.Sprintf("  %-22s lag %-8s in %-11s %-8s 60s %-11s latency %s%s",
			id, (time.Duration(p.MillisBehindLatest)*time.Millisecond).String(),
			in, rec, in60, p.Latency.Round(time.Millisecond), state)), m.width))
	}
	return lines
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
