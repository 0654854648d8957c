package metricsview

import (
	tea "charm.land/bubbletea/v2"

	"github.com/kinspect/kinspect/kinesisx"
	"github.com/kinspect/kinspect/ui/livetail"
)

// The live fill: only the top screen reads Kinesis, so while :metrics is
// on top no other tail feeds the minutes CloudWatch has not published
// yet. L opens a tail of its own (livetail: whole stream, from LATEST)
// that hands every batch to Feed (the CloudWatch adapter's live counts)
// and keeps nothing; once it has run LiveFillAfter the screen reloads, so
// the unpublished minutes fill at once. Stop and Close end it; Start
// reopens it.

// LiveFillAfter is how long the live tail runs before the screen reloads.
const LiveFillAfter = livetail.FillAfter

// sink hands the live tail's batches to the feed, off the event loop (the
// feed is safe for concurrent use).
func (m *Model) sink() func(kinesisx.Batch) {
	stream, feed := m.stream, m.feed
	return func(b kinesisx.Batch) { feed(stream, b) }
}

// startLive opens the live tail if it is wanted and not running.
func (m *Model) startLive() tea.Cmd {
	if m.feed == nil {
		return nil
	}
	return m.live.Start(m.Ctx(), m.tailer, m.stream)
}

// stopLive closes the live tail.
func (m *Model) stopLive() { m.live.Stop() }

// updateLive handles the live tail's messages.
func (m *Model) updateLive(msg tea.Msg) tea.Cmd {
	ev := m.live.Update(msg, m.now(), m.sink())
	if ev.Fill {
		return tea.Batch(ev.Cmd, m.load())
	}
	return ev.Cmd
}
