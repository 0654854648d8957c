package shards

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"

	tea "charm.land/bubbletea/v2"

	"github.com/kinspect/kinspect/kinesisx"
	"github.com/kinspect/kinspect/ui/internal/uitest"
	"github.com/kinspect/kinspect/ui/screen"
	"github.com/kinspect/kinspect/ui/theme"
)

type fakeStream struct {
	ch     chan kinesisx.Batch
	mu     sync.Mutex
	closed bool
	err    error
}

func (s *fakeStream) Batches() <-chan kinesisx.Batch { return s.ch }
func (s *fakeStream) Err() error                     { s.mu.Lock(); defer s.mu.Unlock(); return s.err }
func (s *fakeStream) Close()                         { s.end(nil) }
func (s *fakeStream) end(err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.closed {
		s.closed, s.err = true, err
		close(s.ch)
	}
}
func (s *fakeStream) isClosed() bool { s.mu.Lock(); defer s.mu.Unlock(); return s.closed }

type fakeTailer struct {
	opts    []kinesisx.TailOptions
	streams []*fakeStream
}

func (f *fakeTailer) Tail(_ context.Context, o kinesisx.TailOptions) (screen.TailStream, error) {
	s := &fakeStream{ch: make(chan kinesisx.Batch, 4)}
	f.opts = append(f.opts, o)
	f.streams = append(f.streams, s)
	return s, nil
}

func liveModel(t *testing.T, ft *fakeTailer) *Model {
	t.Helper()
	st := theme.New(theme.Plain())
	src := fakeSource{stream: kinesisx.Stream{Name: "orders"}, shards: evenShards(2)}
	d := Deps{Source: src, AutoLiveMax: -1} // L decides (TestLiveStartsOnItsOwn covers the rest)
	if ft != nil {
		d.Tailer = ft
	}
	m := New(context.Background(), 9, screen.Common{Styles: &st}, "orders", d)
	m.SetRefresh(0)
	m.SetSize(140, 8)
	for _, msg := range uitest.Msgs(m.Init()) {
		m.Update(msg)
	}
	t.Cleanup(m.Close)
	return m
}

// openLive presses L and lets the screen take the opened tail; the wait
// it returns is not run.
func pressLive(t *testing.T, m *Model) tea.Cmd {
	t.Helper()
	cmd := m.Update(uitest.Key("L"))
	if cmd == nil {
		t.Fatal("L should open the live tail")
	}
	return m.Update(cmd())
}

func TestLiveRates(t *testing.T) {
	ft := &fakeTailer{}
	m := liveModel(t, ft)
	if !strings.Contains(plainView(m), "L reads the stream for live rates") {
		t.Errorf("the hint should offer L:\n%s", plainView(m))
	}
	pressLive(t, m)
	m.liveFrom = m.liveFrom.Add(-liveSecondWhole) // the tail has run a whole second
	if got := ft.opts[0]; got.Stream != "orders" || len(got.Shards) != 0 || got.From.Type != kinesisx.PositionLatest {
		t.Errorf("live tail options %+v", got)
	}
	s := ft.streams[0]
	s.ch <- kinesisx.Batch{Shards: map[string]kinesisx.ShardProgress{shardID(1): {Rates: kinesisx.Rates{BytesPerSec1s: 1 << 20, RecordsPerSec1s: 500}}}}
	if next := m.Update(m.tail.Wait()()); next == nil {
		t.Error("a batch should wait for the next one")
	}
	out := plainView(m)
	if !strings.Contains(out, "● live rates") || !strings.Contains(out, " 100%") || !strings.Contains(out, "  50%") {
		t.Errorf("live bars missing:\n%s", out)
	}
	// Pushing a screen above stops it; coming back reopens it.
	m.Stop()
	if !s.isClosed() || len(m.live) != 0 {
		t.Error("Stop should close the live tail and drop its rates")
	}
	cmd := m.Start()
	for _, msg := range uitest.Msgs(cmd) {
		m.Update(msg)
	}
	if len(ft.streams) != 2 || !m.tail.Open() {
		t.Fatalf("Start should reopen the live tail (%d opened)", len(ft.streams))
	}
	// L again turns it off.
	m.Update(uitest.Key("L"))
	if !ft.streams[1].isClosed() || m.tail.On() {
		t.Error("L should close the live tail")
	}
}

