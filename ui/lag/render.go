package lag

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	klag "github.com/kinspect/kinspect/kinesisx/lag"
	"github.com/kinspect/kinspect/kinesisx/retention"
	"github.com/kinspect/kinspect/ui/cell"
	"github.com/kinspect/kinspect/ui/screen/list"
	"github.com/kinspect/kinspect/ui/theme"
)

// maxCallouts is how many callout lines the screen gives above the table.
const maxCallouts = 3

// wideFrom is the width from which the table shows checkpoints, lease
// counters and notes.
const wideFrom = 110

// laggardMark flags an application's laggard when it is behind.
const laggardMark = "▲"

// The lines that say how to give kinspect a DynamoDB.
var howToTurnOn = []string{
	"Consumer lag reads KCL lease tables from DynamoDB (and Lambda mappings from Lambda).",
	"Turn it on: set AWS_ENDPOINT_URL_DYNAMODB (and AWS_ENDPOINT_URL_LAMBDA) to an endpoint, or use a profile whose credentials can read DynamoDB.",
	"In kinspect demo: install moto (pip install 'moto[server]') and start the demo again: it runs moto_server and a KCL-like consumer of orders.",
}

// notAnswering is said when DynamoDB has an endpoint that does not answer.
var notAnswering = []string{
	"DynamoDB does not answer at its endpoint: is it running? kinspect demo's moto_server takes a few seconds to start; this screen reads again every 5 s.",
	howToTurnOn[1],
}

// howTo is what to do about an unavailable DynamoDB.
func howTo(err error) []string {
	if errors.Is(err, klag.ErrUnavailable) {
		return howToTurnOn
	}
	return notAnswering
}

// above are the lines over the table: the summary, the error, the
// callouts (or, without DynamoDB, how to turn it on).
func (m *Model) above() []string {
	st := m.st
	if !m.loaded {
		return []string{st.Muted.Render("reading the consumer lag of " + m.name + "…")}
	}
	r := m.report
	n := len(r.Applications)
	apps := fmt.Sprintf("%d applications", n)
	if n == 1 {
		apps = "1 application"
	}
	summary := st.Title.Render(m.name) + st.Muted.Render(fmt.Sprintf("  retention %s · %s · read %s, every %s",
		fmtAge(r.Retention), apps, m.readAt.Format("15:04:05"), RefreshEvery))
	if m.loading {
		summary += st.Muted.Render("  reading…")
	}
	lines := []string{summary}
	if m.err != nil {
		lines = append(lines, m.wrapped(st.Warn, "⚠ "+oneLine(m.err.Error()))...)
		if unavailable(m.err) && n == 0 {
			for _, l := range howTo(m.err) {
				lines = append(lines, m.wrapped(st.Muted, l)...)
			}
			return lines
		}
	}
	if n == 0 && m.err == nil {
		lines = append(lines, m.wrapped(st.Muted, "No KCL lease table holds leases of this stream and no Lambda mapping reads it.")...)
	}
	cs := callouts(r)
	for i, c := range cs {
		if i == maxCallouts-1 && len(cs) > maxCallouts {
			lines = append(lines, st.Warn.Render(fmt.Sprintf("! and %d more: see the STATE column", len(cs)-i)))
			break
		}
		lines = append(lines, m.wrapped(st.Warn, "! "+c)...)
	}
	return lines
}

// wrapped is text in style, wrapped at the screen's width between words:
// what to do about an error must not be cut off.
func (m *Model) wrapped(style lipgloss.Style, text string) []string {
	if m.width <= 0 {
		return []string{style.Render(text)}
	}
	parts := strings.Split(ansi.Wrap(text, m.width, ""), "\n")
	for i, p := range parts {
		parts[i] = style.Render(p)
	}
	return parts
}

func (m *Model) headerLines() int { return len(m.above()) }

// table declares the columns at the screen's width.
func (m *Model) table() list.Table {
	if m.width >= wideFrom {
		return list.Table{Columns: []list.Column{{Title: "", Width: 1}, {Title: "SHARD", Width: 20}, {Title: "STATE", Width: 17},
			{Title: "BEHIND", Width: 8, Align: list.Right}, {Title: "RECORDS", Width: 8, Align: list.Right}, {Title: "LEFT", Width: 8, Align: list.Right},
			{Title: "CHECKPOINT", Width: 14}, {Title: "OWNER", Width: 12}, {Title: "COUNTER", Width: 7, Align: list.Right}, {Title: "NOTE", Width: 4, Flex: true}}}
	}
	return list.Table{Columns: []list.Column{{Title: "", Width: 1}, {Title: "SHARD", Width: 20}, {Title: "STATE", Width: 9},
		{Title: "BEHIND", Width: 7, Align: list.Right}, {Title: "RECORDS", Width: 7, Align: list.Right}, {Title: "LEFT", Width: 7, Align: list.Right},
		{Title: "OWNER", Width: 6, Flex: true}}}
}

// View implements screen.Model.
func (m *Model) View() string {
	if m.width <= 0 || m.height <= 0 {
		return ""
	}
	lines := m.above()
	if len(m.rows) > 0 {
		t := m.table()
		lines = append(lines, m.st.Header.Render(t.Header(m.width)))
		start, end := m.cur.Window()
		for i := start; i < end && i < len(m.rows); i++ {
			line := m.line(t, m.rows[i])
			if i == m.cur.Pos {
				line = m.st.Selected.Render(cell.Fit(ansi.Strip(line), m.width))
			}
			lines = append(lines, line)
		}
	}
	for len(lines) < m.height {
		lines = append(lines, "")
	}
	for i, l := range lines {
		lines[i] = cell.Fit(l, m.width)
	}
	return strings.Join(lines[:m.height], "\n")
}

