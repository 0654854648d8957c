// Package livetail is the live tail a screen opens of its own (L on the
// stream and metrics screens): the whole stream from LATEST, its records
// handed to a sink and dropped, only the per-shard progress kept.
//
// Ownership: a Tail lives in one screen's model and is used on the event
// loop only. Its Cmds capture values, never the Tail; the sink runs in the
// Cmd that received the batch, off the event loop, so it must be safe for
// concurrent use. Only the top screen reads Kinesis: the screen calls Stop
// when it is covered or closed and Start when it is on top again. Every
// result carries the screen's id and the tail's generation; older ones are
// dropped (and a stream that arrives for an abandoned tail is closed).
package livetail

import (
	"context"
	"fmt"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/kinspect/kinspect/kinesisx"
	"github.com/kinspect/kinspect/ui/screen"
)

// FillAfter is how long the tail runs before the screen asks once for the
// metrics again, so that the minutes CloudWatch has not published yet are
// filled from what the tail fed.
const FillAfter = 5 * time.Second

// StartedMsg is the result of opening the tail.
type StartedMsg struct {
	ViewID, ID int
	Stream     screen.TailStream
	Err        error
}

// BatchMsg says the tail delivered a batch (already handed to the sink);
// Shards is its per-shard progress.
type BatchMsg struct {
	ViewID, ID int
	Shards     map[string]kinesisx.ShardProgress
}

// EndedMsg says the tail's channel closed; Err is the tail's error.
type EndedMsg struct {
	ViewID, ID int
	Err        error
}

// Tail is one screen's live tail. The zero value is unusable: build it
// with New.
type Tail struct {
	label  string // names the tail in errors ("live rates")
	viewID int
	on     bool
	id     int
	name   string // the stream being read
	stream screen.TailStream
	cancel context.CancelFunc
	since  time.Time // when the tail opened
	filled bool      // Fill was reported since it opened
}

// New builds the tail of the screen viewID; label names it in errors
// ("live rates of orders ended: ...").
func New(viewID int, label string) Tail { return Tail{label: label, viewID: viewID} }

// On reports whether the tail is wanted (it may not be open yet).
func (t *Tail) On() bool { return t.on }

// SetOn says whether the tail is wanted; Start and Stop do the opening
// and closing.
func (t *Tail) SetOn(on bool) { t.on = on }

// Open reports whether the tail is open and delivering.
func (t *Tail) Open() bool { return t.stream != nil }

// Opening reports whether the tail is being opened or is open.
func (t *Tail) Opening() bool { return t.cancel != nil }

// ID is the tail's current generation; results carrying another are
// dropped.
func (t *Tail) ID() int { return t.id }

// Start opens the tail of stream when it is wanted and neither open nor
// being opened; otherwise (or with no tailer) it returns nil.
func (t *Tail) Start(ctx context.Context, tailer screen.Tailer, stream string) tea.Cmd {
	if !t.on || tailer == nil || t.stream != nil || t.cancel != nil {
		return nil
	}
	t.id++
	t.name = stream
	ctx, cancel := context.WithCancel(ctx)
	t.cancel = cancel
	return open(ctx, tailer, stream, t.label, t.viewID, t.id)
}

// Stop closes the tail; it stays wanted, so Start reopens it.
func (t *Tail) Stop() {
	t.id++
	if t.cancel != nil {
		t.cancel()
		t.cancel = nil
	}
	if t.stream != nil {
		t.stream.Close()
		t.stream = nil
	}
}

// Wait returns the Cmd that waits for the open tail's next batch and hands
// it to sink (nil: nobody consumes the records); nil when it is not open.
func (t *Tail) Wait(sink func(kinesisx.Batch)) tea.Cmd {
	if t.stream == nil {
		return nil
	}
	return wait(t.stream, sink, t.viewID, t.id)
}

// Event is what one of the tail's messages means to the screen.
type Event struct {
	// Cmd is to be returned to the runtime: the wait for the next batch,
	// the closing of a late stream, or an error for the status line.
	Cmd tea.Cmd
	// Batch is set when a batch of the current tail arrived, with its
	// per-shard progress in Shards.
	Batch  bool
	Shards map[string]kinesisx.ShardProgress
	// Fill is set once per opening, on the first batch after the tail has
	// run FillAfter: the screen asks for its metrics again.
	Fill bool
}

// Update handles StartedMsg, BatchMsg and EndedMsg (anything else is
// ignored). now is the screen's clock; sink is given to the next wait.
func (t *Tail) Update(msg tea.Msg, now time.Time, sink func(kinesisx.Batch)) Event {
	switch msg := msg.(type) {
	case StartedMsg:
		if msg.ViewID != t.viewID {
			return Event{}
		}
		if msg.ID != t.id {
			if s := msg.Stream; s != nil {
				return Event{Cmd: func() tea.Msg { s.Close(); return nil }}
			}
			return Event{}
		}
		if msg.Err != nil {
			t.on, t.cancel = false, nil
			return Event{Cmd: screen.Error(msg.Err)}
		}
		t.stream, t.since, t.filled = msg.Stream, now, false
		return Event{Cmd: t.Wait(sink)}
	case BatchMsg:
		if msg.ViewID != t.viewID || msg.ID != t.id || t.stream == nil {
			return Event{}
		}
		ev := Event{Cmd: t.Wait(sink), Batch: true, Shards: msg.Shards}
		if !t.filled && now.Sub(t.since) >= FillAfter {
			t.filled, ev.Fill = true, true
		}
		return ev
	case EndedMsg:
		if msg.ViewID != t.viewID || msg.ID != t.id {
			return Event{}
		}
		t.on, t.stream = false, nil
		if t.cancel != nil {
			t.cancel()
			t.cancel = nil
		}
		if msg.Err != nil {
			return Event{Cmd: screen.Error(fmt.Errorf("%s of %s ended: %w", t.label, t.name, msg.Err))}
		}
	}
	return Event{}
}

// open starts the tail; a stream that arrives after the tail was abandoned
// is closed here.
func open(ctx context.Context, tailer screen.Tailer, stream, label string, viewID, id int) tea.Cmd {
	return func() tea.Msg {
		s, err := tailer.Tail(ctx, kinesisx.TailOptions{Stream: stream, From: kinesisx.StartPosition{Type: kinesisx.PositionLatest}})
		if err != nil {
			return StartedMsg{ViewID: viewID, ID: id, Err: fmt.Errorf("%s of %s: %w", label, stream, err)}
		}
		if ctx.Err() != nil {
			s.Close()
			return StartedMsg{ViewID: viewID, ID: id, Err: ctx.Err()}
		}
		return StartedMsg{ViewID: viewID, ID: id, Stream: s}
	}
}

// wait receives the next batch and hands it to sink, off the event loop;
// only the progress travels back.
func wait(s screen.TailStream, sink func(kinesisx.Batch), viewID, id int) tea.Cmd {
	return func() tea.Msg {
		b, ok := <-s.Batches()
		if !ok {
			return EndedMsg{ViewID: viewID, ID: id, Err: s.Err()}
		}
		if sink != nil {
			sink(b)
		}
		return BatchMsg{ViewID: viewID, ID: id, Shards: b.Shards}
	}
}
