package tail

import (
	"fmt"
	"strings"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/kinspect/kinspect/kinesisx"
	"github.com/kinspect/kinspect/ui/draw"
	"github.com/kinspect/kinspect/ui/screen"
)

// needsFind reports whether the filter's answer is partial: records went
// by that it never looked at.
func (m *Model) needsFind() bool { return m.filterRe != nil && m.unseen > 0 }

// findCommand is the `kinspect find` that searches the tail's window
// (from where the tail started until now) for what the filter looks for.
// ok is false when find has no equivalent (an inverted filter, or one on
// the key or the shard ID: find greps payloads).
func (m *Model) findCommand() (cmd string, ok bool) {
	if m.invert || m.field == "key" || m.field == "shard" {
		return "", false
	}
	args := []string{"find", m.opts.Stream}
	for _, id := range m.opts.Shards {
		args = append(args, "--shard", id)
	}
	args = append(args, "--grep", m.filterRe.String(), "--from", m.windowStart())
	// AWSCommand quotes each argument for a shell; only the program differs.
	return "kinspect" + strings.TrimPrefix(kinesisx.AWSCommand(args...), "aws kinesis"), true
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
	head := fmt.Sprintf("  %s records went by before this filter saw them: ", draw.Count(m.unseen))
	cmd, ok := m.findCommand()
	if !ok {
		return m.st.Warn.Render(head + "kinspect find greps payloads (--grep) or matches a key (--key)")
	}
	return m.st.Warn.Render(head+"F copies ") + m.st.Accent.Render(cmd)
}

// copyFind sends the find command to the clipboard (OSC 52) and shows it
// whole on the status line.
func (m *Model) copyFind() tea.Cmd {
	if !m.needsFind() {
		return nil
	}
	cmd, ok := m.findCommand()
	if !ok {
		return screen.Cmd(screen.InfoMsg{Text: "kinspect find has no equivalent of this filter: it greps payloads (--grep) or matches a key (--key)"})
	}
	return tea.Batch(tea.SetClipboard(cmd), screen.Cmd(screen.InfoMsg{Text: cmd + "  ← " + clipboardSent("command", len(cmd))}))
}