// line draws one row: an application's header or a shard.
func (m *Model) line(t list.Table, rw row) string {
	a := m.report.Applications[rw.index]
	if rw.shard < 0 {
		return m.appLine(a)
	}
	st := *m.st
	s := a.Shards[rw.shard]
	rk := risk(m.report.Retention, m.threshold, s.CheckpointAge)
	mark := ""
	behindInk := st.Fast.Text
	if isBehind(s, medianMs(a)) {
		behindInk = st.Fast.Warn
		if laggard(a) == rw.shard {
			mark = laggardMark
		}
	}
	if ink, ok := riskInk(st, rk); ok {
		behindInk = ink
	}
	leftInk, _ := riskInk(st, rk)
	if rk == nil || rk.Level == retention.LevelOK {
		leftInk = st.Fast.Muted
	}
	behind, records := "–", "–"
	if v := behindMs(s); v >= 0 {
		behind = fmtAge(msDuration(v))
	}
	if s.BehindRecords != nil {
		records = cell.Count(int(*s.BehindRecords))
	}
	state := string(s.State)
	stateInk := st.Fast.Text
	switch s.State {
	case klag.StateNoLease, klag.StateNoOwner:
		stateInk = st.Fast.Hot
	case klag.StateBlockedByParent:
		stateInk = st.Fast.Warn
	case klag.StateEnded:
		stateInk = st.Fast.Muted
	}
	owner := s.Owner
	if owner == "" {
		owner = "–"
	}
	cells := []string{st.Fast.Warn.Paint(mark), s.ShardID, stateInk.Paint(state), behindInk.Paint(behind), behindInk.Paint(records), leftInk.Paint(fmtLeft(rk))}
	if m.width >= wideFrom {
		counter := "–"
		if s.Leased {
			counter = strconv.FormatInt(s.LeaseCounter, 10)
		}
		cells = append(cells, shortSeq(s.Checkpoint), owner, counter, st.Fast.Muted.Paint(s.Note))
	} else {
		cells = append(cells, owner)
	}
	return t.Line(cells, m.width)
}

// appLine is an application's header: its kind and name, its workers or
// mapping, and its laggard with the retention clock.
func (m *Model) appLine(a klag.Application) string {
	st := m.st
	var parts []string
	if a.Kind == klag.KindLambda {
		parts = append(parts, "Lambda "+a.Name, orDash(a.MappingState), fmt.Sprintf("batch %d", a.BatchSize),
			"from "+orDash(a.StartingPosition), "last "+orDash(a.LastProcessingResult))
		if a.IteratorAgeMs == nil {
			parts = append(parts, "iterator age: no CloudWatch data")
		} else {
			parts = append(parts, "iterator age "+fmtAge(appAge(a)))
		}
	} else {
		kind := "KCL "
		if a.MultiStream {
			kind = "KCL multi-stream "
		}
		parts = append(parts, kind+a.Name)
		if i := laggard(a); i >= 0 {
			s := a.Shards[i]
			what := "max lag "
			if isBehind(s, medianMs(a)) {
				what = "laggard " + cell.ShortShardID(s.ShardID) + " "
			}
			parts = append(parts, what+fmtAge(msDuration(max(behindMs(s), 0)))+" behind")
		}
	}
	var tail []string
	if a.Kind == klag.KindKCL {
		tail = append(tail, "table "+a.Table, fmt.Sprintf("%d worker(s)", len(a.Workers)))
	}
	line := st.Accent.Render(strings.Join(parts, " · "))
	if rk := risk(m.report.Retention, m.threshold, appAge(a)); rk != nil {
		clock := fmt.Sprintf(" · oldest unread %s, trimmed in %s", fmtAge(rk.IteratorAge), fmtLeft(rk))
		if rk.Left <= 0 {
			clock = fmt.Sprintf(" · oldest unread %s: past the retention, records are being lost", fmtAge(rk.IteratorAge))
		}
		ink, ok := riskInk(*st, rk)
		if !ok {
			ink = st.Fast.Muted
		}
		line += ink.Paint(clock)
	}
	if len(tail) > 0 {
		line += st.Muted.Render("  " + strings.Join(tail, " · "))
	}
	return line
}

// riskInk is the ink of a retention clock under the threshold: warn, or
// hot once records are lost; ok is false when the clock is fine.
func riskInk(st theme.Styles, r *retention.Risk) (theme.FastStyle, bool) {
	switch {
	case r == nil:
		return st.Fast.Text, false
	case r.Level == retention.LevelLosing:
		return st.Fast.Hot, true
	case r.Level == retention.LevelAtRisk:
		return st.Fast.Warn, true
	}
	return st.Fast.Text, false
}

func orDash(s string) string {
	if s == "" {
		return "–"
	}
	return s
}

// shortSeq keeps a sequence number's last 12 digits (kinspect lag -o json
// has them whole).
func shortSeq(s string) string {
	if len(s) > 13 && klag.IsSequenceNumber(s) {
		return "…" + s[len(s)-12:]
	}
	return orDash(s)
}

// oneLine keeps an error to its first line.
func oneLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i]
	}
	return s
}
