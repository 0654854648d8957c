package ui

import (
	"strings"
	"time"

	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"github.com/kinspect/kinspect/ui/cell"
)

// defaultStatusFor is how long a message stays on the status line: k9s's
// flash delay (model.DefaultFlashDelay), which clears every message, info
// or error, 3 s after it was set, a newer message restarting the count.
const defaultStatusFor = 3 * time.Second

// maxStatusLines bounds how far a long message may push the screen down.
const maxStatusLines = 4

// statusExpiredMsg says the message numbered seq has been shown long
// enough; a newer message (another seq) stays.
type statusExpiredMsg struct{ seq int }

// setStatus shows a message and returns the Cmd that clears it later. The
// screens are resized when the message needs more or fewer lines.
func (a *app) setStatus(text string, isErr bool) tea.Cmd {
	a.status, a.isErr = text, isErr
	a.statusSeq++
	a.resize()
	d := a.cfg.StatusFor
	if d == 0 {
		d = defaultStatusFor
	}
	if d < 0 {
		return nil
	}
	seq := a.statusSeq
	return a.common.Tick(d, func(time.Time) tea.Msg { return statusExpiredMsg{seq: seq} })
}

// statusExpired clears the message if it is still the one the timer was
// set for.
func (a *app) statusExpired(msg statusExpiredMsg) {
	if msg.seq != a.statusSeq || a.status == "" {
		return
	}
	a.status, a.isErr = "", false
	a.resize()
}

// resize gives every screen the body size, which depends on how many
// lines the status takes.
func (a *app) resize() {
	w, h := a.bodySize()
	for _, s := range a.stack {
		s.SetSize(w, h)
	}
	if a.overlay != nil {
		a.overlay.SetSize(w, h)
	}
}

// statusLines renders the status: one line when the message fits beside
// the breadcrumbs and labels, else the message alone, wrapped (at spaces,
// then after a slash of a path) over up to maxStatusLines lines. The fixed
// parts (breadcrumbs, labels) give way; the message keeps every word.
func (a *app) statusLines() []string {
	if one, ok := a.statusLine(); ok || a.status == "" || a.height < 8 {
		return []string{one}
	}
	style := a.st.Muted
	if a.isErr {
		style = a.st.Error
	}
	lines := wrapWords(a.status, max(a.width, 1))
	if len(lines) > maxStatusLines {
		lines = lines[:maxStatusLines]
		lines[maxStatusLines-1] = cell.Fit(lines[maxStatusLines-1]+" …", a.width)
	}
	for i, l := range lines {
		lines[i] = cell.Fit(style.Render(l), a.width)
	}
	return lines
}

// statusHeight is the number of lines statusLines takes.
func (a *app) statusHeight() int {
	if a.width <= 0 || a.height <= 0 {
		return 1
	}
	return len(a.statusLines())
}

// wrapWords wraps plain text at spaces into lines of at most w cells. A
// word wider than w (a long path) is broken after its last slash that
// fits, and only cut hard when no slash does, so a file name stays whole
// whenever it fits on a line.
func wrapWords(s string, w int) []string {
	var lines []string
	cur := ""
	for _, word := range strings.Fields(s) {
		switch {
		case cur == "":
		case lipgloss.Width(cur)+1+lipgloss.Width(word) <= w:
			cur += " " + word
			continue
		default:
			lines = append(lines, cur)
		}
		for lipgloss.Width(word) > w {
			r := []rune(word)
			cut := w
			if i := strings.LastIndex(string(r[:w]), "/"); i > 0 {
				cut = len([]rune(string(r[:w])[:i+1]))
			}
			lines = append(lines, string(r[:cut]))
			word = string(r[cut:])
		}
		cur = word
	}
	return append(lines, cur)
}
