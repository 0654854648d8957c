package consumers

import (
	"fmt"
	"strings"
	"time"

	"github.com/kinspect/kinspect/kinesisx"
	"github.com/kinspect/kinspect/ui/draw"
)

// headerLines are the lines above the rows: title, confirmation, columns.
const headerLines = 3

const (
	wStatus  = 9
	wCreated = 20
	wAge     = 7
	wMine    = 14
)

// kinspectCell says whether kinspect made the consumer and, for its own,
// how fresh the heartbeat of the kinspect using it is.
func kinspectCell(c kinesisx.Consumer, now time.Time) string {
	switch {
	case !c.Kinspect:
		return ""
	case c.Heartbeat.IsZero():
		return "yes, no beat"
	case now.Sub(c.Heartbeat) <= kinesisx.HeartbeatStale:
		return "live " + Age(now.Sub(c.Heartbeat))
	default:
		return "stale " + Age(now.Sub(c.Heartbeat))
	}
}

// View implements screen.Model.
func (m *Model) View() string {
	if m.width <= 0 || m.height <= 0 {
		return ""
	}
	title := m.st.Title.Render("consumers of "+m.name) + m.st.Muted.Render(fmt.Sprintf("  %d registered", len(m.list)))
	if !m.loaded {
		title += m.st.Muted.Render("  loading…")
	}
	if m.busy {
		title += m.st.Muted.Render("  working…")
	}
	second := ""
	if m.confirm != nil {
		second = m.st.Warn.Render("⚠ "+m.confirm.what) + "  " + m.st.Muted.Render(m.confirm.command) + "  " + m.st.Title.Render("y") + " confirm · " + m.st.Title.Render("n") + " cancel"
	}
	lines := []string{draw.Fit(title, m.width), draw.Fit(second, m.width), m.st.Header.Render(m.row("NAME", "STATUS", "CREATED", "AGE", "KINSPECT"))}
	start, end := m.cur.Window()
	now := m.now()
	for i := start; i < end; i++ {
		c := m.list[i]
		mine := kinspectCell(c, now)
		created, age := "–", "–"
		if !c.CreatedAt.IsZero() {
			created = c.CreatedAt.UTC().Format("2006-01-02 15:04:05")
			age = Age(now.Sub(c.CreatedAt))
		}
		line := m.row(c.Name, c.Status, created, age, mine)
		if i == m.cur.Pos {
			line = m.st.Selected.Render(line)
		}
		lines = append(lines, line)
	}
	if m.loaded && len(m.list) == 0 {
		lines = append(lines, m.st.Muted.Render(draw.Fit("no enhanced fan-out consumer on this stream", m.width)))
	}
	for len(lines) < m.height {
		lines = append(lines, "")
	}
	return strings.Join(lines[:m.height], "\n")
}

func (m *Model) row(name, status, created, age, mine string) string {
	wName := max(m.width-wStatus-wCreated-wAge-wMine-4, 8)
	return draw.Fit(strings.Join([]string{draw.Fit(name, wName), draw.Fit(status, wStatus), draw.Fit(created, wCreated),
		draw.FitLeft(age, wAge), draw.Fit(mine, wMine)}, " "), m.width)
}

// Age spells a duration compactly: 45s, 12m, 5h, 3d.
func Age(d time.Duration) string {
	switch {
	case d < 0:
		return "0s"
	case d < time.Minute:
		return fmt.Sprintf("%ds", int(d.Seconds()))
	case d < time.Hour:
		return fmt.Sprintf("%dm", int(d.Minutes()))
	case d < 48*time.Hour:
		return fmt.Sprintf("%dh", int(d.Hours()))
	}
	return fmt.Sprintf("%dd", int(d.Hours()/24))
}
