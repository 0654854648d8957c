package find

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/kinspect/kinspect/kinesisx"
)

// chanTail is a tail fed by the test.
type chanTail struct {
	ch     chan kinesisx.Batch
	err    error
	closed chan struct{}
}

func newChanTail() *chanTail {
	return &chanTail{ch: make(chan kinesisx.Batch, 8), closed: make(chan struct{})}
}
func (c *chanTail) Batches() <-chan kinesisx.Batch { return c.ch }
func (c *chanTail) Err() error                     { return c.err }
func (c *chanTail) Close()                         { close(c.closed) }

func TestFindRunReportsLinesProgressAndEnd(t *testing.T) {
	tl := newChanTail()
	s := New(Query{Key: "k2", Until: t0.Add(time.Hour)})
	s.Expect([]string{"a", "b"})
	out := make(chan Report)
	go Run(context.Background(), tl, s, time.Hour, out)

	tl.ch <- kinesisx.Batch{Records: []kinesisx.Record{rec("a", 1), rec("a", 2)}, Shards: behind("a")}
	r := <-out
	if len(r.Lines) != 1 || r.Lines[0].Record.SequenceNumber != "s2" || r.Matches != 1 || r.Scanned != 2 || r.Final {
		t.Fatalf("first report: %+v", r)
	}
	if len(r.Shards) != 1 || r.Shards[0].ID != "a" || r.Shards[0].Scanned != 2 || !r.Shards[0].Reached.Equal(t0.Add(2*time.Second)) || r.Shards[0].Done {
		t.Fatalf("shard state: %+v", r.Shards)
	}
	// No line and the interval not passed: no report until the end.
	tl.ch <- kinesisx.Batch{Records: []kinesisx.Record{rec("b", 3)}, Shards: behind("b")}
	tl.ch <- kinesisx.Batch{Shards: map[string]kinesisx.ShardProgress{"a": {}, "b": {}}} // both at their tips
	r = <-out
	if !r.Final || !r.Done || r.Scanned != 3 || len(r.Lines) != 0 || r.Err != nil {
		t.Fatalf("final report: %+v", r)
	}
	if st := r.Shards; len(st) != 2 || st[0].ID != "a" || st[1].ID != "b" || !st[0].Done || !st[1].Done || st[1].Scanned != 1 {
		t.Fatalf("final shard states: %+v", st)
	}
	if _, ok := <-out; ok {
		t.Fatal("out should be closed after the final report")
	}
	<-tl.closed
}

func TestFindRunEndsWithTheTailsError(t *testing.T) {
	tl := newChanTail()
	tl.err = errors.New("stream deleted")
	out := make(chan Report, 1)
	close(tl.ch)
	Run(context.Background(), tl, New(Query{}), 0, out)
	if r := <-out; !r.Final || r.Done || r.Err == nil {
		t.Fatalf("report %+v", r)
	}
}

func TestFindRunStopsWhenTheContextEnds(t *testing.T) {
	tl := newChanTail()
	ctx, cancel := context.WithCancel(context.Background())
	out := make(chan Report) // nobody reads: Run must not block on it
	done := make(chan struct{})
	go func() { Run(ctx, tl, New(Query{}), 0, out); close(done) }()
	tl.ch <- kinesisx.Batch{Records: []kinesisx.Record{rec("a", 1)}, Shards: behind("a")}
	cancel()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("Run did not return after its context ended")
	}
	<-tl.closed
}

func TestFindSpecQuery(t *testing.T) {
	now := t0.Add(time.Hour)
	tui := func(f string) string {
		return map[string]string{"from": "since", "until": "until", "seq": "seq", "grep": "data"}[f]
	}
	q, from, err := Spec{Key: "k", Grep: "ERR", From: "-30m", Until: "-10m"}.Query(now, tui)
	if err != nil || q.Key != "k" || q.Pattern.String() != "ERR" || !q.From.Equal(now.Add(-30*time.Minute)) ||
		!q.Until.Equal(now.Add(-10*time.Minute)) || from.Type != kinesisx.PositionAtTimestamp {
		t.Fatalf("query %+v from %+v err %v", q, from, err)
	}
	q, from, err = Spec{}.Query(now, tui)
	if err != nil || !q.From.Equal(now.Add(-15*time.Minute)) || !q.Until.Equal(now) {
		t.Fatalf("defaults: %+v %v", q, err)
	}
	q, from, err = Spec{Seq: "4955"}.Query(now, tui)
	if err != nil || q.Max != 1 || from.Type != kinesisx.PositionAtSequence || from.Sequence != "4955" || !q.From.IsZero() {
		t.Fatalf("sequence: %+v from %+v err %v", q, from, err)
	}
	for _, tt := range []struct {
		sp   Spec
		want string
	}{
		{Spec{From: "latest"}, "since latest: want trim-horizon"},
		{Spec{From: "yesterday"}, "since yesterday: want trim-horizon, an RFC 3339 time or a duration ago such as -1h"}, // not latest or at:SEQ, which a find refuses
		{Spec{Until: "soon"}, "until soon: want an RFC 3339 time"},
		{Spec{From: "-5m", Until: "-10m"}, "until -10m is not after since -5m"},
		{Spec{Seq: "12a"}, `seq: "12a" is not a sequence number`},
		{Spec{Grep: "("}, "data: error parsing regexp"},
	} {
		_, _, err := tt.sp.Query(now, tui)
		if err == nil || !strings.HasPrefix(err.Error(), tt.want) || strings.Contains(err.Error(), "\n") {
			t.Errorf("%+v: error %v, want one line starting %q", tt.sp, err, tt.want)
		}
	}
}
