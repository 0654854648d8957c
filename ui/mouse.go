package ui

import (
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"github.com/kinspect/kinspect/ui/screen"
)

// crumbSep separates the breadcrumbs on the status line.
const crumbSep = " › "

// crumbs are the titles of the stack, home first.
func (a *app) crumbs() []string {
	out := make([]string, 0, len(a.stack))
	for _, s := range a.stack {
		out = append(out, s.Title())
	}
	return out
}

// mouse routes a wheel or a click: a click on a breadcrumb goes back to
// that screen; the rest goes to the overlay or the top screen, with Y in
// the body's coordinates (see screen.Model). Clicks on the footer are
// dropped.
func (a *app) mouse(msg tea.MouseMsg) tea.Cmd {
	m := msg.Mouse()
	top := a.statusHeight()
	_, click := msg.(tea.MouseClickMsg)
	if click && m.Y < top {
		if a.overlay != nil || top != 1 || m.Button != tea.MouseLeft {
			return nil
		}
		if i := a.crumbAt(m.X); i >= 0 {
			return a.popTo(i)
		}
		return nil
	}
	if click && m.Y >= a.height-1 {
		return nil
	}
	m.Y -= top
	var body tea.Msg = tea.MouseWheelMsg(m)
	if click {
		body = tea.MouseClickMsg(m)
	}
	var target screen.Model = a.top()
	if a.overlay != nil {
		target = a.overlay
	}
	return target.Update(body)
}

// crumbAt is the index on the stack of the breadcrumb at column x of the
// status line ("kinspect" is home), or -1.
func (a *app) crumbAt(x int) int {
	at := lipgloss.Width("kinspect")
	if x < at {
		return 0
	}
	for i, c := range a.crumbs() {
		at += lipgloss.Width(crumbSep)
		end := at + lipgloss.Width(c)
		if x >= at && x < end {
			return i
		}
		at = end
	}
	return -1
}
