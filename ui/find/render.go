package find

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/kinspect/kinspect/kinesisx"
	kfind "github.com/kinspect/kinspect/kinesisx/find"
	"github.com/kinspect/kinspect/kinesisx/payload"
	"github.com/kinspect/kinspect/ui/cell"
	"github.com/kinspect/kinspect/ui/screen/list"
)

// detailLines is the pane under the matches: the selected match whole.
const detailLines = 2

// timeLayout is the TIME column's (UTC).
const timeLayout = "15:04:05.000"

// shardLines is how many shard progress lines fit: a quarter of the
// screen, at least 2.
func (m *Model) shardLines() int { return max(m.height/4, 2) }

// aboveLines counts the lines over the matches' header.
func (m *Model) aboveLines() int { return len(m.above()) }

// View implements screen.Model.
func (m *Model) View() string {
	if m.width <= 0 || m.height <= 0 {
		return ""
	}
	empty := "no match yet"
	switch m.state {
	case done:
		empty = "no record matched"
	case stopped:
		empty = "stopped before any match"
	case failed:
		empty = ""
	}
	p := list.Page{
		Width: m.width, Height: m.height, Styles: m.st, Above: m.above(),
		Table: columns(m.width), Cursor: m.cur, Empty: empty,
		Cells: func(i int) []string { return m.cells(i) }, Below: m.detail(),
	}
	if m.typing || m.state == failed && len(m.matches) == 0 {
		p.Table = list.Table{} // nothing to list yet, or the error says why
		p.Below, p.Empty = nil, ""
	}
	return p.Render()
}

// above are the query, the progress line and the shards' lines.
func (m *Model) above() []string {
	st := m.st
	title := st.Title.Render("find " + m.stream)
	if m.req.Stream != "" {
		title += "  " + st.Accent.Render(strings.TrimPrefix(Command(m.args.Spec, m.args.Shards), "find "))
	}
	lines := []string{title}
	if m.typing {
		hint := st.Muted.Render("enter searches, esc leaves · " + Words)
		if m.inputErr != nil {
			hint = st.Error.Render(m.inputErr.Error())
		}
		return append(lines, m.input.View(), hint)
	}
	if m.err != nil {
		return append(lines, st.Error.Render(m.err.Error()))
	}
	lines = append(lines, m.progress())
	return append(lines, m.shardRows()...)
}

// window says the window searched, in UTC.
func (m *Model) window() string {
	q := m.req.Query
	from := "trim horizon"
	switch {
	case m.req.From.Type == kinesisx.PositionAtSequence:
		from = "the record"
	case !q.From.IsZero():
		from = q.From.UTC().Format("15:04:05")
	}
	return fmt.Sprintf("%s–%s UTC", from, q.Until.UTC().Format("15:04:05"))
}

// progress is the line that says where the search stands.
func (m *Model) progress() string {
	st, r := m.st, m.last
	end := m.ended
	if end.IsZero() {
		end = m.Now()
	}
	counts := fmt.Sprintf("%s records · %s match(es) · %s", cell.Count(r.Scanned), cell.Count(len(m.matches)), end.Sub(m.started).Round(100*time.Millisecond))
	at := "…"
	if !r.Position.IsZero() {
		at = r.Position.UTC().Format("15:04:05")
	}
	switch m.state {
	case starting:
		return st.Muted.Render("starting the read of " + m.window())
	case scanning:
		return st.Warn.Render("scanning "+m.window()) + st.Text.Render(" · at "+at+" · "+counts) + st.Muted.Render(" · s stops")
	case stopped:
		return st.Warn.Render("stopped at "+at+" UTC") + st.Text.Render(" · "+counts) + st.Muted.Render(" · the window was "+m.window())
	}
	capped := ""
	if q := m.req.Query; q.Max > 0 && len(m.matches) >= q.Max {
		capped = fmt.Sprintf(" · the first %d (max:N for more)", q.Max)
	}
	return st.OK.Render("done: "+m.window()) + st.Text.Render(" · "+counts+capped)
}

// shardRows are the shards' progress, the slowest first when they do not
// all fit.
func (m *Model) shardRows() []string {
	shards := m.last.Shards
	if len(shards) == 0 {
		return nil
	}
	n := m.shardLines()
	show := shards
	if len(shards) > n {
		show = slices.Clone(shards)
		slices.SortStableFunc(show, func(a, b kfind.ShardState) int {
			if a.Done != b.Done {
				if a.Done {
					return 1
				}
				return -1
			}
			return a.Reached.Compare(b.Reached)
		})
		show = show[:n-1]
	}
	lines := make([]string, 0, n)
	for _, s := range show {
		lines = append(lines, m.shardRow(s))
	}
	if len(show) < len(shards) {
		doneN := 0
		for _, s := range shards {
			if s.Done {
				doneN++
			}
		}
		lines = append(lines, m.st.Muted.Render(fmt.Sprintf("  … %d more shard(s); %d of %d done", len(shards)-len(show), doneN, len(shards))))
	}
	return lines
}

func (m *Model) shardRow(s kfind.ShardState) string {
	reached := "…"
	if !s.Reached.IsZero() {
		reached = s.Reached.UTC().Format("15:04:05")
	}
	state := m.st.OK.Render("done")
	if !s.Done {
		state = m.st.Warn.Render("reading")
		if behind := time.Duration(s.MillisBehindLatest) * time.Millisecond; behind >= time.Second {
			state = m.st.Warn.Render("reading, " + behind.Round(time.Second).String() + " behind the tip")
		}
	}
	return fmt.Sprintf("  shard %-4s %8s records · at %s · %s", cell.ShortShardID(s.ID), cell.Count(s.Scanned), reached, state)
}

// columns are the matches' columns: the sequence number's end (its whole
// is in the detail pane), the payload takes what is left.
func columns(width int) list.Table {
	seq, key := 24, 16
	if width < 100 {
		seq, key = 12, 10
	}
	return list.Table{Columns: []list.Column{
		{Title: "SHARD", Width: 6}, {Title: "SEQUENCE", Width: seq}, {Title: "TIME (UTC)", Width: len(timeLayout)},
		{Title: "KEY", Width: key}, {Title: "PAYLOAD", Width: 10, Flex: true},
	}}
}

// cells are match i's cells.
func (m *Model) cells(i int) []string {
	r := m.matches[i]
	t := columns(m.width)
	ws := t.Widths(m.width)
	return []string{
		cell.ShortShardID(r.ShardID),
		tailOf(r.SequenceNumber, ws[1]),
		r.ArrivedAt.UTC().Format(timeLayout),
		r.PartitionKey,
		payload.Preview(r.Data, ws[4]),
	}
}

// tailOf is the last width characters of a sequence number, "…" first
// when cut: sequence numbers of a shard differ at their end.
func tailOf(s string, width int) string {
	if len(s) <= width || width < 2 {
		return s
	}
	return "…" + s[len(s)-width+1:]
}

// detail is the selected match's sequence number and shard whole, and what
// enter does.
func (m *Model) detail() []string {
	if len(m.matches) == 0 {
		return nil
	}
	r := m.matches[m.cur.Pos]
	return []string{
		m.st.Muted.Render(cell.Fit(r.ShardID+" "+r.SequenceNumber, m.width)),
		m.st.Muted.Render(cell.Fit(fmt.Sprintf("match %d of %d · enter opens the tail of %s at this record", m.cur.Pos+1, len(m.matches), cell.ShortShardID(r.ShardID)), m.width)),
	}
}
