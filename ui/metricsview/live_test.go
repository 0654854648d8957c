package metricsview

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"go.uber.org/goleak"

	"github.com/kinspect/kinspect/kinesisx"
	"github.com/kinspect/kinspect/kinesisx/hotkeys"
	"github.com/kinspect/kinspect/metrics"
	"github.com/kinspect/kinspect/session"
	"github.com/kinspect/kinspect/ui/internal/uitest"
	"github.com/kinspect/kinspect/ui/screen"
	"github.com/kinspect/kinspect/ui/theme"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

type fakeStream struct {
	ch   chan kinesisx.Batch
	once sync.Once
	mu   sync.Mutex
	done bool
}

func (s *fakeStream) Batches() <-chan kinesisx.Batch { return s.ch }
func (s *fakeStream) Err() error                     { return nil }
func (s *fakeStream) Close() {
	s.once.Do(func() { s.mu.Lock(); s.done = true; s.mu.Unlock(); close(s.ch) })
}
func (s *fakeStream) closed() bool { s.mu.Lock(); defer s.mu.Unlock(); return s.done }

type fakeTailer struct {
	opts    []kinesisx.TailOptions
	streams []*fakeStream
}

func (f *fakeTailer) Tail(_ context.Context, o kinesisx.TailOptions) (screen.TailStream, error) {
	s := &fakeStream{ch: make(chan kinesisx.Batch, 4)}
	f.opts, f.streams = append(f.opts, o), append(f.streams, s)
	return s, nil
}

// TestLiveFill: L opens a whole-stream tail from LATEST whose batches go
// to the feed; after LiveFillAfter the screen reloads once; Stop closes
// the tail and Start reopens it.
func TestLiveFill(t *testing.T) {
	src := &fakeSource{data: func(time.Duration) Data {
		d := report(true)
		ps := d.Report.StreamLevel.Series
		ps[len(ps)-1] = metrics.Point{Minute: ps[len(ps)-1].Minute} // nothing filled yet
		return d
	}}
	ft := &fakeTailer{}
	clock := now
	sess := session.New(func() time.Time { return clock }, hotkeys.Options{})
	st := theme.New(theme.Plain())
	m := New(context.Background(), 7, screen.Common{Styles: &st}, "orders", Deps{Source: src, Tailer: ft, Session: sess, Now: func() time.Time { return clock }})
	m.SetRefresh(0)
	m.SetSize(120, 20)
	for _, msg := range uitest.Msgs(m.Init()) {
		m.Update(msg)
	}
	if !strings.Contains(plain(m), "L fills them from a live tail") {
		t.Errorf("the freshness line should offer L:\n%s", plain(m))
	}
	started := m.Update(uitest.Key("L"))
	wait := m.Update(started())
	if len(ft.opts) != 1 || ft.opts[0].Stream != "orders" || len(ft.opts[0].Shards) != 0 || ft.opts[0].From.Type != kinesisx.PositionLatest {
		t.Fatalf("tail options %+v", ft.opts)
	}
	if !strings.Contains(plain(m), "● live fill") {
		t.Errorf("title should say the live fill runs:\n%s", plain(m))
	}
	s := ft.streams[0]
	loads := len(src.windows)
	s.ch <- kinesisx.Batch{Records: []kinesisx.Record{{ShardID: "shardId-000000000000", Data: []byte("x")}}}
	wait = m.Update(wait()) // a batch before LiveFillAfter: wait again, no reload
	if len(src.windows) != loads {
		t.Error("no reload before LiveFillAfter")
	}
	clock = clock.Add(LiveFillAfter)
	s.ch <- kinesisx.Batch{}
	cmd := m.Update(wait())
	s.ch <- kinesisx.Batch{} // so that the next wait, run by Msgs, returns at once
	next := uitest.Msgs(cmd)
	if _, ok := uitest.Find[loadedMsg](next); !ok {
		t.Error("after LiveFillAfter the screen should reload once")
	}
	var r metrics.Report
	r.Shards = []metrics.ShardReport{{ID: "shardId-000000000000"}}
	if sess.Live.Nowcast("orders", &r, nil, clock, time.Minute).IsZero() {
		t.Error("the live tail's batches should reach the session's live counts")
	}
	m.Stop()
	if !s.closed() {
		t.Error("Stop should close the live tail")
	}
	m.Update(m.Start()) // reopens (the Cmd batch is not run here)
	if !m.live.Opening() {
		t.Error("Start should reopen the live fill")
	}
	m.Close()
}
