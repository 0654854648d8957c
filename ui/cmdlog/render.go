package cmdlog

import (
	"fmt"
	"strings"
	"time"

	"github.com/kinspect/kinspect/kinesisx/calllog"
	"github.com/kinspect/kinspect/ui/cell"
	"github.com/kinspect/kinspect/ui/screen/list"
	"github.com/kinspect/kinspect/ui/theme"
)

// headerLines are the title and the column heads; detailLines the pane
// under the list with the selected call in full.
const (
	headerLines = 2
	detailLines = 4
)

// columns is the column plan for one width: the target column takes what
// the others leave up to 30 cells, and a command column appears on wide
// screens.
func columns(width int) list.Table {
	op, outcome := 26, 14 // "! DeregisterStreamConsumer"
	if width < 100 {
		op, outcome = 18, 12
	}
	fixed := 12 + 10 + op + 8 + outcome + 6 // time, service, op, latency, outcome, separators
	rest := width - fixed
	target := max(min(rest, 30), 8)
	cols := []list.Column{{Title: "TIME", Width: 12}, {Title: "SERVICE", Width: 10}, {Title: "OPERATION", Width: op},
		{Title: "STREAM/SHARD", Width: target}, {Title: "LATENCY", Width: 8, Align: list.Right}, {Title: "OUTCOME", Width: outcome}}
	if rest-target > 20 {
		cols = append(cols, list.Column{Title: "AWS CLI (mutations)", Width: rest - target - 1})
	}
	return list.Table{Columns: cols}
}

// cells are one call's cells, coloured, in a table's columns.
func cells(st theme.Styles, t list.Table, e calllog.Entry) []string {
	ink := st.Fast
	ws := t.Widths(0)
	op := e.Operation
	opInk := ink.Text
	if e.Mutation {
		op = "! " + op
		opInk = ink.Warn
	}
	lat := latency(e.Latency)
	if e.Attempts > 1 {
		lat = fmt.Sprintf("%s×%d", lat, e.Attempts)
	}
	cols := []string{
		ink.Muted.Paint(e.Time.Format("15:04:05.000")),
		e.Service,
		opInk.Paint(cell.Fit(op, ws[2])),
		target(e),
		lat,
		outcomeInk(st, e).Paint(cell.Fit(e.Outcome, ws[5])),
	}
	if len(ws) > 6 {
		cols = append(cols, ink.Accent.Paint(cell.Fit(e.Command, ws[6])))
	}
	return cols
}

// latency spells a call's latency: sub-millisecond ones in tenths.
func latency(d time.Duration) string {
	if d < time.Millisecond {
		return fmt.Sprintf("%.1fms", float64(d.Microseconds())/1000)
	}
	return d.Round(time.Millisecond).String()
}

func outcomeInk(st theme.Styles, e calllog.Entry) theme.FastStyle {
	switch {
	case e.OK():
		return st.Fast.OK
	case e.Outcome == "Canceled":
		return st.Fast.Muted
	}
	return st.Fast.Hot
}

// target is the stream (its name, when the call named an ARN) and shard.
func target(e calllog.Entry) string {
	s := e.Stream
	if i := strings.LastIndex(s, ":stream/"); i >= 0 {
		s = s[i+len(":stream/"):]
	}
	if e.Shard != "" {
		// shardId-000000000003 reads as #3; anything else as it is.
		if n, ok := strings.CutPrefix(e.Shard, "shardId-"); ok {
			if n = strings.TrimLeft(n, "0"); n == "" {
				n = "0"
			}
			s += " #" + n
		} else {
			s += " " + e.Shard
		}
	}
	if s == "" && e.Consumer != "" {
		s = e.Consumer
		if i := strings.LastIndex(s, "/consumer/"); i >= 0 {
			s = s[i+len("/consumer/"):]
		}
	}
	if s == "" {
		return "–"
	}
	return s
}

// View implements screen.Model.
func (m *Model) View() string {
	t := columns(m.width)
	page := list.Page{Width: m.width, Height: m.height, Styles: m.st, Above: []string{m.titleLine()},
		Table: t, Cursor: m.cur, Empty: "no API call yet", Below: m.detail(),
		Cells: func(i int) []string { return cells(*m.st, t, m.all[m.shown[i]]) }}
	return page.Render()
}

func (m *Model) titleLine() string {
	parts := []string{fmt.Sprintf("%d calls", len(m.all))}
	if m.dropped > 0 {
		parts = append(parts, fmt.Sprintf("%d older gave way", m.dropped))
	}
	if m.errOnly {
		parts = append(parts, fmt.Sprintf("%d errors shown", len(m.shown)))
	}
	if m.follow {
		parts = append(parts, "following")
	}
	return m.st.Title.Render("command log") + m.st.Muted.Render("  "+strings.Join(parts, " · ")+"  (! marks a mutation)")
}

// detail shows the selected call in full: its command or its error.
func (m *Model) detail() []string {
	st := m.st
	sep := st.Border.Render(strings.Repeat("─", m.width))
	e, ok := m.Selected()
	if !ok {
		return []string{sep, "", "", ""}
	}
	first := fmt.Sprintf("#%d %s %s  %s", e.Seq, e.Service, e.Operation, e.Time.Format(time.RFC3339Nano))
	if e.Attempts > 1 {
		first += fmt.Sprintf("  %d attempts", e.Attempts)
	}
	second, third := "", ""
	switch {
	case e.Command != "":
		cmd := []rune("$ " + e.Command)
		cut := min(len(cmd), max(m.width, 1))
		second = st.Accent.Render(string(cmd[:cut]))
		third = st.Accent.Render(cell.Fit(string(cmd[cut:]), m.width))
	case e.Mutation:
		second = st.Muted.Render("a mutation kinspect has no AWS CLI equivalent for")
	case !e.OK():
		second = st.Hot.Render(e.Outcome + ": " + e.Message)
	}
	if e.Command != "" && !e.OK() {
		first += "  " + st.Hot.Render(e.Outcome+": "+e.Message)
	}
	return []string{sep, cell.Fit(st.Muted.Render(first), m.width), cell.Fit(second, m.width), third}
}