func TestLiveEndsWithError(t *testing.T) {
	ft := &fakeTailer{}
	m := liveModel(t, ft)
	pressLive(t, m)
	s := ft.streams[0]
	s.end(errors.New("LimitExceededException"))
	msgs := uitest.Msgs(m.Update(m.tail.Wait()()))
	if em, ok := uitest.Find[screen.ErrorMsg](msgs); !ok || !strings.Contains(em.Err.Error(), "live rates of orders ended: LimitExceededException") {
		t.Errorf("want the error, got %v", msgs)
	}
	if m.tail.On() {
		t.Error("an ended live tail is off")
	}
}

func TestLiveStaleStreamClosed(t *testing.T) {
	ft := &fakeTailer{}
	m := liveModel(t, ft)
	open := m.Update(uitest.Key("L"))
	m.Stop() // covered before the tail opened
	if cmd := m.Update(open()); cmd != nil {
		cmd()
	}
	if len(ft.streams) != 1 || !ft.streams[0].isClosed() || m.tail.Open() {
		t.Error("a stream for an abandoned live tail should be closed")
	}
}

func TestLiveNeedsTailer(t *testing.T) {
	m := liveModel(t, nil)
	if cmd := m.Update(uitest.Key("L")); cmd != nil || m.tail.On() {
		t.Error("without a Tailer L does nothing")
	}
	for _, b := range m.KeyMap().ShortHelp() {
		if b.Help().Key == "L" {
			t.Error("L should not be offered without a Tailer")
		}
	}
}

// TestLiveRatesAreOnlyLive: while "● live rates" shows, no bar is a
// CloudWatch minute: a shard closed by a split reads 0 (it used to show its
// last open minute again once the screen was shown anew), and an open shard
// has no figure until the tail has run a full second (it used to dip to 0%,
// which looks like an outage).
func TestLiveRatesAreOnlyLive(t *testing.T) {
	ft := &fakeTailer{}
	m := liveModel(t, ft)
	m.shards[0].Open = false
	hot := ShardMetric{InBytes: 900_000, InRecords: 900}
	m.metric = map[string]ShardMetric{shardID(0): hot, shardID(1): hot}
	pressLive(t, m)
	ft.streams[0].ch <- kinesisx.Batch{Shards: map[string]kinesisx.ShardProgress{shardID(1): {}}}
	m.Update(m.tail.Wait()())
	if row := rowOf(t, m, shardID(0)); strings.Contains(row, "86%") || !strings.Contains(row, " 0%") {
		t.Errorf("a closed shard under live rates reads %q, want 0%%", row)
	}
	// SHARD STATE PARENTS SHARE RANGE then IN B/s and IN REC/s.
	if row := rowOf(t, m, shardID(1)); strings.Contains(row, "86%") || strings.Fields(row)[5] != "–" || strings.Fields(row)[6] != "–" {
		t.Errorf("an open shard in the live tail's first second reads %q, want no incoming figure", row)
	}
	m.liveFrom = m.liveFrom.Add(-liveSecondWhole)
	ft.streams[0].ch <- kinesisx.Batch{Shards: map[string]kinesisx.ShardProgress{shardID(1): {Rates: kinesisx.Rates{BytesPerSec1s: 1 << 20, RecordsPerSec1s: 500}}}}
	m.Update(m.tail.Wait()())
	if row := rowOf(t, m, shardID(1)); !strings.Contains(row, "100%") {
		t.Errorf("after a full second the open shard reads %q, want its live 100%%", row)
	}
}

// autoModel is the screen of a stream of n open shards, with the default
// policy for live rates, pushed as the root does: Init and Start, then the
// first load; it returns what the load asked for.
func autoModel(t *testing.T, ft *fakeTailer, n int) (*Model, tea.Cmd) {
	t.Helper()
	st := theme.New(theme.Plain())
	src := fakeSource{stream: kinesisx.Stream{Name: "orders", Status: "ACTIVE"}, shards: evenShards(n)}
	m := New(context.Background(), 9, screen.Common{Styles: &st}, "orders", Deps{Source: src, Tailer: ft})
	m.SetRefresh(0)
	m.SetSize(120, 10)
	t.Cleanup(m.Close)
	var cmds []tea.Cmd
	for _, msg := range uitest.Msgs(tea2(m.Init(), m.Start())) {
		cmds = append(cmds, m.Update(msg))
	}
	return m, tea.Batch(cmds...)
}

