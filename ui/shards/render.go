package shards

import (
	"fmt"
	"strings"
	"time"

	"charm.land/lipgloss/v2"

	"github.com/kinspect/kinspect/kinesisx"
	"github.com/kinspect/kinspect/kinesisx/retention"
	"github.com/kinspect/kinspect/ui/cell"
	"github.com/kinspect/kinspect/ui/screen/list"
	"github.com/kinspect/kinspect/ui/theme"
)

// headerLines are the lines above the table rows: title, info, columns,
// and CloudWatch's summary when there is a metrics source.
func (m *Model) headerLines() int {
	if m.metrics != nil {
		return 4
	}
	return 3
}

// layout is the column plan for one width. Narrow screens (under
// wideFrom cells) drop the parents, range and trend columns.
type layout struct {
	width, id, bar int
	wide           bool
	left           bool // the retention-risk column
	appLag         bool // the APP LAG column (lag.go)
}

const wideFrom = 110

// leftFrom is the width from which the table has a LEFT column (retention
// minus iterator age); narrower tables colour the LAG cell instead.
const leftFrom = 130

func newLayout(width int, lineage bool) layout {
	l := layout{width: width, id: 20, wide: width >= wideFrom}
	if lineage {
		l.id = 28
	}
	fixed := l.id + 6 + 7 + 7 + 8 // id, state, share, lag, separators
	if l.wide {
		fixed += 9 + 13 + 12 + 3
	}
	if width >= leftFrom {
		l.left = true
		fixed += 8
	}
	l.bar = max(min((width-fixed)/3-6, 20), 3)
	return l
}

// cellData is what one row shows, gathered from the shard, the live tail
// and CloudWatch.
type cellData struct {
	shard  kinesisx.Shard
	prefix string
	live   *kinesisx.ShardProgress
	metric *ShardMetric
	// liveOn says the live rates tail runs, so the bars are this second's
	// rates ("● live rates"), never CloudWatch's; warm says it has run a
	// full second, so its rates count a full second of records.
	liveOn, warm bool
	// trend is the live samples (a second apart) or CloudWatch's minutes,
	// NaN where there is no value; mask marks live-filled minutes and
	// pending the trailing minutes not published yet.
	trend   []float64
	mask    []bool
	pending int
	risk    *retention.Risk // nil: no iterator age known
	appLag  *appLag         // the worst application's lag (lag.go)
}

// table declares the columns of the layout.
func (l layout) table() list.Table {
	cols := []list.Column{{Title: "SHARD", Width: l.id}, {Title: "STATE", Width: 6}}
	if l.wide {
		cols = append(cols, list.Column{Title: "PARENTS", Width: 9})
	}
	cols = append(cols, list.Column{Title: "SHARE", Width: 7, Align: list.Right})
	if l.wide {
		cols = append(cols, list.Column{Title: "RANGE", Width: 13})
	}
	cols = append(cols, list.Column{Title: "IN B/s", Width: l.bar + 5}, list.Column{Title: "IN REC/s", Width: l.bar + 5},
		list.Column{Title: "OUT B/s", Width: l.bar + 5}, list.Column{Title: "LAG", Width: 7, Align: list.Right})
	if l.left {
		cols = append(cols, list.Column{Title: "LEFT", Width: 7, Align: list.Right})
	}
	if l.appLag {
		cols = append(cols, list.Column{Title: "APP LAG", Width: appLagWidth})
	}
	if l.wide {
		cols = append(cols, list.Column{Title: "TREND", Width: 12})
	}
	return list.Table{Columns: cols}
}

// cells are one shard's cells, coloured, in the layout's columns.
func (l layout) cells(st theme.Styles, d cellData) []string {
	s := d.shard
	ink := st.Fast
	idInk, state := ink.Text, ink.OK.Paint("open  ")
	if !s.Open {
		idInk, state = ink.Muted, ink.Muted.Paint("closed")
	}
	cols := []string{ink.Muted.Paint(d.prefix) + idInk.Paint(cell.Fit(s.ID, l.id-len([]rune(d.prefix)))), state}
	if l.wide {
		cols = append(cols, ink.Muted.Paint(cell.Fit(parents(s), 9)))
	}
	cols = append(cols, cell.FitLeft(fmt.Sprintf("%.2f%%", s.HashRange.Share()*100), 7))
	if l.wide {
		cols = append(cols, ink.Muted.Paint(cell.Fit(span(s), 13)))
	}
	inB, inR, outB, haveIn, haveOut := rates(d)
	cols = append(cols, l.gauge(st, inB, LimitInBytes, haveIn), l.gauge(st, inR, LimitInRecords, haveIn),
		l.gauge(st, outB, LimitOutBytes, haveOut), riskInk(st, d.risk).Paint(cell.FitLeft(lag(d), 7)))
	if l.left {
		left := "–"
		if d.risk != nil {
			left = fmtLeft(d.risk.Left)
		}
		cols = append(cols, riskInk(st, d.risk).Paint(cell.FitLeft(left, 7)))
	}
	if l.appLag {
		cols = append(cols, appLagCell(st, d.appLag))
	}
	if l.wide {
		cols = append(cols, cell.Trend(st, d.trend, d.mask, d.pending, 12))
	}
	return cols
}

