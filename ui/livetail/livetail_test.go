package livetail

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"go.uber.org/goleak"

	"github.com/kinspect/kinspect/kinesisx"
	"github.com/kinspect/kinspect/ui/screen"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

type fakeStream struct {
	ch   chan kinesisx.Batch
	err  error
	mu   sync.Mutex
	done bool
}

func (s *fakeStream) Batches() <-chan kinesisx.Batch { return s.ch }
func (s *fakeStream) Err() error                     { return s.err }
func (s *fakeStream) Close() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.done {
		s.done = true
		close(s.ch)
	}
}
func (s *fakeStream) closed() bool { s.mu.Lock(); defer s.mu.Unlock(); return s.done }

type fakeTailer struct {
	err     error
	opts    []kinesisx.TailOptions
	streams []*fakeStream
}

func (f *fakeTailer) Tail(_ context.Context, o kinesisx.TailOptions) (screen.TailStream, error) {
	f.opts = append(f.opts, o)
	if f.err != nil {
		return nil, f.err
	}
	s := &fakeStream{ch: make(chan kinesisx.Batch, 4)}
	f.streams = append(f.streams, s)
	return s, nil
}

// errOf runs cmd and returns the error it reports on the status line.
func errOf(t *testing.T, cmd tea.Cmd) error {
	t.Helper()
	if cmd == nil {
		t.Fatal("want an error Cmd, got nil")
	}
	em, ok := cmd().(screen.ErrorMsg)
	if !ok {
		t.Fatal("want a screen.ErrorMsg")
	}
	return em.Err
}

// opened builds a wanted tail and opens it with ft.
func opened(t *testing.T, ft *fakeTailer, now time.Time) (*Tail, *fakeStream) {
	t.Helper()
	tl := New(3, "live rates")
	tl.SetOn(true)
	cmd := tl.Start(context.Background(), ft, "orders")
	if cmd == nil {
		t.Fatal("a wanted tail should open")
	}
	if ev := tl.Update(cmd(), now, nil); ev.Cmd == nil || !tl.Open() {
		t.Fatal("an opened tail should wait for its first batch")
	}
	t.Cleanup(tl.Stop)
	return &tl, ft.streams[len(ft.streams)-1]
}

func TestStartWhen(t *testing.T) {
	tests := []struct {
		name   string
		on     bool
		tailer screen.Tailer
		twice  bool
		want   bool
	}{
		{"wanted", true, &fakeTailer{}, false, true},
		{"not wanted", false, &fakeTailer{}, false, false},
		{"no tailer", true, nil, false, false},
		{"already opening", true, &fakeTailer{}, true, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tl := New(1, "live fill")
			tl.SetOn(tt.on)
			if tt.twice {
				tl.Start(context.Background(), tt.tailer, "orders")
			}
			if got := tl.Start(context.Background(), tt.tailer, "orders") != nil; got != tt.want {
				t.Errorf("Start returned a Cmd: %v, want %v", got, tt.want)
			}
			tl.Stop()
		})
	}
}

func TestOpensWholeStreamFromLatest(t *testing.T) {
	ft := &fakeTailer{}
	opened(t, ft, time.Unix(0, 0))
	if len(ft.opts) != 1 || ft.opts[0].Stream != "orders" || len(ft.opts[0].Shards) != 0 || ft.opts[0].From.Type != kinesisx.PositionLatest {
		t.Errorf("tail options %+v", ft.opts)
	}
}

func TestOpenFails(t *testing.T) {
	ft := &fakeTailer{err: errors.New("AccessDenied")}
	tl := New(1, "live fill")
	tl.SetOn(true)
	ev := tl.Update(tl.Start(context.Background(), ft, "orders")(), time.Now(), nil)
	if err := errOf(t, ev.Cmd); !strings.Contains(err.Error(), "live fill of orders: AccessDenied") {
		t.Errorf("error %q", err)
	}
	if tl.On() || tl.Opening() || tl.Open() {
		t.Error("a tail that failed to open is off")
	}
}

func TestBatchesAndFill(t *testing.T) {
	start := time.Unix(100, 0)
	ft := &fakeTailer{}
	tl, s := opened(t, ft, start)
	var mu sync.Mutex
	got := 0
	sink := func(b kinesisx.Batch) { mu.Lock(); got += len(b.Records); mu.Unlock() }
	steps := []struct {
		at       time.Duration
		wantFill bool
	}{
		{time.Second, false},
		{FillAfter, true},
		{FillAfter + time.Second, false}, // once per opening
	}
	for i, st := range steps {
		s.ch <- kinesisx.Batch{Records: make([]kinesisx.Record, 2), Shards: map[string]kinesisx.ShardProgress{"s0": {}}}
		ev := tl.Update(tl.Wait(sink)(), start.Add(st.at), sink)
		if !ev.Batch || len(ev.Shards) != 1 || ev.Cmd == nil {
			t.Fatalf("step %d: event %+v", i, ev)
		}
		if ev.Fill != st.wantFill {
			t.Errorf("step %d at %v: Fill %v, want %v", i, st.at, ev.Fill, st.wantFill)
		}
	}
	mu.Lock()
	defer mu.Unlock()
	if got != 6 {
		t.Errorf("the sink got %d records, want 6", got)
	}
}

func TestStaleResultsDropped(t *testing.T) {
	ft := &fakeTailer{}
	tl, _ := opened(t, ft, time.Now())
	late := &fakeStream{ch: make(chan kinesisx.Batch)}
	tests := []struct {
		name string
		msg  tea.Msg
	}{
		{"other screen", BatchMsg{ViewID: 99, ID: tl.ID()}},
		{"older batch", BatchMsg{ViewID: 3, ID: tl.ID() - 1}},
		{"older end", EndedMsg{ViewID: 3, ID: tl.ID() - 1, Err: errors.New("x")}},
		{"other screen's start", StartedMsg{ViewID: 99, ID: tl.ID(), Stream: late}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if ev := tl.Update(tt.msg, time.Now(), nil); ev.Cmd != nil || ev.Batch || !tl.Open() {
				t.Errorf("a stale message should change nothing: %+v", ev)
			}
		})
	}
	ev := tl.Update(StartedMsg{ViewID: 3, ID: tl.ID() + 5, Stream: late}, time.Now(), nil)
	if ev.Cmd == nil {
		t.Fatal("a stream for an abandoned tail should be closed")
	}
	ev.Cmd()
	if !late.closed() {
		t.Error("the late stream is still open")
	}
}

func TestEnded(t *testing.T) {
	ft := &fakeTailer{}
	tl, s := opened(t, ft, time.Now())
	s.err = errors.New("LimitExceededException")
	s.Close()
	ev := tl.Update(tl.Wait(nil)(), time.Now(), nil)
	if err := errOf(t, ev.Cmd); err.Error() != "live rates of orders ended: LimitExceededException" {
		t.Errorf("error %q", err)
	}
	if tl.On() || tl.Open() || tl.Opening() {
		t.Error("an ended tail is off")
	}
}

func TestStopAndReopen(t *testing.T) {
	ft := &fakeTailer{}
	tl, s := opened(t, ft, time.Now())
	id := tl.ID()
	tl.Stop()
	if !s.closed() || tl.Open() || tl.Opening() || tl.ID() == id {
		t.Error("Stop should close the tail and drop its results")
	}
	if tl.Wait(nil) != nil {
		t.Error("a closed tail has nothing to wait for")
	}
	if !tl.On() || tl.Start(context.Background(), ft, "orders") == nil {
		t.Error("a stopped tail stays wanted and Start reopens it")
	}
}
