package shards

import (
	"context"
	"fmt"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/kinspect/kinspect/kinesisx"
	"github.com/kinspect/kinspect/ui/view"
)

// The live-rates tail: with L the screen reads the whole stream from
// LATEST, keeps only the per-shard progress (rates, lag, latency) and drops
// the records, so the bars move while the screen is on top. It runs only
// while the screen is the top of the stack: Stop closes it, Start reopens
// it. Results carry liveID; older ones are dropped.

// LiveFillAfter is how long the live tail runs before the screen asks
// for metrics again, so that the minutes CloudWatch has not published yet
// are filled from it (the next regular poll is up to MetricsEvery away).
const LiveFillAfter = 5 * time.Second

// liveStartedMsg is the result of opening the live tail.
type liveStartedMsg struct {
	viewID, liveID int
	stream         view.TailStream
	err            error
}

// liveBatchMsg is one flush of the live tail.
type liveBatchMsg struct {
	viewID, liveID int
	shards         map[string]kinesisx.ShardProgress
}

// liveEndedMsg says the live tail's channel closed.
type liveEndedMsg struct {
	viewID, liveID int
	err            error
}

// openLive starts the live tail; a stream that arrives after the tail was
// abandoned is closed here.
func openLive(ctx context.Context, t view.Tailer, stream string, viewID, liveID int) tea.Cmd {
	return func() tea.Msg {
		s, err := t.Tail(ctx, kinesisx.TailOptions{Stream: stream, From: kinesisx.StartPosition{Type: kinesisx.PositionLatest}})
		if err != nil {
			return liveStartedMsg{viewID: viewID, liveID: liveID, err: fmt.Errorf("live rates of %s: %w", stream, err)}
		}
		if ctx.Err() != nil {
			s.Close()
			return liveStartedMsg{viewID: viewID, liveID: liveID, err: ctx.Err()}
		}
		return liveStartedMsg{viewID: viewID, liveID: liveID, stream: s}
	}
}

// waitLive waits for the next flush and keeps only the progress; the
// records go to sink first (the hot-key analyser, the CloudWatch live
// fill: both safe for concurrent use), here, off the event loop.
func waitLive(s view.TailStream, sink func(kinesisx.Batch), viewID, liveID int) tea.Cmd {
	return func() tea.Msg {
		b, ok := <-s.Batches()
		if !ok {
			return liveEndedMsg{viewID: viewID, liveID: liveID, err: s.Err()}
		}
		if sink != nil {
			sink(b)
		}
		return liveBatchMsg{viewID: viewID, liveID: liveID, shards: b.Shards}
	}
}

// sink is where the live tail's batches go besides the bars: nil when
// nothing consumes them.
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

// startLive opens the live tail if it is wanted and not running.
func (m *Model) startLive() tea.Cmd {
	if !m.liveOn || m.tailer == nil || m.liveStream != nil || m.liveCancel != nil {
		return nil
	}
	m.liveID++
	ctx, cancel := context.WithCancel(m.ctx)
	m.liveCancel = cancel
	return openLive(ctx, m.tailer, m.name, m.id, m.liveID)
}

// stopLive closes the live tail; its rates are dropped, as they would no
// longer be live.
func (m *Model) stopLive() {
	m.liveID++
	if m.liveCancel != nil {
		m.liveCancel()
		m.liveCancel = nil
	}
	if m.liveStream != nil {
		m.liveStream.Close()
		m.liveStream = nil
	}
	clear(m.live)
}

// updateLive handles the live tail's messages.
func (m *Model) updateLive(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case liveStartedMsg:
		if msg.viewID != m.id {
			return nil
		}
		if msg.liveID != m.liveID {
			if msg.stream != nil {
				s := msg.stream
				return func() tea.Msg { s.Close(); return nil }
			}
			return nil
		}
		if msg.err != nil {
			m.liveOn, m.liveCancel = false, nil
			return view.Error(msg.err)
		}
		m.liveStream = msg.stream
		m.liveSince, m.livePolled = m.now(), false
		return waitLive(m.liveStream, m.sink(), m.id, m.liveID)
	case liveBatchMsg:
		if msg.viewID != m.id || msg.liveID != m.liveID || m.liveStream == nil {
			return nil
		}
		m.observe(view.ShardRatesMsg{Stream: m.name, Shards: msg.shards, At: m.now()})
		next := waitLive(m.liveStream, m.sink(), m.id, m.liveID)
		if m.feed != nil && !m.livePolled && m.now().Sub(m.liveSince) >= LiveFillAfter {
			// The tail has fed the live fill for a while: ask once now, so
			// the unpublished minutes fill without waiting for the next poll.
			m.livePolled = true
			return tea.Batch(next, m.pollMetrics())
		}
		return next
	case liveEndedMsg:
		if msg.viewID != m.id || msg.liveID != m.liveID {
			return nil
		}
		m.liveOn, m.liveStream = false, nil
		if m.liveCancel != nil {
			m.liveCancel()
			m.liveCancel = nil
		}
		if msg.err != nil {
			return view.Error(fmt.Errorf("live rates of %s ended: %w", m.name, msg.err))
		}
	}
	return nil
}