func (l layout) gauge(st theme.Styles, v, limit float64, ok bool) string {
	if !ok {
		return st.Fast.Muted.Paint(cell.Fit("–", l.bar+5))
	}
	return cell.LimitBar(st, v, limit, l.bar)
}

// rates picks the freshest figures: the live tail for incoming, CloudWatch
// for outgoing (a tail cannot see other readers). While the live tail
// runs, incoming is only ever live: a closed shard takes nothing (0), and
// an open one has no figure ("–") until the tail has a whole second; a
// CloudWatch minute there would pass an old figure off as live.
func rates(d cellData) (inB, inR, outB float64, haveIn, haveOut bool) {
	if d.metric != nil {
		inB, inR, outB, haveIn, haveOut = d.metric.InBytes, d.metric.InRecords, d.metric.OutBytes, true, true
	}
	switch {
	case d.liveOn && !d.shard.Open:
		inB, inR, haveIn = 0, 0, true
	case d.liveOn && (d.live == nil || !d.warm):
		inB, inR, haveIn = 0, 0, false
	case d.live != nil:
		inB, inR, haveIn = d.live.Rates.BytesPerSec1s, d.live.Rates.RecordsPerSec1s, true
	}
	return inB, inR, outB, haveIn, haveOut
}

func lag(d cellData) string {
	switch {
	case d.live != nil:
		return fmtMillis(d.live.MillisBehindLatest)
	case d.metric != nil:
		return fmtMillis(d.metric.IteratorAgeMs)
	}
	return "–"
}

// riskInk colours a shard's lag and time left by its retention risk.
func riskInk(st theme.Styles, r *retention.Risk) theme.FastStyle {
	switch {
	case r == nil:
		return st.Fast.Text
	case r.Level == retention.LevelLosing:
		return st.Fast.Hot
	case r.Level == retention.LevelAtRisk:
		return st.Fast.Warn
	}
	return st.Fast.Text
}

// fmtLeft spells the time left before unread records are trimmed.
func fmtLeft(d time.Duration) string {
	if d <= 0 {
		return "losing"
	}
	if d >= time.Hour {
		return fmt.Sprintf("%.0fh", d.Hours())
	}
	return fmtMillis(d.Milliseconds())
}

func fmtMillis(ms int64) string {
	d := time.Duration(ms) * time.Millisecond
	switch {
	case d < time.Second:
		return fmt.Sprintf("%dms", ms)
	case d < time.Minute:
		return fmt.Sprintf("%.1fs", d.Seconds())
	case d < time.Hour:
		return fmt.Sprintf("%.0fm", d.Minutes())
	}
	return fmt.Sprintf("%.0fh", d.Hours())
}

func parents(s kinesisx.Shard) string {
	ps := s.Parents()
	for i, p := range ps {
		ps[i] = cell.ShortShardID(p)
	}
	if len(ps) == 0 {
		return "–"
	}
	return strings.Join(ps, "+")
}

// span is the shard's place in the key space as fractions of it.
func span(s kinesisx.Shard) string {
	const full = 340282366920938463463374607431768211455.0
	return fmt.Sprintf("%.3f–%.3f", s.HashRange.Start.Float()/full, s.HashRange.End.Float()/full)
}

// View implements screen.Model, rendering only the visible rows.
func (m *Model) View() string {
	if m.width <= 0 || m.height <= 0 {
		return ""
	}
	// The retention risks are assessed once a frame: the title, the rows
	// and the info line all read them, and a 4,000-shard stream made it
	// three maps a frame.
	m.frameRisks = m.risks()
	defer func() { m.frameRisks = nil }()
	lines := make([]string, 0, m.height)
	lines = append(lines, cell.Fit(m.titleLine(), m.width), cell.Fit(m.infoLine(), m.width))
	if m.metrics != nil {
		lines = append(lines, cell.Fit(m.cloudLine(), m.width))
	}
	if m.hot {
		lines = append(lines, m.hotHeader())
		lines = append(lines, m.hotLines(m.height-len(lines))...)
		for len(lines) < m.height {
			lines = append(lines, "")
		}
		return strings.Join(lines[:m.height], "\n")
	}
	l := m.lagLayout()
	risks := m.riskMap()
	table := l.table()
	if !m.lineage {
		table = m.sort.Mark(table)
	}
	page := list.Page{Width: m.width, Height: m.height, Styles: m.st, Above: lines, Table: table, Cursor: m.cur,
		Cells: func(i int) []string { return l.cells(*m.st, m.cellData(i, risks)) }}
	return page.Render()
}

