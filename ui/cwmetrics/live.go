package cwmetrics

import (
	"sort"
	"sync"
	"time"

	"github.com/kinspect/kinspect/kinesisx"
	"github.com/kinspect/kinspect/metrics"
)

// The live fill: CloudWatch publishes a minute one to three minutes late
// (the demo's endpoint two), so the newest minutes of a trend are empty.
// While a tail runs, the screens hand its batches to Observe; a
// metrics.Accumulator per stream counts them per shard and minute, and
// StreamMetrics fills the unpublished minutes through metrics.Nowcast,
// marked Live.

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

// liveStream is one stream's live counts.
type liveStream struct {
	acc    *metrics.Accumulator
	start  time.Time
	last   time.Time
	shards map[string]bool // shards the tail reports progress for
}

// liveSet is the Adapter's live counts, safe for concurrent use: tails
// feed it from their Cmds while StreamMetrics reads it from another.
type liveSet struct {
	mu      sync.Mutex
	streams map[string]*liveStream
}

// Observe counts a tail's batch of stream (an empty batch still says the
// tail is watching). After a silence longer than LiveStale the counts
// restart: minutes nobody watched must not read as zero traffic.
func (a *Adapter) Observe(stream string, b kinesisx.Batch) {
	now := a.now()
	l := &a.live
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.streams == nil {
		l.streams = map[string]*liveStream{}
	}
	s := l.streams[stream]
	if s == nil || now.Sub(s.last) > LiveStale {
		if s == nil && len(l.streams) >= liveStreams {
			l.evict()
		}
		s = &liveStream{acc: metrics.NewAccumulator(now, LiveKeep), start: now, shards: map[string]bool{}}
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
func (l *liveSet) evict() {
	var oldest string
	var at time.Time
	for k, s := range l.streams {
		if oldest == "" || s.last.Before(at) {
			oldest, at = k, s.last
		}
	}
	delete(l.streams, oldest)
}

// nowcast fills the report's unpublished minutes from the live counts of
// the stream, if a tail fed them lately: each shard the tail read, and the
// stream level when the tail read every open shard. It returns when the
// tail last delivered (zero: no fill).
func (a *Adapter) nowcast(stream string, r *metrics.Report, open []string, now time.Time, lag time.Duration) time.Time {
	l := &a.live
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
