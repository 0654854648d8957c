package metricsview

import (
	tea "charm.land/bubbletea/v2"

	"github.com/kinspect/kinspect/ui/tail"
)

// The live fill: only the top screen reads Kinesis, so while :metrics is
// on top no other tail feeds the minutes CloudWatch has not published
// yet. L opens a tail of its own (tail.Live: whole stream, from LATEST)
// whose batches the session counts (its live counts fill the CloudWatch
// adapter's unpublished minutes) and keeps nothing; once it has run
// LiveFillAfter the screen reloads, so the unpublished minutes fill at
// once. Stop and Close end it; Start reopens it.

// LiveFillAfter is how long the live tail runs before the screen reloads.
const LiveFillAfter = tail.FillAfter

// startLive opens the live tail if it is wanted and not running.
func (m *Model) startLive() tea.Cmd {
	if m.sess == nil {
		return nil
	}
	return m.live.Start(m.Ctx(), m.tailer, m.stream)
}

// stopLive closes the live tail.
func (m *Model) stopLive() { m.live.Stop() }

// updateLive handles the live tail's messages (ok is false for others).
func (m *Model) updateLive(msg tea.Msg) (cmd tea.Cmd, ok bool) {
	ev, ok := m.live.Update(msg, m.now())
	if ev.Fill {
		return tea.Batch(ev.Cmd, m.load()), ok
	}
	return ev.Cmd, ok
}
