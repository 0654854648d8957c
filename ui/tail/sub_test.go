package tail

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/kinspect/kinspect/kinesisx"
	"github.com/kinspect/kinspect/kinesisx/hotkeys"
	"github.com/kinspect/kinspect/metrics"
	"github.com/kinspect/kinspect/session"
	"github.com/kinspect/kinspect/ui/screen"
)

// openSubT opens a Sub of "orders" with ft and lets it take the stream.
func openSubT(t *testing.T, ft *fakeTailer, sess *session.Session) (*Sub, *fakeStream) {
	t.Helper()
	s := NewSub(4, "tail", sess, false)
	ev, ok := s.Update(s.Start(context.Background(), ft, kinesisx.TailOptions{Stream: "orders"})())
	if !ok || !ev.Opened || ev.Err != nil || ev.Cmd == nil || !s.Open() {
		t.Fatalf("the Sub should open and wait: %+v", ev)
	}
	t.Cleanup(s.Close)
	return &s, ft.last()
}

// liveCounts reports whether the session's live counts of "orders" are
// fresh at t0.
func liveCounts(sess *session.Session) bool {
	var r metrics.Report
	return !sess.Live.Nowcast("orders", &r, nil, t0, time.Minute).IsZero()
}

// TestSubChangesTheSessionOnlyInUpdate: the Cmd that waits for a batch
// runs off the event loop and must not touch the session; the Update that
// receives the batch is the one place it changes. Under -race, the reads
// here run while the wait Cmd runs: a write from the Cmd would be
// reported.
func TestSubChangesTheSessionOnlyInUpdate(t *testing.T) {
	sess := session.New(func() time.Time { return t0 }, hotkeys.Options{})
	s, st := openSubT(t, &fakeTailer{}, sess)
	for i := range 20 {
		done := make(chan tea.Msg, 1)
		wait := s.Wait()
		go func() { done <- wait() }() // as the runtime runs a Cmd
		// The event loop goes on reading the session meanwhile.
		if a, ok := sess.Traffic.Lookup("orders"); ok {
			a.Stats(3)
		}
		had := liveCounts(sess)
		st.ch <- batchOf(record(1, i+1, "x"))
		msg := <-done
		if _, ok := sess.Traffic.Lookup("orders"); ok != (i > 0) || had != (i > 0) {
			t.Fatalf("batch %d changed the session before Update", i)
		}
		ev, ok := s.Update(msg)
		if !ok || ev.Batch == nil || len(ev.Batch.Records) != 1 {
			t.Fatalf("batch %d: event %+v", i, ev)
		}
		if _, ok := sess.Traffic.Lookup("orders"); !ok || !liveCounts(sess) {
			t.Fatalf("batch %d: Update should give the batch to the session", i)
		}
	}
	a, _ := sess.Traffic.Lookup("orders")
	if got, _ := a.Shard("shardId-000000000001", 1); got.Records != 20 {
		t.Errorf("the analyser saw %d records, want 20", got.Records)
	}
}

// TestSubBesideCloudWatchReads: the CloudWatch adapter reads the live
// counts from its Cmds while the event loop feeds them (under -race).
func TestSubBesideCloudWatchReads(t *testing.T) {
	sess := session.New(func() time.Time { return t0 }, hotkeys.Options{})
	s, st := openSubT(t, &fakeTailer{}, sess)
	stop := make(chan struct{})
	done := make(chan struct{})
	go func() { // the metrics screen's loads
		defer close(done)
		for {
			select {
			case <-stop:
				return
			default:
			}
			var r metrics.Report
			r.Shards = []metrics.ShardReport{{ID: "shardId-000000000001"}}
			sess.Live.Nowcast("orders", &r, []string{"shardId-000000000001"}, t0, time.Minute)
		}
	}()
	for i := range 50 {
		st.ch <- batchOf(record(1, i+1, "x"))
		if _, ok := s.Update(s.Wait()()); !ok {
			t.Fatal("a batch of the Sub")
		}
	}
	close(stop)
	<-done
}

