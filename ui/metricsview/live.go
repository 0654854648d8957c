package metricsview

import (
	"context"
	"fmt"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/kinspect/kinspect/kinesisx"
	"github.com/kinspect/kinspect/ui/view"
)

// The live fill: only the top screen reads Kinesis, so while :metrics is
// on top no other tail feeds the minutes CloudWatch has not published
// yet. L opens a tail of its own (whole stream, from LATEST) that hands
// every batch to Feed (the CloudWatch adapter's live counts) and keeps
// nothing; once it has run LiveFillAfter the screen reloads, so the
// unpublished minutes fill at once. Stop and Close end it; Start reopens
// it. Results carry liveID; older ones are dropped.

// LiveFillAfter is how long the live tail runs before the screen reloads.
const LiveFillAfter = 5 * time.Second

// liveStartedMsg is the result of opening the live tail.
type liveStartedMsg struct {
	viewID, liveID int
	stream         view.TailStream
	err            error
}

// liveBatchMsg says the live tail delivered a batch (already fed).
type liveBatchMsg struct{ viewID, liveID int }

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
			return liveStartedMsg{viewID: viewID, liveID: liveID, err: fmt.Errorf("live fill of %s: %w", stream, err)}
		}
		if ctx.Err() != nil {
			s.Close()
			return liveStartedMsg{viewID: viewID, liveID: liveID, err: ctx.Err()}
		}
		return liveStartedMsg{viewID: viewID, liveID: liveID, stream: s}
	}
}

// waitLive waits for the next batch and feeds it, off the event loop
// (the feed is safe for concurrent use).
func waitLive(s view.TailStream, feed func(string, kinesisx.Batch), stream string, viewID, liveID int) tea.Cmd {
	return func() tea.Msg {
		b, ok := <-s.Batches()
		if !ok {
			return liveEndedMsg{viewID: viewID, liveID: liveID, err: s.Err()}
		}
		feed(stream, b)
		return liveBatchMsg{viewID: viewID, liveID: liveID}
	}
}

// startLive opens the live tail if it is wanted and not running.
func (m *Model) startLive() tea.Cmd {
	if !m.liveOn || m.tailer == nil || m.feed == nil || m.liveStream != nil || m.liveCancel != nil {
		return nil
	}
	m.liveID++
	ctx, cancel := context.WithCancel(m.ctx)
	m.liveCancel = cancel
	return openLive(ctx, m.tailer, m.stream, m.id, m.liveID)
}

// stopLive closes the live tail.
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
		m.liveStream, m.liveSince, m.livePolled = msg.stream, m.now(), false
		return waitLive(m.liveStream, m.feed, m.stream, m.id, m.liveID)
	case liveBatchMsg:
		if msg.viewID != m.id || msg.liveID != m.liveID || m.liveStream == nil {
			return nil
		}
		next := waitLive(m.liveStream, m.feed, m.stream, m.id, m.liveID)
		if !m.livePolled && m.now().Sub(m.liveSince) >= LiveFillAfter {
			m.livePolled = true
			return tea.Batch(next, m.load())
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
			return view.Error(fmt.Errorf("live fill of %s ended: %w", m.stream, msg.err))
		}
	}
	return nil
}
