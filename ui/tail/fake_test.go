package tail

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"go.uber.org/goleak"

	"github.com/kinspect/kinspect/kinesisx"
	"github.com/kinspect/kinspect/ui/internal/uitest"
	"github.com/kinspect/kinspect/ui/screen"
	"github.com/kinspect/kinspect/ui/theme"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// fakeStream is a tail whose batches the test sends; it is the producer,
// so it alone closes the channel (on Close or End).
type fakeStream struct {
	ch     chan kinesisx.Batch
	mu     sync.Mutex
	err    error
	closed bool
}

func newFakeStream() *fakeStream { return &fakeStream{ch: make(chan kinesisx.Batch, 16)} }

func (f *fakeStream) Batches() <-chan kinesisx.Batch { return f.ch }
func (f *fakeStream) Err() error {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.err
}
func (f *fakeStream) Close() { f.End(nil) }

// End closes the channel with err as the tail's error.
func (f *fakeStream) End(err error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if !f.closed {
		f.closed, f.err = true, err
		close(f.ch)
	}
}

func (f *fakeStream) isClosed() bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.closed
}

// fakeTailer hands out fake streams and remembers the options.
type fakeTailer struct {
	mu      sync.Mutex
	opts    []kinesisx.TailOptions
	streams []*fakeStream
	err     error
}

func (f *fakeTailer) Tail(_ context.Context, opts kinesisx.TailOptions) (Stream, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.err != nil {
		return nil, f.err
	}
	s := newFakeStream()
	f.opts = append(f.opts, opts)
	f.streams = append(f.streams, s)
	return s, nil
}

func (f *fakeTailer) last() *fakeStream {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.streams[len(f.streams)-1]
}

var t0 = time.Date(2026, 11, 26, 7, 30, 0, 0, time.UTC)

// record makes the i-th test record of a shard.
func record(shard, i int, data string) kinesisx.Record {
	return kinesisx.Record{
		Stream: "orders", ShardID: fmt.Sprintf("shardId-%012d", shard),
		SequenceNumber: fmt.Sprintf("4963%040d", i), PartitionKey: fmt.Sprintf("user-%d", i),
		ArrivedAt: t0.Add(time.Duration(i) * time.Millisecond), ReceivedAt: t0.Add(time.Duration(i)*time.Millisecond + 250*time.Millisecond),
		Data: []byte(data),
	}
}

// harness is a tail screen wired to a fake tailer, with helpers that run
// its Cmds the way the event loop would.
type harness struct {
	t      testing.TB
	m      *Model
	tailer *fakeTailer
	out    []tea.Msg // messages for the root (view.*) seen so far
}

func newHarness(t testing.TB, deps Deps, w, h int) *harness {
	t.Helper()
	return newHarnessC(t, screen.Common{}, deps, w, h)
}

// newHarnessC is newHarness with the screens' Common (read-only).
func newHarnessC(t testing.TB, c screen.Common, deps Deps, w, h int) *harness {
	t.Helper()
	ft := &fakeTailer{}
	if deps.Tailer == nil {
		deps.Tailer = ft
	}
	st := theme.New(theme.Plain())
	c.Styles = &st
	deps.Now = func() time.Time { return t0 }
	m := New(context.Background(), 5, c, "orders", []string{"shardId-000000000001"}, deps)
	m.SetSize(w, h)
	t.Cleanup(m.Close)
	return &harness{t: t, m: m, tailer: ft}
}

// press sends keys and returns the last Cmd, not run: most are cursor
// blinks or waits that the test has no use for.
func (h *harness) press(keys ...string) tea.Cmd {
	var cmd tea.Cmd
	for _, k := range keys {
		cmd = h.m.Update(uitest.Key(k))
	}
	return cmd
}

// start opens the tail with the picker's choices: enter returns the Cmd
// that opens it, whose result the screen takes (the wait it returns then
// is run by deliver).
func (h *harness) start() {
	h.t.Helper()
	cmd := h.press("enter")
	if cmd == nil {
		h.t.Fatal("enter did not start a tail")
	}
	next := h.m.Update(cmd()) // a wait for the first batch: deliver runs it
	if !h.m.sub.Open() {
		h.collect(next)
		h.t.Fatalf("the tail did not start: %v", h.out)
	}
}

// deliver sends a batch through the fake stream, runs the screen's wait
// for it, and keeps the messages for the root (the rates broadcast).
func (h *harness) deliver(b kinesisx.Batch) {
	h.t.Helper()
	s := h.tailer.last()
	s.ch <- b
	cmd := h.m.Update(h.m.sub.Wait()())
	if cmd == nil {
		return
	}
	batch, ok := cmd().(tea.BatchMsg)
	if !ok {
		h.t.Fatalf("a batch should yield a wait and a rates broadcast")
	}
	for _, c := range batch[1:] { // batch[0] waits for the next batch
		h.out = append(h.out, uitest.Msgs(c)...)
	}
}

// settle runs cmd and feeds its messages back until none is left; the
// messages for the root are kept. Only for Cmds that do not wait.
func (h *harness) settle(cmd tea.Cmd) {
	for _, msg := range uitest.Msgs(cmd) {
		if _, ok := msg.(tea.KeyPressMsg); ok {
			continue
		}
		if next := h.m.Update(msg); next != nil {
			h.settle(next)
			continue
		}
		h.out = append(h.out, msg)
	}
}

// collect runs a Cmd known not to block and keeps its messages.
func (h *harness) collect(cmd tea.Cmd) { h.out = append(h.out, uitest.Msgs(cmd)...) }