// cellData gathers what row i shows.
func (m *Model) cellData(i int, risks map[string]retention.Risk) cellData {
	idx := m.order(i)
	liveOn := m.tail.Open()
	d := cellData{shard: m.shards[idx], trend: m.history[m.shards[idx].ID], liveOn: liveOn, warm: liveOn && m.liveWhole(liveSecondWhole)}
	if m.lineage {
		d.prefix = m.tree[i].prefix
	}
	if p, ok := m.live[d.shard.ID]; ok {
		d.live = &p
	}
	if mt, ok := m.metric[d.shard.ID]; ok {
		d.metric = &mt
		if len(d.trend) == 0 {
			d.trend, d.mask, d.pending = mt.Trend, mt.LiveMask, mt.Pending
		}
	}
	if r, ok := risks[d.shard.ID]; ok {
		d.risk = &r
	}
	d.appLag = m.lagOf(d.shard.ID)
	return d
}

// titleLine: the stream's name and facts, then the screen's states (live
// rates, lineage, hot keys) and the retention warning. The states always
// show whole: when the line is too long, the facts before them are cut.
func (m *Model) titleLine() string {
	if !m.loaded {
		return m.st.Title.Render(m.name) + m.st.Muted.Render("  loading…")
	}
	s := m.stream
	open := 0
	for _, sh := range m.shards {
		if sh.Open {
			open++
		}
	}
	monitoring := "shard metrics off"
	if len(s.ShardLevelMetrics) > 0 {
		monitoring = "shard metrics on"
	}
	parts := []string{
		s.Status, s.Mode,
		fmt.Sprintf("%d open / %d shards", open, len(m.shards)),
		fmt.Sprintf("retention %dh", s.RetentionHours),
		fmt.Sprintf("%d EFO", s.Consumers),
		monitoring,
	}
	var states []string
	if m.lineage {
		states = append(states, "lineage")
	}
	if m.hot {
		states = append(states, "hot keys")
	}
	if n := m.hiddenClosed(); n > 0 {
		states = append(states, fmt.Sprintf("%d closed hidden (c)", n))
	}
	// Say where the bars' figures come from: this second's live rates,
	// or a complete CloudWatch minute (never the open one).
	if m.tail.Open() {
		states = append(states, "● live rates (L stops)")
	} else if !m.cloud.Minute.IsZero() {
		states = append(states, "bars "+cwLabel(m.cloud.Minute))
	}
	tail := ""
	if len(states) > 0 {
		tail = m.st.Muted.Render(" · ") + m.st.Accent.Render(strings.Join(states, " · "))
	}
	if n := m.atRisk(); n > 0 {
		tail += m.st.Warn.Render(fmt.Sprintf("  ⚠ %d shard(s) at retention risk", n))
	}
	if m.staleErr {
		tail += m.st.Warn.Render("  ⚠ refresh failed: as of " + m.loadedAt.Format("15:04:05"))
	}
	head := m.st.Title.Render(m.name) + m.st.Muted.Render("  "+strings.Join(parts, " · "))
	if room := m.width - lipgloss.Width(tail); m.width > 0 && lipgloss.Width(head) > room {
		head = cell.Fit(head, max(room, 0))
	}
	return head + tail
}

// infoLine shows the sort picker, the key lookup, or else the selected
// shard in full.
func (m *Model) infoLine() string {
	if m.sort.Picking() {
		return m.sort.Prompt(m.st)
	}
	if m.typing || m.found.query != "" {
		line := m.lookup.View()
		if !m.typing {
			line = "key " + fmt.Sprintf("%q", m.found.query)
		}
		if m.found.query != "" {
			target := m.st.Warn.Render("no open shard owns it")
			if m.found.shardID != "" {
				target = m.st.Accent.Render(m.found.shardID)
			}
			line += m.st.Muted.Render("  → hash "+m.found.hash.String()+" → ") + target
			if m.stream.RecordDistribution == "AUTO" {
				line += m.st.Warn.Render("  (AUTO distribution: Kinesis ignores keys)")
			}
		}
		return line
	}
	sel := m.Selected()
	if sel.ID == "" {
		return ""
	}
	text := fmt.Sprintf("%s  hash %s – %s", sel.ID, sel.HashRange.Start, sel.HashRange.End)
	if p, ok := m.live[sel.ID]; ok {
		text += fmt.Sprintf("  in %s/s %s  latency %s", cell.Bytes(p.Rates.BytesPerSec1s),
			cell.Rate(p.Rates.RecordsPerSec1s), p.Latency.Round(time.Millisecond))
	} else if m.tail.On() {
		text += "  (live rates: waiting for the first batch)"
	} else if m.tailer != nil {
		text += "  (L reads the stream for live rates)"
	}
	// The worst application's lag comes right after the ID: the hash
	// range would push it off a narrow screen.
	line := m.st.Muted.Render(sel.ID) + m.lagNote(sel.ID) + m.st.Muted.Render(strings.TrimPrefix(text, sel.ID))
	if r, ok := m.riskMap()[sel.ID]; ok {
		note := fmt.Sprintf("  retention %s − iterator age %s = %s left", fmtLeft(r.Retention), fmtMillis(r.IteratorAge.Milliseconds()), fmtLeft(r.Left))
		switch r.Level {
		case retention.LevelOK:
			line += m.st.Muted.Render(note)
		default:
			line += riskInk(*m.st, &r).Paint(note + " (" + r.Level.String() + ")")
		}
	}
	return line
}
