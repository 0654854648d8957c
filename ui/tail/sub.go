package tail

import (
	"context"
	"fmt"

	tea "charm.land/bubbletea/v2"

	"github.com/kinspect/kinspect/kinesisx"
	"github.com/kinspect/kinspect/session"
)

// Sub is one subscription to a kinesisx tail: the start / wait /
// close-late-stream protocol that every reader of a tail in the UI shares
// (this screen, and the live rates of the stream and metrics screens,
// through Live).
//
// Ownership: a Sub lives in one screen's model and is used on the event
// loop only; its Cmds capture values, never the Sub. Each batch comes back
// to the event loop as a message, and Update hands it to the session
// (traffic analysis, live fill) there: no Cmd writes shared state. Every
// result carries the screen's id and the subscription's generation; older
// ones are dropped, and a stream that arrives for an abandoned
// subscription is closed.
type Sub struct {
	screen int
	label  string // names the tail in errors: "tail", "live rates of"
	sess   *session.Session
	unwrap bool // unwrap the payloads off the loop (the filter reads them)
	gen    int
	name   string // the stream read
	stream Stream
	cancel context.CancelFunc
}

// subStartedMsg is the result of opening a subscription's tail.
type subStartedMsg struct {
	screen, gen int
	stream      Stream
	err         error
}

// subBatchMsg is one batch of a subscription's tail; inner are its
// payloads unwrapped (nil unless the Sub unwraps).
type subBatchMsg struct {
	screen, gen int
	batch       kinesisx.Batch
	inner       [][]byte
}

// subEndedMsg says the tail's channel closed; err is the tail's error.
type subEndedMsg struct {
	screen, gen int
	err         error
}

// NewSub builds the subscription of the screen screenID; label names it
// in errors ("tail orders: …"), sess (may be nil) is given every batch,
// unwrap asks for the payloads unwrapped off the loop (SubEvent.Inner).
func NewSub(screenID int, label string, sess *session.Session, unwrap bool) Sub {
	return Sub{screen: screenID, label: label, sess: sess, unwrap: unwrap}
}

// Running reports whether the tail is being opened or is open.
func (s *Sub) Running() bool { return s.cancel != nil }

// Open reports whether the tail is open and delivering.
func (s *Sub) Open() bool { return s.stream != nil }

// Start opens a tail with opts, closing the running one first; with no
// tailer it returns nil.
func (s *Sub) Start(ctx context.Context, t Tailer, opts kinesisx.TailOptions) tea.Cmd {
	s.Close()
	if t == nil {
		return nil
	}
	s.name = opts.Stream
	ctx, cancel := context.WithCancel(ctx)
	s.cancel = cancel
	return openSub(ctx, t, opts, s.label, s.screen, s.gen)
}

// Close closes the tail; whatever it has in flight is stale from now on.
func (s *Sub) Close() {
	s.gen++
	if s.cancel != nil {
		s.cancel()
		s.cancel = nil
	}
	if s.stream != nil {
		s.stream.Close()
		s.stream = nil
	}
}

// Wait returns the Cmd that waits for the open tail's next batch (nil
// when it is not open).
func (s *Sub) Wait() tea.Cmd {
	if s.stream == nil {
		return nil
	}
	return waitSub(s.stream, s.unwrap, s.screen, s.gen)
}

// SubEvent is what one of the subscription's messages means to its owner.
type SubEvent struct {
	// Cmd is to be returned to the runtime: the wait for the next batch,
	// or the closing of a stream that arrived late.
	Cmd tea.Cmd
	// Opened: the tail is open (Err nil) or failed to open (Err says why,
	// naming the stream).
	Opened bool
	// Batch is set when a batch of the current tail arrived (already given
	// to the session), with its payloads unwrapped in Inner.
	Batch *kinesisx.Batch
	Inner [][]byte
	// Ended: the tail's channel closed; Err is the tail's error.
	Ended bool
	Err   error
}

// Update handles the subscription's messages: ok is false for any other
// message. A message of another screen, or of an older tail, yields an
// empty event (with the Cmd closing a late stream).
func (s *Sub) Update(msg tea.Msg) (ev SubEvent, ok bool) {
	switch msg := msg.(type) {
	case subStartedMsg:
		if msg.screen != s.screen {
			return SubEvent{}, false
		}
		if msg.gen != s.gen {
			if late := msg.stream; late != nil {
				return SubEvent{Cmd: func() tea.Msg { late.Close(); return nil }}, true
			}
			return SubEvent{}, true
		}
		if msg.err != nil {
			s.cancel = nil
			return SubEvent{Opened: true, Err: msg.err}, true
		}
		s.stream = msg.stream
		return SubEvent{Opened: true, Cmd: s.Wait()}, true
	case subBatchMsg:
		if msg.screen != s.screen {
			return SubEvent{}, false
		}
		if msg.gen != s.gen || s.stream == nil {
			return SubEvent{}, true
		}
		s.sess.Observe(s.name, msg.batch) // on the event loop: the one place the session changes
		return SubEvent{Cmd: s.Wait(), Batch: &msg.batch, Inner: msg.inner}, true
	case subEndedMsg:
		if msg.screen != s.screen {
			return SubEvent{}, false
		}
		if msg.gen != s.gen {
			return SubEvent{}, true
		}
		s.stream = nil
		if s.cancel != nil {
			s.cancel()
			s.cancel = nil
		}
		return SubEvent{Ended: true, Err: msg.err}, true
	}
	return SubEvent{}, false
}

// openSub opens the tail; a stream that arrives after the subscription
// was abandoned (its context cancelled) is closed here, as nobody else
// will.
func openSub(ctx context.Context, t Tailer, opts kinesisx.TailOptions, label string, screen, gen int) tea.Cmd {
	return func() tea.Msg {
		st, err := t.Tail(ctx, opts)
		if err != nil {
			return subStartedMsg{screen: screen, gen: gen, err: fmt.Errorf("%s %s: %w", label, opts.Stream, err)}
		}
		if ctx.Err() != nil {
			st.Close()
			return subStartedMsg{screen: screen, gen: gen, err: ctx.Err()}
		}
		return subStartedMsg{screen: screen, gen: gen, stream: st}
	}
}

// waitSub receives the next batch, unwrapping its payloads when asked
// (off the event loop: inflating gzip is not for Update).
func waitSub(st Stream, unwrap bool, screen, gen int) tea.Cmd {
	return func() tea.Msg {
		b, ok := <-st.Batches()
		if !ok {
			return subEndedMsg{screen: screen, gen: gen, err: st.Err()}
		}
		msg := subBatchMsg{screen: screen, gen: gen, batch: b}
		if unwrap {
			msg.inner = unwrapAll(b.Records)
		}
		return msg
	}
}