// TestLiveStartsOnItsOwn: a stream the read budget covers has its live
// rates on from its first load, says so, and L turns them off and on.
func TestLiveStartsOnItsOwn(t *testing.T) {
	ft := &fakeTailer{}
	m, cmd := autoModel(t, ft, 4)
	for _, msg := range uitest.Msgs(cmd) {
		m.Update(msg)
	}
	if len(ft.streams) != 1 || !m.tail.Open() || ft.opts[0].From.Type != kinesisx.PositionLatest {
		t.Fatalf("the live rates should start on their own (%d tails opened)", len(ft.streams))
	}
	if out := plainView(m); !strings.Contains(out, "● live rates (L stops)") {
		t.Errorf("the header should say the live rates are on and how to stop them:\n%s", out)
	}
	if cmd := m.Update(uitest.Key("L")); cmd != nil || !ft.streams[0].isClosed() || m.tail.On() {
		t.Fatal("L should turn the live rates off")
	}
	if out := plainView(m); strings.Contains(out, "● live rates") || !strings.Contains(out, "L reads the stream for live rates") {
		t.Errorf("off, the header should not claim live rates:\n%s", out)
	}
	// The user's choice holds across a reload.
	for _, msg := range uitest.Msgs(m.Update(screen.StreamChangedMsg{Stream: "orders"})) {
		if cmd := m.Update(msg); cmd != nil {
			t.Error("a reload must not turn the live rates on again")
		}
	}
	pressLive(t, m)
	if len(ft.streams) != 2 || !m.tail.Open() {
		t.Error("L should turn them on again")
	}
}

// TestLiveWaitsForLOnAWideStream: a stream wider than the budget reads
// every second keeps its dashes until L.
func TestLiveWaitsForLOnAWideStream(t *testing.T) {
	if AutoLive(57) || !AutoLive(56) || AutoLive(0) {
		t.Fatalf("the bound should be 56 open shards (default budget 50 + n/9 calls/s)")
	}
	ft := &fakeTailer{}
	m, cmd := autoModel(t, ft, 57)
	for _, msg := range uitest.Msgs(cmd) {
		m.Update(msg)
	}
	if len(ft.streams) != 0 || m.tail.On() {
		t.Fatalf("a 57-shard stream should not start live rates on its own (%d opened)", len(ft.streams))
	}
	if out := plainView(m); strings.Contains(out, "● live rates") {
		t.Errorf("no live rates claimed:\n%s", out)
	}
	pressLive(t, m)
	if len(ft.streams) != 1 || !m.tail.Open() {
		t.Error("L should still start them")
	}
}

// loading is the screen of a 2-shard stream with the default policy for
// live rates, its first load not yet delivered.
func loading(t *testing.T, ft *fakeTailer) (*Model, tea.Cmd) {
	t.Helper()
	st := theme.New(theme.Plain())
	src := fakeSource{stream: kinesisx.Stream{Name: "orders"}, shards: evenShards(2)}
	m := New(context.Background(), 9, screen.Common{Styles: &st}, "orders", Deps{Source: src, Tailer: ft})
	m.SetRefresh(0)
	t.Cleanup(m.Close)
	return m, m.Init()
}

// TestLiveWaitsWhileCovered: a first load that arrives once a screen was
// pushed above leaves the live rates wanted, and Start opens them.
func TestLiveWaitsWhileCovered(t *testing.T) {
	ft := &fakeTailer{}
	m, load := loading(t, ft)
	m.Stop() // a tail screen pushed before the load came back
	for _, msg := range uitest.Msgs(load) {
		if cmd := m.Update(msg); cmd != nil {
			t.Fatal("a covered screen must not read Kinesis")
		}
	}
	if !m.tail.On() || len(ft.streams) != 0 {
		t.Fatal("the live rates should be wanted, not opened")
	}
	for _, msg := range uitest.Msgs(m.Start()) {
		m.Update(msg)
	}
	if len(ft.streams) != 1 || !m.tail.Open() {
		t.Error("Start should open them")
	}
}

// TestLiveKeepsAnEarlyL: L pressed before the first load is the user's
// choice; the load does not override it.
func TestLiveKeepsAnEarlyL(t *testing.T) {
	ft := &fakeTailer{}
	m, load := loading(t, ft)
	m.Update(uitest.Key("L")) // on: its open is not run
	m.Update(uitest.Key("L")) // and off again
	for _, msg := range uitest.Msgs(load) {
		if cmd := m.Update(msg); cmd != nil {
			t.Fatal("the first load must not turn the live rates on against the user's L")
		}
	}
	if m.tail.On() {
		t.Error("the live rates should stay off")
	}
}
