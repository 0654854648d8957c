package metricsview

import (
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/kinspect/kinspect/metrics"
	"github.com/kinspect/kinspect/ui/cell"
	"github.com/kinspect/kinspect/ui/keys"
	"github.com/kinspect/kinspect/ui/screen/list"
	"github.com/kinspect/kinspect/ui/theme"
)

// Levels of a limit's use: a cell at or over hotAt is highlighted, one
// at or over 1 is marked with '!' too.
const hotAt = 0.8

// View implements screen.Model, rendering only the visible rows.
func (m *Model) View() string {
	page := list.Page{Width: m.width, Height: m.height, Styles: m.st, Above: m.head(), Cursor: m.cur}
	if m.loaded && m.data.Report.EnhancedMonitoring {
		l := newLayout(m.width)
		page.Table = m.sort.Mark(l.table())
		page.Cells = func(i int) []string {
			return l.cells(*m.st, m.rows[i], m.data.Now, metrics.PendingMinutes(m.rows[i].Series, m.data.Now, m.data.Lag))
		}
	}
	return page.Render()
}

// headerLines is how many lines come before the table's rows.
func (m *Model) headerLines() int {
	n := len(m.head())
	if m.loaded && m.data.Report.EnhancedMonitoring {
		n++ // the column header
	}
	return n
}

// head is everything above the table: title, freshness, stream totals,
// and the plain statement when shard-level metrics are off.
func (m *Model) head() []string {
	st := m.st
	title := st.Title.Render(m.stream) + st.Muted.Render(" · CloudWatch · window "+fmtWindow(windows[m.window]))
	if !m.loaded {
		return []string{title + st.Muted.Render("  loading…")}
	}
	r := m.data.Report
	sl := r.StreamLevel
	if !sl.Minute.IsZero() {
		title += st.Muted.Render(" · newest minute " + sl.Minute.UTC().Format("15:04") + " UTC")
	}
	if m.live.Open() {
		title += st.Accent.Render(" · ● live fill")
	}
	if m.loading {
		title += st.Muted.Render("  refreshing…")
	}
	second := m.freshness()
	if m.sort.Picking() {
		second = m.sort.Prompt(st) // in the freshness line's place, for a while
	}
	out := []string{title, second}
	out = append(out, totals(*st, r)...)
	if !r.EnhancedMonitoring {
		out = append(out, "",
			st.Warn.Render(fmt.Sprintf("Shard-level metrics are off for %s: CloudWatch has no per-shard figures, only the stream totals above.", m.stream)))
		if keys.Offered(m.keys.Enable.Binding) {
			out = append(out, st.Muted.Render("e turns them on for a while (CloudWatch charges for them, per shard and per metric, by the hour)."))
		} else {
			out = append(out, st.Muted.Render("Read-only session: turning them on is not offered."))
		}
	}
	return out
}

// freshness says which of the newest minutes CloudWatch has not published
// yet and how many of them a running tail filled.
func (m *Model) freshness() string {
	ps := m.data.Report.StreamLevel.Series
	pending := metrics.PendingMinutes(ps, m.data.Now, m.data.Lag)
	live := 0
	for i := len(ps) - 1; i >= 0 && ps[i].Live; i-- {
		live++
	}
	switch {
	case live > 0:
		note := fmt.Sprintf("last %d min unpublished by CloudWatch, %d filled live from the tail", max(pending, live), live)
		if !m.data.LiveAt.IsZero() {
			note += fmt.Sprintf(", as of %s ago", max(m.data.Now.Sub(m.data.LiveAt), 0).Round(time.Second))
		}
		return m.st.Warn.Render(note)
	case pending > 0:
		hint := ""
		if m.keys.Live.Enabled() && !m.live.Open() {
			hint = "; L fills them from a live tail"
		}
		return m.st.Warn.Render(fmt.Sprintf("last %d min not published by CloudWatch yet (… in the trends%s)", pending, hint))
	}
	return m.st.Muted.Render("every minute of the window is published (· = no data point)")
}

