package shards

import (
	tea "charm.land/bubbletea/v2"

	"github.com/kinspect/kinspect/kinesisx"
	"github.com/kinspect/kinspect/ui/livetail"
	"github.com/kinspect/kinspect/ui/screen"
)

// The live-rates tail: with L the screen reads the whole stream from
// LATEST (livetail), keeps only the per-shard progress (rates, lag,
// latency) and drops the records, so the bars move while the screen is on
// top. It runs only while the screen is the top of the stack: Stop closes
// it, Start reopens it.

// LiveFillAfter is how long the live tail runs before the screen asks
// for metrics again, so that the minutes CloudWatch has not published yet
// are filled from it (the next regular poll is up to MetricsEvery away).
const LiveFillAfter = livetail.FillAfter

// sink is where the live tail's batches go besides the bars (the hot-key
// analyser, the CloudWatch live fill: both safe for concurrent use), off
// the event loop: nil when nothing consumes them.
func (m *Model) sink() func(kinesisx.Batch) {
	if m.traffic == nil && m.feed == nil {
		return nil
	}
	stream, a, feed := m.name, m.traffic.Analyser(m.name), m.feed
	return func(b kinesisx.Batch) {
		if a != nil {
			a.AddBatch(b)
		}
		if feed != nil {
			feed(stream, b)
		}
	}
}

// startLive opens the live tail if it is wanted and not running. Its
// first second of rates counts less than a second of records (a tail
// from LATEST starts at zero): those samples are gaps, not a dip.
func (m *Model) startLive() tea.Cmd {
	cmd := m.tail.Start(m.Ctx(), m.tailer, m.name)
	if cmd != nil {
		m.liveFrom = m.now()
	}
	return cmd
}

// stopLive closes the live tail; its rates are dropped, as they would no
// longer be live.
func (m *Model) stopLive() {
	m.tail.Stop()
	clear(m.live)
}

// updateLive handles the live tail's messages.
func (m *Model) updateLive(msg tea.Msg) tea.Cmd {
	ev := m.tail.Update(msg, m.now(), m.sink())
	if ev.Batch {
		m.observe(screen.ShardRatesMsg{Stream: m.name, Shards: ev.Shards, At: m.now()})
	}
	if ev.Fill && m.feed != nil {
		// The tail has fed the live fill for a while: ask once now, so
		// the unpublished minutes fill without waiting for the next poll.
		return tea.Batch(ev.Cmd, m.pollMetrics())
	}
	return ev.Cmd
}
