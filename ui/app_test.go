package ui

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"sync"
	"testing"
	"time"

	bhelp "charm.land/bubbles/v2/help"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"
	"go.uber.org/goleak"

	"github.com/kinspect/kinspect/kinesisx"
	"github.com/kinspect/kinspect/kinesisx/hashkey"
	"github.com/kinspect/kinspect/ui/internal/uitest"
	"github.com/kinspect/kinspect/ui/keys"
	"github.com/kinspect/kinspect/ui/screen"
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

func TestTour(t *testing.T) {
	for _, size := range [][2]int{{80, 24}, {120, 40}} {
		t.Run(fmt.Sprint(size), func(t *testing.T) {
			w, h := size[0], size[1]
			d := newDriver(t, setup{Profile: "prod", Region: "eu-west-1", Endpoint: "http://127.0.0.1:4567"}, w, h)
			s := d.screen()
			for _, want := range []string{"kinspect › streams", "orders", "zeta", "enter open", "q quit"} {
				if !strings.Contains(s, want) {
					t.Errorf("home lacks %q:\n%s", want, s)
				}
			}
			d.checkFits(w, h)
			d.keys("enter")
			if s := d.screen(); !strings.Contains(s, "streams › orders") || !strings.Contains(s, "shardId-000000000001") {
				t.Errorf("enter should open orders:\n%s", s)
			}
			d.checkFits(w, h)
			d.keys("j", "enter")
			if s := d.screen(); !strings.Contains(s, "Start a tail of orders: shardId-000000000001") {
				t.Errorf("enter should open the tail picker:\n%s", s)
			}
			d.keys("enter")
			tailed := d.k.streams[len(d.k.streams)-1] // the stream screen's live rates stopped below it
			if s := d.screen(); !strings.Contains(s, "● live") || !strings.Contains(s, "space pause/resume") {
				t.Errorf("the tail should run:\n%s", s)
			}
			d.checkFits(w, h)
			d.keys("?")
			if s := d.screen(); !strings.Contains(s, "tail shardId-000000000001") || !strings.Contains(s, "ctrl+s") {
				t.Errorf("? should show help:\n%s", s)
			}
			d.checkFits(w, h)
			d.keys("esc")
			if d.a.overlay != nil || d.k.allClosed() {
				t.Error("esc should close help and leave the tail running")
			}
			d.keys("esc")
			if !tailed.isClosed() || len(d.a.stack) != 2 {
				t.Errorf("esc should pop the tail and close it (stack %d)", len(d.a.stack))
			}
			d.send(tea.WindowSizeMsg{Width: w - 10, Height: h - 4})
			d.checkFits(w-10, h-4)
			d.keys("q")
			if !d.quit {
				t.Error("q should quit")
			}
		})
	}
}

func TestStatusLine(t *testing.T) {
	d := newDriver(t, setup{Profile: "prod", Region: "eu-west-1", Endpoint: "http://x", ReadOnly: true}, 160, 10)
	s := d.screen()
	for _, want := range []string{"profile prod", "region eu-west-1", "endpoint http://x", " RO "} {
		if !strings.Contains(s, want) {
			t.Errorf("status lacks %q:\n%s", want, s)
		}
	}
	d.send(screen.ErrorMsg{Err: errors.New("first line\nsecond")})
	if s := d.screen(); !strings.Contains(s, "first line second") {
		t.Errorf("errors should show on one line:\n%s", s)
	}
	// A long error takes the room of the labels, which get what is left.
	long := "list streams: cannot reach http://127.0.0.1:4567: connection refused (is the endpoint running?)"
	d.send(screen.ErrorMsg{Err: errors.New(long)})
	if first := strings.SplitN(d.screen(), "\n", 2)[0]; !strings.Contains(first, long) {
		t.Errorf("the error is cut for the labels:\n%s", first)
	}
}

func TestCommands(t *testing.T) {
	tests := []struct {
		cmd  string
		want string
	}{
		{"metrics", ":metrics: not available in this session"},
		{"consumers", ":consumers: not available in this session"},
		{"bogus", "unknown command :bogus"},
	}
	for _, tt := range tests {
		d := newDriver(t, setup{}, 120, 10)
		d.keys(":")
		for _, k := range uitest.Type(tt.cmd) {
			d.send(k)
		}
		if s := d.screen(); !strings.Contains(s, ":"+tt.cmd) {
			t.Errorf("the command line should show what is typed:\n%s", s)
		}
		d.keys("enter")
		if s := d.screen(); !strings.Contains(s, tt.want) {
			t.Errorf(":%s: want %q:\n%s", tt.cmd, tt.want, s)
		}
	}
	// A registered screen opens on the stream on screen; :streams goes
	// home and closes the rest.
	var got string
	d := newDriver(t, setup{Stream: "orders", Extra: map[string]screen.Entry{
		"consumers": fixed(true, func(_ context.Context, _ int, _ screen.Common, a screen.Args) screen.Model {
			got = a.Stream
			return &stubScreen{title: "consumers of " + a.Stream}
		}),
	}}, 120, 10)
	if len(d.a.stack) != 2 {
		t.Fatalf("Config.Stream should open the stream, stack %d", len(d.a.stack))
	}
	d.keys(":")
	for _, k := range uitest.Type("consumers") {
		d.send(k)
	}
	d.keys("enter")
	if got != "orders" || !strings.Contains(d.screen(), "streams › orders › consumers of orders") {
		t.Errorf(":consumers should open the registered screen on orders (got %q):\n%s", got, d.screen())
	}
	d.keys("esc")
	d.keys("t", "enter")
	d.keys(":")
	for _, k := range uitest.Type("streams") {
		d.send(k)
	}
	d.keys("enter")
	if len(d.a.stack) != 1 || !d.k.allClosed() {
		t.Errorf(":streams should go home and close the tail (stack %d)", len(d.a.stack))
	}
	d.keys(":", "q", "enter")
	if !d.quit {
		t.Error(":q should quit")
	}
}

