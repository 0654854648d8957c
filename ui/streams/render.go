package streams

import (
	"fmt"

	"github.com/kinspect/kinspect/ui/cell"
	"github.com/kinspect/kinspect/ui/screen/list"
)

// columns of the streams table; the name takes what is left, less a
// margin of one cell before the throughput column.
var columns = list.Table{Columns: []list.Column{
	{Title: "NAME", Width: 8, Flex: true},
	{Title: "STATUS", Width: 9},
	{Title: "MODE", Width: 12},
	{Title: "SHARDS", Width: 7, Align: list.Right},
	{Title: "RETENTION", Width: 10, Align: list.Right},
	{Title: "CONSUMERS", Width: 10, Align: list.Right},
}, Margin: 1}

// headerLines are the lines above the rows: the title and the columns.
const headerLines = 2

// View implements screen.Model: a title line, the column headers and the
// visible rows only.
func (m *Model) View() string {
	title := m.st.Title.Render(fmt.Sprintf("streams (%s)", cell.Count(len(m.shown))))
	if o, ok := m.sort.Active(); ok && o.Key == sortUtil && m.barWidth() == 0 {
		// The column is not drawn at this width or without CloudWatch.
		title += m.st.Muted.Render("  sorted by " + m.sort.Label())
	}
	switch {
	case m.sort.Picking():
		title += "  " + m.sort.Prompt(m.st)
	case m.typing:
		title += "  " + m.filter.View()
	case m.filter.Value() != "":
		title += m.st.Muted.Render("  filter: " + m.filter.Value())
	}
	if !m.loaded {
		title += m.st.Muted.Render("  loading…")
	}
	if m.err != nil && !m.loadedAt.IsZero() {
		title += m.st.Warn.Render("  ⚠ refresh failed: as of " + m.loadedAt.Format("15:04:05"))
	}
	page := list.Page{Width: m.width, Height: m.height, Styles: m.st, Above: []string{title},
		Table: m.sort.Mark(columns), TableWidth: m.width - m.barWidth(), Cursor: m.cur, HeaderBeside: m.barHeader(),
		Cells:  func(i int) []string { return cells(m.rows[m.shown[i]]) },
		Beside: func(i int) string { return m.bar(m.rows[m.shown[i]]) }}
	switch {
	case !m.loaded:
	case m.filter.Value() != "":
		page.Empty = "no stream matches the filter (esc clears it)"
	default:
		page.Empty = "no streams in this account and region"
	}
	return page.Render()
}

// cells are the texts of one row.
func cells(r row) []string {
	name, status, mode := r.sum.Name, r.sum.Status, r.sum.Mode
	shards, retention, consumers := "…", "…", "…"
	if r.described {
		d := r.detail
		if d.Status != "" {
			status = d.Status
		}
		if d.Mode != "" {
			mode = d.Mode
		}
		shards = fmt.Sprint(d.OpenShards)
		retention = fmt.Sprintf("%dh", d.RetentionHours)
		consumers = fmt.Sprint(d.Consumers)
	}
	return []string{name, status, mode, shards, retention, consumers}
}

// wBar is the width of the throughput column (a bar and its percentage)
// and wHot of the hottest shard's, when there is a metrics source.
const (
	wBar = 16
	wHot = 15
)

func (m *Model) barWidth() int {
	if m.metrics == nil || m.width < 100 {
		return 0
	}
	return wBar + 1 + wHot + 1
}

func (m *Model) barHeader() string {
	if m.barWidth() == 0 {
		return ""
	}
	in := utilTitle
	if o, ok := m.sort.Active(); ok && o.Key == sortUtil {
		in = m.sort.MarkTitle(in, wBar)
	}
	return " " + cell.Fit(in, wBar) + " " + cell.Fit("HOTTEST SHARD", wHot)
}

// bar draws the stream's incoming bytes against its limit (1 MiB/s per
// open shard), then the hottest shard's share of its bytes and records
// limits: a stream at 10 % can have a shard at its limit.
func (m *Model) bar(r row) string {
	if m.barWidth() == 0 {
		return ""
	}
	if !r.in.OK || !r.described || r.detail.OpenShards == 0 {
		return " " + m.st.Fast.Muted.Paint(cell.Fit("–", wBar)) + " " + m.st.Fast.Muted.Paint(cell.Fit("–", wHot))
	}
	return " " + cell.LimitBar(*m.st, r.in.BytesPerSec, float64(r.detail.OpenShards)*(1<<20), wBar-5) + " " + m.hot(r.in)
}

// hot spells the hottest shard's utilisation, "avg" when only the
// stream's average per shard is known (shard-level metrics off).
func (m *Model) hot(in Load) string {
	text := fmt.Sprintf("B %s R %s", pct(in.HotBytes), pct(in.HotRecords))
	if in.HotShard == "" {
		return m.st.Fast.Muted.Paint(cell.Fit("avg "+text, wHot))
	}
	ink := m.st.Fast.Text
	switch top := max(in.HotBytes, in.HotRecords); {
	case top >= 1:
		ink = m.st.Fast.Hot
	case top >= 0.8:
		ink = m.st.Fast.Warn
	}
	return ink.Paint(cell.Fit(text, wHot))
}

func pct(f float64) string { return fmt.Sprintf("%.0f%%", f*100) }
