package tail

import (
	"fmt"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/kinspect/kinspect/kinesisx"
	"github.com/kinspect/kinspect/ui/cell"
	"github.com/kinspect/kinspect/ui/screen"
)

// needsFind reports whether the filter's answer is partial: records went
// by that it never looked at.
func (m *Model) needsFind() bool { return m.filterRe != nil && m.unseen > 0 }

// findCommand is the find screen's command line that searches the
// tail's window (from where the tail started until now) for what the
// filter looks for. ok is false when find has no equivalent (an inverted
// filter, or one on the key or the shard ID: find greps payloads).
func (m *Model) findCommand() (cmd string, ok bool) {
	if m.invert || m.field == "key" || m.field == "shard" {
		return "", false
	}
	return screen.FindQuery{Data: m.filterRe.String(), Since: m.windowStart(), Shards: m.opts.Shards}.Command(), true
}

// windowStart is find's --from for the tail's window.
func (m *Model) windowStart() string {
	switch m.opts.From.Type {
	case kinesisx.PositionTrimHorizon:
		return "trim-horizon"
	case kinesisx.PositionAtTimestamp:
		return m.opts.From.Timestamp.UTC().Format(time.RFC3339)
	}
	return m.startedAt.UTC().Truncate(time.Second).Format(time.RFC3339)
}

// findLine offers find when the buffer cannot answer.
func (m *Model) findLine() string {
	head := fmt.Sprintf("  %s records went by before this filter saw them: ", cell.Count(m.unseen))
	cmd, ok := m.findCommand()
	if !ok {
		return m.st.Warn.Render(head + "find greps payloads (data:) or matches a key exactly (:find key:K)")
	}
	return m.st.Warn.Render(head+"F runs ") + m.st.Accent.Render(":"+cmd)
}

// openFind opens the find screen on the filter's pattern over the tail's
// window, through the root's command line.
func (m *Model) openFind() tea.Cmd {
	if m.filterRe == nil {
		return screen.Cmd(screen.InfoMsg{Text: "F searches the tail's window for the filter: set one with / first, or type :find key:K data:RE since:-1h"})
	}
	cmd, ok := m.findCommand()
	if !ok {
		return screen.Cmd(screen.InfoMsg{Text: "find has no equivalent of this filter: it greps payloads (data:) or matches a key exactly (:find key:K)"})
	}
	return screen.Cmd(screen.RunCommandMsg{Command: cmd})
}