// totals are the stream-level lines: incoming against the stream's
// limit, throttles, PutRecords, GetRecords (polling reads) and the EFO
// consumers' SubscribeToShardEvent figures when there are any.
func totals(st theme.Styles, r metrics.Report) []string {
	s := r.StreamLevel
	n := float64(r.OpenShards) // closed shards are listed for their past traffic, but carry none
	in := "in " + perSec(rate(s.IncomingBytesPerSec))
	if s.IncomingBytesUtilisation != nil && n > 0 {
		in += " " + util(st, s.IncomingBytesUtilisation) + st.Muted.Render(" of "+cell.Bytes(n*metrics.ShardInBytesPerSec)+"/s")
	}
	in += " · " + perSec(count(s.IncomingRecordsPerSec))
	if s.IncomingRecordsUtilisation != nil {
		in += " " + util(st, s.IncomingRecordsUtilisation)
	}
	in += " · throttled W " + throttled(st, s.WriteThrottled) + " R " + throttled(st, s.ReadThrottled)
	put := "PutRecords failed " + throttled(st, s.PutRecordsFailed) + " · throttled " + throttled(st, s.PutRecordsThrottled) +
		" · latency " + millis(s.PutRecordsLatencyMs)
	get := "GetRecords out " + perSec(rate(s.OutgoingBytesPerSec)) + " · " + perSec(count(s.OutgoingRecordsPerSec)) + " · iterator age " +
		millis(s.IteratorAgeMs) + " · latency " + millis(s.GetRecordsLatencyMs)
	pad := st.Accent.Render("       ")
	out := []string{st.Accent.Render("stream ") + in, pad + put, pad + get}
	if len(s.Consumers) > 0 {
		parts := make([]string, 0, len(s.Consumers))
		for _, c := range s.Consumers {
			parts = append(parts, fmt.Sprintf("%s %s %s behind %s", c.Name, perSec(rate(c.BytesPerSec)), perSec(count(c.RecordsPerSec)), millis(c.MillisBehindLatestMs)))
		}
		out = append(out, pad+"SubscribeToShardEvent "+strings.Join(parts, " · "))
	}
	return out
}

// layout is the table's column widths for a screen width.
type layout struct {
	id, trend int
	short     bool
}

// Fixed column widths: rate, percentage, records/s, age, throttles.
const (
	wRate = 10
	wPct  = 5
	wRec  = 7
	wAge  = 6
	wThr  = 7
	fixed = wRate + wPct + wRec + wPct + wRate + wPct + wAge + wThr + 9 // + the spaces before each column
)

// newLayout fits the table to width: below 100 columns shard IDs lose
// their "shardId-" prefix and leading zeros; the sparkline takes the rest.
func newLayout(width int) layout {
	l := layout{id: 20}
	if width < 100 {
		l = layout{id: 6, short: true}
	}
	l.trend = max(width-l.id-fixed-1, 0)
	return l
}

// table declares the columns; the sparkline's, when there is room, takes
// what the others leave.
func (l layout) table() list.Table {
	cols := []list.Column{
		{Title: "SHARD", Width: l.id},
		{Title: "IN/s", Width: wRate, Align: list.Right}, {Title: "1MiB", Width: wPct, Align: list.Right},
		{Title: "REC/s", Width: wRec, Align: list.Right}, {Title: "1000", Width: wPct, Align: list.Right},
		{Title: "OUT/s", Width: wRate, Align: list.Right}, {Title: "2MiB", Width: wPct, Align: list.Right},
		{Title: "AGE", Width: wAge, Align: list.Right}, {Title: "THR W/R", Width: wThr, Align: list.Right},
	}
	if l.trend > 0 {
		cols = append(cols, list.Column{Title: "IN TREND", Flex: true})
	}
	return list.Table{Columns: cols, Margin: 1}
}

