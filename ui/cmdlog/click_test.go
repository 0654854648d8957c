package cmdlog

import (
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/kinspect/kinspect/kinesisx/calllog"
	"github.com/kinspect/kinspect/ui/internal/uitest"
)

// TestClickSelectsACall: a click on a call's line selects it (its detail
// shows, and the log stops following); a click on the header does not.
func TestClickSelectsACall(t *testing.T) {
	for _, w := range []int{80, 120} {
		log := calllog.New(100)
		for _, e := range entries() {
			log.Add(e)
		}
		m := newScreen(t, log, w, 16)
		for _, msg := range uitest.Msgs(m.Start()) {
			m.Update(msg)
		}
		y := -1
		for i, l := range strings.Split(ansi.Strip(m.View()), "\n") {
			if strings.Contains(l, "SplitShard") {
				y = i
			}
		}
		if y < 0 {
			t.Fatalf("%d: no SplitShard row:\n%s", w, ansi.Strip(m.View()))
		}
		m.Update(tea.MouseClickMsg{Button: tea.MouseLeft, Y: y})
		if e, ok := m.Selected(); !ok || e.Operation != "SplitShard" || m.follow {
			t.Errorf("%d: a click on line %d selected %+v (following %v)", w, y, e, m.follow)
		}
		m.Update(tea.MouseClickMsg{Button: tea.MouseLeft, Y: 1})
		if e, _ := m.Selected(); e.Operation != "SplitShard" {
			t.Errorf("%d: a click on the header selected %s", w, e.Operation)
		}
	}
}
