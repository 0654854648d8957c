package cmdlog

import (
	"fmt"
	"strings"
	"time"

	"github.com/charmbracelet/x/ansi"

	"github.com/kinspect/kinspect/kinesisx/calllog"
	"github.com/kinspect/kinspect/ui/draw"
	"github.com/kinspect/kinspect/ui/theme"
)

// headerLines are the title and the column heads; detailLines the pane
// under the list with the selected call in full.
const (
	headerLines = 2
	detailLines = 4
)

// columns is the column plan for one width: the target column takes what
// the others leave, and a command column appears on wide screens.
type columns struct {
	width, op, outcome, target, command int
}

func newColumns(width int) columns {
	c := columns{width: width, op: 26, outcome: 14} // "! DeregisterStreamConsumer"
	if width < 100 {
		c.op, c.outcome = 18, 12
	}
	fixed := 12 + 10 + c.op + 8 + c.outcome + 6 // time, service, op, latency, outcome, separators
	rest := width - fixed
	c.target = max(min(rest, 30), 8)
	if rest-c.target > 20 {
		c.command = rest - c.target - 1
	}
	return c
}

// header renders the column heads.
func (c columns) header(st theme.Styles) string {
	cols := []string{draw.Fit("TIME", 12), draw.Fit("SERVICE", 10), draw.Fit("OPERATION", c.op), draw.Fit("STREAM/SHARD", c.target),
		draw.FitLeft("LATENCY", 8), draw.Fit("OUTCOME", c.outcome)}
	if c.command > 0 {
		cols = append(cols, draw.Fit("AWS CLI (mutations)", c.command))
	}
	return st.Header.Render(draw.Fit(strings.Join(cols, " "), c.width))
}

// row renders one call at exactly the width.
func (c columns) row(st theme.Styles, e calllog.Entry) string {
	ink := st.Ink
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
		draw.Fit(e.Service, 10),
		opInk.Paint(draw.Fit(op, c.op)),
		draw.Fit(target(e), c.target),
		draw.FitLeft(lat, 8),
		outcomeInk(st, e).Paint(draw.Fit(e.Outcome, c.outcome)),
	}
	if c.command > 0 {
		cols = append(cols, ink.Accent.Paint(draw.Fit(e.Command, c.command)))
	}
	return draw.Fit(strings.Join(cols, " "), c.width)
}

// latency spells a call's latency: sub-millisecond ones in tenths.
func latency(d time.Duration) string {
	if d < time.Millisecond {
		return fmt.Sprintf("%.1fms", float64(d.Microseconds())/1000)
	}
	return d.Round(time.Millisecond).String()
}

func outcomeInk(st theme.Styles, e calllog.Entry) theme.Ink {
	switch {
	case e.OK():
		return st.Ink.OK
	case e.Outcome == "Canceled":
		return st.Ink.Muted
	}
	return st.Ink.Hot
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
	if m.width <= 0 || m.height <= 0 {
		return ""
	}
	st := *m.st
	c := newColumns(m.width)
	lines := []string{draw.Fit(m.titleLine(), m.width), c.header(st)}
	start, end := m.cur.Window()
	for i := start; i < end; i++ {
		line := c.row(st, m.all[m.shown[i]])
		if i == m.cur.Pos {
			line = st.Selected.Render(ansi.Strip(line))
		}
		lines = append(lines, line)
	}
	if len(m.shown) == 0 {
		lines = append(lines, st.Muted.Render("no API call yet"))
	}
	for len(lines) < m.height-detailLines {
		lines = append(lines, "")
	}
	lines = append(lines, m.detail()...)
	for len(lines) < m.height {
		lines = append(lines, "")
	}
	return strings.Join(lines[:m.height], "\n")
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
		third = st.Accent.Render(draw.Fit(string(cmd[cut:]), m.width))
	case e.Mutation:
		second = st.Muted.Render("a mutation kinspect has no AWS CLI equivalent for")
	case !e.OK():
		second = st.Hot.Render(e.Outcome + ": " + e.Message)
	}
	if e.Command != "" && !e.OK() {
		first += "  " + st.Hot.Render(e.Outcome+": "+e.Message)
	}
	return []string{sep, draw.Fit(st.Muted.Render(first), m.width), draw.Fit(second, m.width), third}
}
