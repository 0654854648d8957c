package ui

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"
	"time"

	bhelp "charm.land/bubbles/v2/help"
	tea "charm.land/bubbletea/v2"

	"github.com/kinspect/kinspect/kinesisx"
	"github.com/kinspect/kinspect/ui/internal/uitest"
	"github.com/kinspect/kinspect/ui/keys"
	"github.com/kinspect/kinspect/ui/screen"
)

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
