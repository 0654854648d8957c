package session

import (
	"sort"
	"sync"
	"time"

	"github.com/kinspect/kinspect/kinesisx"
	"github.com/kinspect/kinspect/metrics"
)

// The live fill: CloudWatch publishes a minute one to three minutes late
// (the demo's endpoint two), so the newest minutes of a trend are empty.
// While a tail runs, its batches reach Observe (on the event loop); a
// metrics.Accumulator per stream counts them per shard and minute, and the
// CloudWatch adapter fills the unpublished minutes through
// metrics.Nowcast, marked Live.

// Bounds of the live fill.
const (
	// LiveKeep is how many minutes of live counts are kept per stream.
	LiveKeep = 10 * time.Minute
	// LiveStale is how long after the last batch the live counts are
	// still used: a tail that stopped no longer says what "now" looks like.
	LiveStale = 15 * time.Second
	// liveStreams bounds the streams counted at once.
	liveStreams = 8
)

// Live is the live counts of the tails' batches. Observe is called on the
// event loop only; Nowcast is called by the CloudWatch adapter's loads, in
// Cmds: the lock is for those reads.
type Live struct {
	now     func() time.Time
	mu      sync.Mutex
	streams map[string]*liveStream
}

// liveStream is one stream's live counts.
type liveStream struct {
	acc    *metrics.Accumulator
	last   time.Time
	shards map[string]bool // shards the tail reports progress for
}

// NewLive builds empty live counts on the clock now (nil: time.Now).
func NewLive(now func() time.Time) *Live {
	if now == nil {
		now = time.Now
	}
	return &Live{now: now, streams: map[string]*liveStream{}}
}

// Observe counts a tail's batch of stream (an empty batch still says the
// tail is watching). After a silence longer than LiveStale the counts
// restart: minutes nobody watched must not read as zero traffic. Safe on
// a nil Live.
func (l *Live) Observe(stream string, b kinesisx.Batch) {
	if l == nil {
		return
	}
	now := l.now()
	l.mu.Lock()
	defer l.mu.Unlock()
	s := l.streams[stream]
	if s == nil || now.Sub(s.last) > LiveStale {
		if s == nil && len(l.streams) >= liveStreams {
			l.evict()
		}
		s = &liveStream{acc: metrics.NewAccumulator(now, LiveKeep), shards: map[string]bool{}}
		l.streams[stream] = s
	}
	s.last = now
	for id, p := range b.Shards {
		if !p.Closed {
			s.shards[id] = true
		}
	}
	for _, r := range b.Records {
		s.shards[r.ShardID] = true
	}
	s.acc.Add(b)
}

// evict drops the stream fed least recently.
func (l *Live) evict() {
	var oldest string
	var at time.Time
	for k, s := range l.streams {
		if oldest == "" || s.last.Before(at) {
			oldest, at = k, s.last
		}
	}
	delete(l.streams, oldest)
}

// Nowcast fills the report's unpublished minutes from the live counts of
// the stream, if a tail fed them lately: each shard the tail read, and the
// stream level when the tail read every open shard. It returns when the
// tail last delivered (zero: no fill). Safe on a nil Live.
func (l *Live) Nowcast(stream string, r *metrics.Report, open []string, now time.Time, lag time.Duration) time.Time {
	if l == nil {
		return time.Time{}
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	s := l.streams[stream]
	if s == nil || now.Sub(s.last) > LiveStale {
		return time.Time{}
	}
	for i := range r.Shards {
		sh := &r.Shards[i]
		if s.shards[sh.ID] {
			sh.Series = metrics.Nowcast(sh.Series, s.acc.Points(sh.ID, now), now, lag)
		}
	}
	for _, id := range open {
		if !s.shards[id] {
			return s.last // a partial tail cannot speak for the stream
		}
	}
	r.StreamLevel.Series = metrics.Nowcast(r.StreamLevel.Series, s.sum(now), now, lag)
	return s.last
}

// sum adds up the shards' live minutes into the stream's.
func (s *liveStream) sum(now time.Time) []metrics.LivePoint {
	by := map[int64]*metrics.LivePoint{}
	for id := range s.shards {
		for _, p := range s.acc.Points(id, now) {
			t := by[p.Minute.Unix()]
			if t == nil {
				t = &metrics.LivePoint{Minute: p.Minute, Covered: p.Covered}
				by[p.Minute.Unix()] = t
			}
			t.IncomingBytesPerSec += p.IncomingBytesPerSec
			t.IncomingRecordsPerSec += p.IncomingRecordsPerSec
		}
	}
	out := make([]metrics.LivePoint, 0, len(by))
	for _, p := range by {
		out = append(out, *p)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Minute.Before(out[j].Minute) })
	return out
}
