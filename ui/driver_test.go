package ui

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"
	"go.uber.org/goleak"

	"github.com/kinspect/kinspect/kinesisx"
	"github.com/kinspect/kinspect/kinesisx/hashkey"
	"github.com/kinspect/kinspect/ui/internal/uitest"
	"github.com/kinspect/kinspect/ui/tail"
)

// TestMain checks for leaked goroutines.
func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}

// fakeKinesis is every source the UI reads, with two streams of 2 shards.
// parked is told when a Cmd is about to wait for a tail's next batch.
type fakeKinesis struct {
	mu      sync.Mutex
	streams []*fakeStream
	parked  chan *fakeStream
}

func (f *fakeKinesis) ListStreams(context.Context) ([]kinesisx.StreamSummary, error) {
	return []kinesisx.StreamSummary{{Name: "orders", Status: "ACTIVE", Mode: "PROVISIONED"}, {Name: "zeta", Status: "ACTIVE"}}, nil
}

func (f *fakeKinesis) DescribeStream(_ context.Context, n string) (kinesisx.Stream, error) {
	return kinesisx.Stream{Name: n, Status: "ACTIVE", Mode: "PROVISIONED", OpenShards: 2, RetentionHours: 24}, nil
}

func (f *fakeKinesis) ListShards(context.Context, string) ([]kinesisx.Shard, error) {
	var out []kinesisx.Shard
	for i, r := range hashkey.Split(2) {
		out = append(out, kinesisx.Shard{ID: fmt.Sprintf("shardId-%012d", i), HashRange: r, Open: true})
	}
	return out, nil
}

func (f *fakeKinesis) Tail(context.Context, kinesisx.TailOptions) (tail.Stream, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	s := &fakeStream{ch: make(chan kinesisx.Batch), parked: f.parked}
	f.streams = append(f.streams, s)
	return s, nil
}

func (f *fakeKinesis) allClosed() bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, s := range f.streams {
		if !s.isClosed() {
			return false
		}
	}
	return true
}

type fakeStream struct {
	ch     chan kinesisx.Batch
	parked chan *fakeStream
	once   sync.Once
	mu     sync.Mutex
	closed bool
}

// Batches is called by the Cmd that waits for the next batch, just before
// it waits: the driver then knows that Cmd waits rather than works.
func (s *fakeStream) Batches() <-chan kinesisx.Batch {
	if s.parked != nil {
		select {
		case s.parked <- s:
		default:
		}
	}
	return s.ch
}
func (s *fakeStream) Err() error { return nil }
func (s *fakeStream) Close() {
	s.once.Do(func() {
		s.mu.Lock()
		s.closed = true
		s.mu.Unlock()
		close(s.ch)
	})
}
func (s *fakeStream) isClosed() bool { s.mu.Lock(); defer s.mu.Unlock(); return s.closed }

// driver plays the event loop: it runs Cmds one at a time to completion
// and feeds their messages back. A Cmd that waits for a tail's next batch
// says so (fakeStream.Batches) and is left waiting: it ends when the tail
// closes. Timers go through the test clock, which never fires by itself.
type driver struct {
	t     *testing.T
	a     *app
	k     *fakeKinesis
	clock *testClock
	quit  bool
	// waiting are the results of the Cmds left waiting for a tail's batch
	// (deliver feeds one back).
	waiting map[*fakeStream]chan tea.Msg
}

// testClock is the screens' clock: Tick records the timer and returns a
// Cmd that does nothing; advance fires the timers that are due.
type testClock struct {
	mu     sync.Mutex
	now    time.Time
	timers []testTimer
}

type testTimer struct {
	at time.Time
	fn func(time.Time) tea.Msg
}

func (c *testClock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.now }

func (c *testClock) Tick(d time.Duration, fn func(time.Time) tea.Msg) tea.Cmd {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.timers = append(c.timers, testTimer{at: c.now.Add(d), fn: fn})
	return func() tea.Msg { return nil }
}

// due moves the clock on by d and takes the timers that are due, in order.
func (c *testClock) due(d time.Duration) []tea.Msg {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
	var out []tea.Msg
	kept := c.timers[:0]
	for _, t := range c.timers {
		if t.at.After(c.now) {
			kept = append(kept, t)
			continue
		}
		out = append(out, t.fn(t.at))
	}
	c.timers = kept
	return out
}

// advance moves the clock on by d and delivers the timers that are due.
func (d *driver) advance(by time.Duration) {
	for _, msg := range d.clock.due(by) {
		d.send(msg)
	}
}

func newDriver(t *testing.T, s setup, w, h int) *driver {
	k := &fakeKinesis{parked: make(chan *fakeStream, 1)}
	clock := &testClock{now: time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)}
	cfg := Config{Connection: s.connection(k), Connect: s.Connect, Profiles: s.Profiles, Stream: s.Stream,
		Clock: clock, Refresh: -1, StatusFor: s.StatusFor, NoColor: true}
	if cfg.StatusFor == 0 {
		cfg.StatusFor = -1 // messages stay: the tests read them
	}
	d := &driver{t: t, a: newApp(context.Background(), cfg), k: k, clock: clock, waiting: map[*fakeStream]chan tea.Msg{}}
	t.Cleanup(d.a.closeAll)
	d.send(tea.WindowSizeMsg{Width: w, Height: h})
	d.run(d.a.Init())
	return d
}

func (d *driver) send(msg tea.Msg) {
	_, cmd := d.a.Update(msg)
	d.run(cmd)
}

func (d *driver) keys(names ...string) {
	for _, n := range names {
		d.send(uitest.Key(n))
	}
}

func (d *driver) run(cmd tea.Cmd) {
	if cmd == nil {
		return
	}
	done := make(chan tea.Msg, 1)
	go func() { done <- cmd() }()
	var msg tea.Msg
	select {
	case msg = <-done:
	case s := <-d.k.parked:
		d.waiting[s] = done
		return // it waits for the tail's next batch
	case <-time.After(time.Minute):
		d.t.Fatal("a Cmd neither returned nor waited for a tail within a minute")
	}
	d.handle(msg)
}

// handle feeds a Cmd's result back, as the runtime does.
func (d *driver) handle(msg tea.Msg) {
	switch msg := msg.(type) {
	case nil:
	case tea.BatchMsg:
		for _, c := range msg {
			d.run(c)
		}
	case tea.QuitMsg:
		d.quit = true
	default:
		d.send(msg)
	}
}

func (d *driver) screen() string { return ansi.Strip(d.a.View().Content) }

func (d *driver) checkFits(w, h int) {
	d.t.Helper()
	v := d.a.View()
	if !v.AltScreen || v.MouseMode != tea.MouseModeCellMotion {
		d.t.Error("the view should ask for the alt screen and the mouse")
	}
	lines := strings.Split(v.Content, "\n")
	if len(lines) != h {
		d.t.Errorf("%d lines at height %d", len(lines), h)
	}
	for _, l := range lines {
		if lw := lipgloss.Width(l); lw > w {
			d.t.Errorf("line %d cells wide at width %d: %q", lw, w, ansi.Strip(l))
		}
	}
}
