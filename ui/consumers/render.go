package consumers

import (
	"fmt"
	"time"

	"github.com/kinspect/kinspect/internal/human"
	"github.com/kinspect/kinspect/kinesisx"
	"github.com/kinspect/kinspect/ui/screen/list"
)

// headerLines are the lines above the rows: title, confirmation, columns.
const headerLines = 3

// kinspectCell says whether kinspect made the consumer and, for its own,
// how fresh the heartbeat of the kinspect using it is.
func kinspectCell(c kinesisx.Consumer, now time.Time) string {
	switch {
	case !c.Kinspect:
		return ""
	case c.Heartbeat.IsZero():
		return "yes, no beat"
	case now.Sub(c.Heartbeat) <= kinesisx.HeartbeatStale:
		return "live " + human.Age(now.Sub(c.Heartbeat))
	default:
		return "stale " + human.Age(now.Sub(c.Heartbeat))
	}
}

// columns of the consumers table; the name takes what is left.
var columns = list.Table{Columns: []list.Column{
	{Title: "NAME", Width: 8, Flex: true},
	{Title: "STATUS", Width: 9},
	{Title: "CREATED", Width: 20},
	{Title: "AGE", Width: 7, Align: list.Right},
	{Title: "KINSPECT", Width: 14},
}}

// View implements screen.Model.
func (m *Model) View() string {
	title := m.st.Title.Render("consumers of "+m.name) + m.st.Muted.Render(fmt.Sprintf("  %d registered", len(m.list)))
	if !m.loaded {
		title += m.st.Muted.Render("  loading…")
	}
	if m.busy {
		title += m.st.Muted.Render("  working…")
	}
	second := ""
	if m.sort.Picking() {
		second = m.sort.Prompt(m.st)
	}
	if m.confirm != nil {
		second = m.st.Warn.Render("⚠ "+m.confirm.what) + "  " + m.st.Muted.Render(m.confirm.command) + "  " + m.st.Title.Render("y") + " confirm · " + m.st.Title.Render("n") + " cancel"
	}
	page := list.Page{Width: m.width, Height: m.height, Styles: m.st, Above: []string{title, second},
		Table: m.sort.Mark(columns), Cursor: m.cur, Cells: m.cells(m.now())}
	if m.loaded {
		page.Empty = "no enhanced fan-out consumer on this stream"
	}
	return page.Render()
}

// cells returns the texts of the consumers' rows at now.
func (m *Model) cells(now time.Time) func(i int) []string {
	return func(i int) []string {
		c := m.list[i]
		created, age := "–", "–"
		if !c.CreatedAt.IsZero() {
			created = c.CreatedAt.UTC().Format("2006-01-02 15:04:05")
			age = human.Age(now.Sub(c.CreatedAt))
		}
		return []string{c.Name, c.Status, created, age, kinspectCell(c, now)}
	}
}