func TestReadOnlyRefusesActions(t *testing.T) {
	d := newDriver(t, setup{ReadOnly: true}, 120, 10)
	d.send(screen.ActionRequestedMsg{Action: kinesisx.ActionSplit, Stream: "orders"})
	if s := d.screen(); !strings.Contains(s, "read-only mode refused it") {
		t.Errorf("want the guard's refusal:\n%s", s)
	}
	d.keys("?")
	if s := d.screen(); strings.Contains(s, "put records") {
		t.Errorf("help lists a dangerous key in read-only mode:\n%s", s)
	}
	d2 := newDriver(t, setup{}, 120, 10)
	d2.send(screen.ActionRequestedMsg{Action: kinesisx.ActionSplit, Stream: "orders"})
	if s := d2.screen(); !strings.Contains(s, "split shard: not available in this session") {
		t.Errorf("want a clear not-yet:\n%s", s)
	}
}

func TestRunQuitsAndCloses(t *testing.T) {
	k := &fakeKinesis{}
	cfg := Config{Connection: setup{}.connection(k), Refresh: -1, NoColor: true}
	r, w := io.Pipe()
	done := make(chan error, 1)
	go func() {
		done <- run(context.Background(), cfg, tea.WithInput(r), tea.WithOutput(io.Discard), tea.WithWindowSize(100, 30), tea.WithoutSignals())
	}()
	time.Sleep(100 * time.Millisecond)
	io.WriteString(w, "q")
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("Run: %v", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("q did not end Run")
	}
	w.Close()
}

func TestRunEndsOnCancel(t *testing.T) {
	k := &fakeKinesis{}
	cfg := Config{Connection: setup{}.connection(k), Refresh: -1, NoColor: true}
	ctx, cancel := context.WithCancel(context.Background())
	r, w := io.Pipe()
	defer w.Close()
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, cfg, tea.WithInput(r), tea.WithOutput(io.Discard), tea.WithWindowSize(100, 30), tea.WithoutSignals())
	}()
	time.Sleep(100 * time.Millisecond)
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("a cancelled Run should end without error, got %v", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("cancel did not end Run")
	}
}

// stubScreen is a screen that shows its title and counts its lifecycle.
type stubScreen struct {
	title         string
	started, stop int
	closed        bool
}

func (s *stubScreen) Init() tea.Cmd          { return nil }
func (s *stubScreen) Update(tea.Msg) tea.Cmd { return nil }
func (s *stubScreen) View() string           { return s.title }
func (s *stubScreen) SetSize(int, int)       {}
func (s *stubScreen) Title() string          { return s.title }
func (s *stubScreen) KeyMap() bhelp.KeyMap   { return keys.NewGlobal() }
func (s *stubScreen) Start() tea.Cmd         { s.started++; return nil }
func (s *stubScreen) Stop()                  { s.stop++ }
func (s *stubScreen) Close()                 { s.closed = true }
func (s *stubScreen) Capturing() bool        { return false }

func TestStackLifecycle(t *testing.T) {
	d := newDriver(t, setup{}, 100, 10)
	a, b := &stubScreen{title: "a"}, &stubScreen{title: "b"}
	d.run(d.a.push("a", a))
	d.run(d.a.push("b", b))
	if a.started != 1 || a.stop != 1 || b.started != 1 {
		t.Errorf("push: a started %d stopped %d, b started %d", a.started, a.stop, b.started)
	}
	d.keys("esc")
	if !b.closed || a.started != 2 || a.closed {
		t.Errorf("pop: b closed %v, a started %d closed %v", b.closed, a.started, a.closed)
	}
	d.keys("esc", "esc", "esc")
	if len(d.a.stack) != 1 || !a.closed {
		t.Errorf("esc pops down to home and no further: stack %d", len(d.a.stack))
	}
	d.a.closeAll()
}

func TestRunNeedsSources(t *testing.T) {
	if err := Run(context.Background(), Config{}); err == nil || !strings.Contains(err.Error(), "the connection has no screens") {
		t.Errorf("Run without screens: %v", err)
	}
	reg := screen.NewRegistry()
	reg.Add(screen.Home, fixed(false, func(context.Context, int, screen.Common, screen.Args) screen.Model { return &stubScreen{} }))
	if err := Run(context.Background(), Config{Connection: Connection{Backends: Backends{Screens: reg}}}); err == nil || !strings.Contains(err.Error(), "the screens lack shards") {
		t.Errorf("Run without a stream screen: %v", err)
	}
}

func TestTinyWindows(t *testing.T) {
	for _, size := range [][2]int{{1, 1}, {10, 2}, {20, 3}, {30, 5}, {45, 9}} {
		t.Run(fmt.Sprint(size), func(t *testing.T) {
			d := newDriver(t, setup{Profile: "p", ReadOnly: true}, size[0], size[1])
			for _, keys := range [][]string{nil, {"enter"}, {"l"}, {"enter"}, {"enter"}, {"enter", "i"}, {"?"}} {
				d.keys(keys...)
				d.checkFits(size[0], size[1])
			}
		})
	}
}
