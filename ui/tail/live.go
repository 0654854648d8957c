package tail

import (
	"context"
	"fmt"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/kinspect/kinspect/kinesisx"
	"github.com/kinspect/kinspect/session"
	"github.com/kinspect/kinspect/ui/screen"
)

// FillAfter is how long a live tail runs before its screen asks once for
// the metrics again, so that the minutes CloudWatch has not published yet
// are filled from what the tail fed the session.
const FillAfter = 5 * time.Second

// Live is the live tail a screen opens of its own (the stream screen's
// live rates, the metrics screen's live fill): a Sub of the whole stream
// from LATEST, its batches given to the session, only the per-shard
// progress handed to the screen. Only the top screen reads Kinesis: the
// screen calls Stop when it is covered or closed and Start when it is on
// top again; the tail stays wanted (On) across them.
type Live struct {
	sub    Sub
	on     bool
	since  time.Time // when the tail opened
	filled bool      // Fill was reported since it opened
}

// NewLive builds the live tail of the screen screenID; label names it in
// errors ("live rates of orders ended: …"), sess is given its batches.
func NewLive(screenID int, label string, sess *session.Session) Live {
	return Live{sub: NewSub(screenID, label, sess, false)}
}

// On reports whether the tail is wanted (it may not be open yet).
func (l *Live) On() bool { return l.on }

// SetOn says whether the tail is wanted; Start and Stop do the opening
// and closing.
func (l *Live) SetOn(on bool) { l.on = on }

// Open reports whether the tail is open and delivering.
func (l *Live) Open() bool { return l.sub.Open() }

// Opening reports whether the tail is being opened or is open.
func (l *Live) Opening() bool { return l.sub.Running() }

// Start opens the tail of stream when it is wanted and neither open nor
// being opened; otherwise (or with no tailer) it returns nil.
func (l *Live) Start(ctx context.Context, t Tailer, stream string) tea.Cmd {
	if !l.on || t == nil || l.sub.Running() {
		return nil
	}
	return l.sub.Start(ctx, t, kinesisx.TailOptions{Stream: stream, From: kinesisx.StartPosition{Type: kinesisx.PositionLatest}})
}

// Stop closes the tail; it stays wanted, so Start reopens it.
func (l *Live) Stop() { l.sub.Close() }

// Wait returns the Cmd that waits for the open tail's next batch; nil
// when it is not open.
func (l *Live) Wait() tea.Cmd { return l.sub.Wait() }

// LiveEvent is what one of the tail's messages means to the screen.
type LiveEvent struct {
	// Cmd is to be returned to the runtime: the wait for the next batch,
	// the closing of a late stream, or an error for the status line.
	Cmd tea.Cmd
	// Shards is the per-shard progress of a batch of the current tail
	// (nil: no batch).
	Shards map[string]kinesisx.ShardProgress
	// Fill is set once per opening, on the first batch after the tail has
	// run FillAfter: the screen asks for its metrics again.
	Fill bool
	// Opened is set when the tail has opened: its rates count from now.
	Opened bool
}

// Update handles the tail's messages (ok is false for any other); now is
// the screen's clock. A tail that fails to open or ends is no longer
// wanted: its error goes to the status line.
func (l *Live) Update(msg tea.Msg, now time.Time) (ev LiveEvent, ok bool) {
	se, ok := l.sub.Update(msg)
	if !ok {
		return LiveEvent{}, false
	}
	ev.Cmd = se.Cmd
	switch {
	case se.Opened && se.Err != nil:
		l.on = false
		ev.Cmd = screen.Error(se.Err)
	case se.Opened:
		l.since, l.filled, ev.Opened = now, false, true
	case se.Batch != nil:
		ev.Shards = se.Batch.Shards
		if ev.Shards == nil {
			ev.Shards = map[string]kinesisx.ShardProgress{}
		}
		if !l.filled && now.Sub(l.since) >= FillAfter {
			l.filled, ev.Fill = true, true
		}
	case se.Ended:
		l.on = false
		if se.Err != nil {
			ev.Cmd = screen.Error(fmt.Errorf("%s %s ended: %w", l.sub.label, l.sub.name, se.Err))
		}
	}
	return ev, true
}
