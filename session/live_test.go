package session

import (
	"context"
	"math"
	"testing"
	"time"

	"github.com/kinspect/kinspect/kinesisx"
	"github.com/kinspect/kinspect/kinesisx/hashkey"
	"github.com/kinspect/kinspect/metrics"
)

type fakeReader struct{ shards []kinesisx.Shard }

func (f fakeReader) DescribeStream(context.Context, string) (kinesisx.Stream, error) {
	return kinesisx.Stream{Name: "orders", RetentionHours: 24}, nil
}
func (f fakeReader) ListShards(context.Context, string) ([]kinesisx.Shard, error) {
	return f.shards, nil
}

// fakeSource answers a report whose last three minutes CloudWatch has
// not published: the minute before them has 100 B/s.
type fakeSource struct{}

func (f fakeSource) Stream(_ context.Context, _ string, ids []string, _ time.Duration, now time.Time, _ ...metrics.StreamOption) (metrics.Report, error) {
	cur := now.Truncate(time.Minute)
	series := func() []metrics.Point {
		return []metrics.Point{
			{Minute: cur.Add(-3 * time.Minute), IncomingBytesPerSec: f64(100)},
			{Minute: cur.Add(-2 * time.Minute)},
			{Minute: cur.Add(-time.Minute)},
			{Minute: cur},
		}
	}
	r := metrics.Report{EnhancedMonitoring: true, StreamLevel: metrics.StreamReport{Series: series()}}
	r.StreamLevel.Point = r.StreamLevel.Series[0]
	for _, id := range ids {
		s := series()
		r.Shards = append(r.Shards, metrics.ShardReport{ID: id, Point: s[0], Series: s})
	}
	return r, nil
}

func f64(v float64) *float64 { return &v }

func twoShards() []kinesisx.Shard {
	h := hashkey.Split(2)
	return []kinesisx.Shard{{ID: "s0", HashRange: h[0], Open: true}, {ID: "s1", HashRange: h[1], Open: true}}
}

func batch(at time.Time, shard string, n, size int, shards ...string) kinesisx.Batch {
	b := kinesisx.Batch{Shards: map[string]kinesisx.ShardProgress{}}
	for _, s := range shards {
		b.Shards[s] = kinesisx.ShardProgress{}
	}
	for i := range n {
		b.Records = append(b.Records, kinesisx.Record{ShardID: shard, PartitionKey: "k", Data: make([]byte, size-1),
			ArrivedAt: at.Add(time.Duration(i) * time.Millisecond)})
	}
	return b
}

func TestLiveFill(t *testing.T) {
	start := time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)
	clock := start
	tests := []struct {
		name      string
		feed      func(l *Live)
		after     time.Duration // the clock when metrics are asked for
		wantLive  int           // stream-level minutes filled
		wantShard bool          // shard s0's current minute filled
		wantBytes float64       // stream-level current minute, when filled
	}{
		{name: "no tail: nothing filled", feed: func(*Live) {}, after: 30 * time.Second},
		{name: "a whole-stream tail fills the stream and its shards", feed: func(l *Live) {
			l.Observe("orders", batch(start.Add(time.Second), "s0", 30, 100, "s0", "s1"))
			clock = start.Add(10 * time.Second)
			l.Observe("orders", batch(start.Add(9*time.Second), "s1", 30, 100, "s0", "s1"))
		}, after: 10 * time.Second, wantLive: 1, wantShard: true, wantBytes: 6000.0 / 10},
		{name: "a one-shard tail fills its shard only", feed: func(l *Live) {
			l.Observe("orders", batch(start.Add(time.Second), "s0", 30, 100, "s0"))
		}, after: 10 * time.Second, wantShard: true},
		{name: "a tail that stopped long ago fills nothing", feed: func(l *Live) {
			l.Observe("orders", batch(start.Add(time.Second), "s0", 30, 100, "s0", "s1"))
		}, after: LiveStale + 2*time.Second},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			clock = start
			l := NewLive(func() time.Time { return clock })
			a := NewCloudWatch(fakeReader{shards: twoShards()}, fakeSource{}, l, func() time.Time { return clock })
			tt.feed(l)
			clock = start.Add(tt.after)
			m, err := a.StreamMetrics(context.Background(), "orders")
			if err != nil {
				t.Fatal(err)
			}
			if m.Live != tt.wantLive || m.Pending != 3 {
				t.Errorf("pending %d live %d, want 3 pending, %d live", m.Pending, m.Live, tt.wantLive)
			}
			last := len(m.Trend) - 1
			if tt.wantLive > 0 {
				if len(m.LiveMask) != len(m.Trend) || !m.LiveMask[last] || m.LiveMask[0] {
					t.Errorf("live mask %v: only the current minute is live", m.LiveMask)
				}
				if math.Abs(m.Trend[last]-tt.wantBytes) > 1e-9 || m.LiveAt.IsZero() {
					t.Errorf("current minute %v B/s (want %v), live at %v", m.Trend[last], tt.wantBytes, m.LiveAt)
				}
			} else if m.LiveMask != nil || !math.IsNaN(m.Trend[last]) {
				t.Errorf("nothing should be filled: mask %v trend %v", m.LiveMask, m.Trend)
			}
			s0 := m.Shards["s0"]
			if got := len(s0.LiveMask) > 0 && s0.LiveMask[len(s0.LiveMask)-1]; got != tt.wantShard {
				t.Errorf("shard s0 current minute live = %v, want %v (%v)", got, tt.wantShard, s0.Trend)
			}
			if m.Trend[0] != 100 {
				t.Errorf("a published minute must keep CloudWatch's word: %v", m.Trend)
			}
		})
	}
}