// cells are one shard's cells, coloured by how near their limits they are.
func (l layout) cells(st theme.Styles, s metrics.ShardReport, now time.Time, pending int) []string {
	id := s.ID
	if l.short {
		id = shortID(id)
	}
	cells := []string{
		cell.Fit(id, l.id),
		hot(st, s.IncomingBytesUtilisation, cell.FitLeft(rate(s.IncomingBytesPerSec), wRate)),
		cell.FitLeft(util(st, s.IncomingBytesUtilisation), wPct),
		hot(st, s.IncomingRecordsUtilisation, cell.FitLeft(count(s.IncomingRecordsPerSec), wRec)),
		cell.FitLeft(util(st, s.IncomingRecordsUtilisation), wPct),
		hot(st, s.OutgoingBytesUtilisation, cell.FitLeft(rate(s.OutgoingBytesPerSec), wRate)),
		cell.FitLeft(util(st, s.OutgoingBytesUtilisation), wPct),
		cell.FitLeft(millis(s.IteratorAgeMs), wAge),
		cell.FitLeft(throttled(st, s.WriteThrottled)+"/"+throttled(st, s.ReadThrottled), wThr),
	}
	if l.trend > 0 {
		cells = append(cells, Trend(st, s.Series, now, pending, min(l.trend, len(s.Series))))
	}
	return cells
}

// shortID drops "shardId-" and the leading zeros: shardId-000000000003 → 3.
func shortID(id string) string {
	s := strings.TrimLeft(strings.TrimPrefix(id, "shardId-"), "0")
	if s == "" {
		return "0"
	}
	return s
}

// hot paints a cell by how much of its limit it uses.
func hot(st theme.Styles, u *float64, cell string) string {
	switch {
	case u == nil || *u < hotAt:
		return cell
	case *u >= 1:
		return st.Error.Render(cell)
	}
	return st.Hot.Render(cell)
}

// util spells a fraction of a limit as a percentage, '!' over 100 %, and
// highlights it from hotAt.
func util(st theme.Styles, u *float64) string {
	if u == nil {
		return "-"
	}
	s := fmt.Sprintf("%.0f%%", math.Min(*u*100, 999))
	if *u >= 1 {
		s += "!"
	}
	return hot(st, u, s)
}

func rate(v *float64) string {
	if v == nil {
		return "-"
	}
	return cell.Bytes(*v)
}

// perSec appends "/s" to a figure, not to "-" (no data).
func perSec(s string) string {
	if s == "-" {
		return s
	}
	return s + "/s"
}

func count(v *float64) string {
	if v == nil {
		return "-"
	}
	return fmt.Sprintf("%.0f", *v)
}

func throttled(st theme.Styles, v *float64) string {
	switch {
	case v == nil:
		return "-"
	case *v > 0:
		return st.Hot.Render(fmt.Sprintf("%.0f", *v))
	}
	return "0"
}

// millis spells a duration in milliseconds compactly: 850ms, 12.5s,
// 3m05s, 2.1h.
func millis(v *float64) string {
	if v == nil {
		return "-"
	}
	d := time.Duration(*v) * time.Millisecond
	switch {
	case d < time.Second:
		return fmt.Sprintf("%dms", d.Milliseconds())
	case d < time.Minute:
		return fmt.Sprintf("%.1fs", d.Seconds())
	case d < time.Hour:
		return fmt.Sprintf("%dm%02ds", int(d.Minutes()), int(d.Seconds())%60)
	}
	return fmt.Sprintf("%.1fh", d.Hours())
}

func fmtWindow(d time.Duration) string {
	if d >= time.Hour {
		return fmt.Sprintf("%.0fh", d.Hours())
	}
	return fmt.Sprintf("%.0fm", d.Minutes())
}

// Trend draws the incoming bytes/s of the last width minutes with
// cell.Trend: '·' where CloudWatch has no data point, '…' for the trailing
// minutes it has not published yet (the open minute among them, whatever
// partial figure it has), and the minutes a live tail filled in the warn
// ink so they read as estimates.
func Trend(st theme.Styles, ps []metrics.Point, now time.Time, pending, width int) string {
	vals := make([]float64, len(ps))
	live := make([]bool, len(ps))
	for i, p := range ps {
		vals[i], live[i] = metrics.TrendValue(p, now), p.Live
	}
	return cell.Trend(st, vals, live, pending, width)
}