// TestSubStaleAndLate: results of an older generation or of another
// screen change nothing; a stream that arrives for an abandoned
// subscription is closed; the end reports the tail's error.
func TestSubStaleAndLate(t *testing.T) {
	ft := &fakeTailer{}
	s, st := openSubT(t, ft, nil)
	for _, msg := range []tea.Msg{
		subBatchMsg{screen: 99, gen: s.gen},
		subEndedMsg{screen: 4, gen: s.gen - 1, err: errors.New("x")},
		subBatchMsg{screen: 4, gen: s.gen - 1, batch: batchOf(record(1, 1, "x"))},
	} {
		if ev, _ := s.Update(msg); ev.Cmd != nil || ev.Batch != nil || ev.Ended || !s.Open() {
			t.Errorf("stale %T changed something: %+v", msg, ev)
		}
	}
	if _, ok := s.Update(screen.InfoMsg{}); ok {
		t.Error("another message is not the Sub's")
	}
	late := newFakeStream()
	ev, _ := s.Update(subStartedMsg{screen: 4, gen: s.gen + 3, stream: late})
	if ev.Cmd == nil {
		t.Fatal("a late stream should be closed")
	}
	ev.Cmd()
	if !late.isClosed() {
		t.Error("the late stream is still open")
	}
	st.End(errors.New("ExpiredIteratorException"))
	ev, _ = s.Update(s.Wait()())
	if !ev.Ended || ev.Err == nil || !strings.Contains(ev.Err.Error(), "ExpiredIteratorException") || s.Open() || s.Running() {
		t.Errorf("end %+v", ev)
	}
}

// TestLiveRatesTail: Live opens the whole stream from LATEST when wanted,
// reports the progress and the fill once, goes off when it fails or ends,
// and stays wanted across Stop.
func TestLiveRatesTail(t *testing.T) {
	ft := &fakeTailer{}
	l := NewLive(4, "live rates of", nil)
	if l.Start(context.Background(), ft, "orders") != nil {
		t.Fatal("not wanted: no tail")
	}
	l.SetOn(true)
	if ev, ok := l.Update(l.Start(context.Background(), ft, "orders")(), t0); !ok || ev.Cmd == nil || !l.Open() {
		t.Fatal("a wanted tail should open")
	}
	t.Cleanup(l.Stop)
	if o := ft.opts[0]; o.Stream != "orders" || len(o.Shards) != 0 || o.From.Type != kinesisx.PositionLatest {
		t.Errorf("options %+v", o)
	}
	if l.Start(context.Background(), ft, "orders") != nil {
		t.Error("an open tail is not opened twice")
	}
	st := ft.last()
	for i, at := range []time.Duration{time.Second, FillAfter, FillAfter + time.Second} {
		st.ch <- kinesisx.Batch{Shards: map[string]kinesisx.ShardProgress{"s0": {}}}
		ev, _ := l.Update(l.Wait()(), t0.Add(at))
		if len(ev.Shards) != 1 || ev.Fill != (i == 1) {
			t.Errorf("batch %d at %v: %+v", i, at, ev)
		}
	}
	l.Stop()
	if !st.isClosed() || l.Open() || !l.On() {
		t.Error("Stop closes the tail and keeps it wanted")
	}
	ft.err = errors.New("AccessDenied")
	ev, _ := l.Update(l.Start(context.Background(), ft, "orders")(), t0)
	if em, ok := ev.Cmd().(screen.ErrorMsg); !ok || em.Err.Error() != "live rates of orders: AccessDenied" || l.On() || l.Opening() {
		t.Errorf("a tail that fails to open is off and says why: %v", ev.Cmd())
	}
	ft.err = nil
	l.SetOn(true)
	l.Update(l.Start(context.Background(), ft, "orders")(), t0)
	ft.last().End(errors.New("LimitExceededException"))
	ev, _ = l.Update(l.Wait()(), t0)
	if em, ok := ev.Cmd().(screen.ErrorMsg); !ok || em.Err.Error() != "live rates of orders ended: LimitExceededException" || l.On() {
		t.Errorf("an ended tail is off and says why: %v", ev.Cmd())
	}
}
