package ui

import (
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"github.com/kinspect/kinspect/ui/cell"
)

// View implements tea.Model: status line, the overlay or the top screen,
// footer. No line is wider than the window.
func (a *app) View() tea.View {
	var b strings.Builder
	if a.width > 0 && a.height > 0 {
		status := a.statusLines()
		b.WriteString(strings.Join(status, "\n"))
		if a.height > len(status)+1 {
			b.WriteByte('\n')
			body := a.top()
			if a.overlay != nil {
				body = a.overlay
			}
			b.WriteString(cell.Clip(body.View(), a.width))
		}
		if a.height > 1 {
			b.WriteByte('\n')
			b.WriteString(a.footerLine())
		}
	}
	v := tea.NewView(b.String())
	v.AltScreen = true
	v.MouseMode = tea.MouseModeCellMotion
	v.WindowTitle = "kinspect"
	return v
}

// statusLine: breadcrumbs and the last message on the left; profile,
// region, endpoint and the read-only badge on the right. ok says the
// message is shown whole; a message takes the room of the labels first.
func (a *app) statusLine() (line string, ok bool) {
	left := a.st.Title.Render("kinspect") + a.st.Muted.Render(crumbSep+strings.Join(a.crumbs(), crumbSep))
	if a.status != "" {
		style := a.st.Muted
		if a.isErr {
			style = a.st.Error
		}
		left += "  " + style.Render(a.status)
	}
	var labels []string
	for _, l := range [][2]string{{"profile", a.conn.Profile}, {"region", a.conn.Region}, {"endpoint", a.conn.Endpoint}} {
		if l[1] == "" {
			continue
		}
		style := a.st.Status
		if l[0] == "profile" && a.conn.Color != "" && !a.st.NoColor {
			style = style.Foreground(lipgloss.Color(a.conn.Color)).Bold(true)
		}
		labels = append(labels, style.Render(l[0]+" "+l[1]))
	}
	// The badges say what is on (read-only, a pending automatic off): they
	// are never cut; the labels, endpoint last, give way first.
	var before, after string
	if a.auto != nil {
		if b := a.auto.Badge(); b != "" {
			before = a.st.Warn.Render(b) + " "
		}
	}
	if a.conn.Guard.ReadOnly {
		after = " " + a.st.Badge.Render(" RO ")
	}
	labelText := strings.Join(labels, a.st.Status.Render(" · "))
	fixed := lipgloss.Width(before) + lipgloss.Width(after)
	rw := max(fixed, min(fixed+lipgloss.Width(labelText), a.width/2))
	if a.status != "" {
		// A message says what happened and what to do: it gets the room,
		// the labels what is left.
		rw = max(fixed, min(rw, a.width-lipgloss.Width(left)-1))
	}
	rw = min(rw, a.width)
	right := before + cell.Fit(labelText, max(rw-fixed, 0)) + after
	room := max(a.width-rw-1, 0)
	ok = a.status == "" || lipgloss.Width(left) <= room
	return cell.Fit(cell.Fit(left, room)+" "+cell.FitLeft(right, rw), a.width), ok
}

// footerLine: the command line when typing, else the screen's main keys
// on the left and "? help • q quit" always visible on the right, spelled
// out.
func (a *app) footerLine() string {
	if a.typing {
		return cell.Fit(a.cmdline.View(), a.width)
	}
	fixed := []key.Binding{a.global.Help, a.global.Quit}
	var bs []key.Binding
	if a.overlay != nil {
		bs, fixed = a.overlay.KeyMap().ShortHelp(), nil
	} else {
		bs = append(a.top().KeyMap().ShortHelp(), a.global.Back, a.global.Command)
	}
	f := a.footer
	f.SetWidth(0)
	right := f.ShortHelpView(fixed)
	rw := lipgloss.Width(right)
	f.SetWidth(max(a.width-rw-3, 1))
	left := f.ShortHelpView(bs)
	return cell.Fit(cell.Fit(left, max(a.width-rw-1, 0))+" "+right, a.width)
}
