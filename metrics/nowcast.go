package metrics

import (
	"math"
	"sort"
	"time"

	"github.com/kinspect/kinspect/kinesisx"
)

// DefaultLag is how late CloudWatch publishes a minute of AWS/Kinesis
// metrics: one to three minutes, about two on average.
const DefaultLag = 3 * time.Minute

// LivePoint is one minute of incoming traffic measured by a running tail.
type LivePoint struct {
	Minute                time.Time
	IncomingBytesPerSec   float64
	IncomingRecordsPerSec float64
	// Covered is how much of the minute the tail watched: less than a
	// minute for the first minute and the current one.
	Covered time.Duration
}

// Nowcast merges a CloudWatch series (oldest first) with live minutes:
// a minute CloudWatch may not have published yet (it ended less than lag
// before now) and has no incoming figures for is taken from the live point
// of that minute and marked Live. Minutes CloudWatch has had time to
// publish keep its word, data or no data. Live minutes newer than the
// series, up to now's minute, are appended. The result is oldest first.
func Nowcast(cw []Point, live []LivePoint, now time.Time, lag time.Duration) []Point {
	// Minutes are keyed by Unix second: equal instants in different
	// locations are different time.Time map keys.
	byMinute := make(map[int64]LivePoint, len(live))
	for _, lp := range live {
		byMinute[lp.Minute.Unix()] = lp
	}
	unpublished := func(m time.Time) bool { return m.Add(time.Minute + lag).After(now) }
	fill := func(p *Point) {
		lp, ok := byMinute[p.Minute.Unix()]
		if !ok || !unpublished(p.Minute) || p.IncomingBytesPerSec != nil || p.IncomingRecordsPerSec != nil {
			return
		}
		b, r := lp.IncomingBytesPerSec, lp.IncomingRecordsPerSec
		p.IncomingBytesPerSec, p.IncomingRecordsPerSec, p.Live = &b, &r, true
	}
	out := make([]Point, 0, len(cw)+len(live))
	have := make(map[int64]bool, len(cw))
	for _, p := range cw {
		fill(&p)
		have[p.Minute.Unix()] = true
		out = append(out, p)
	}
	var last time.Time
	if len(cw) > 0 {
		last = cw[len(cw)-1].Minute
	}
	current := now.Truncate(time.Minute)
	for _, lp := range live {
		if have[lp.Minute.Unix()] || !lp.Minute.After(last) || lp.Minute.After(current) {
			continue
		}
		p := Point{Minute: lp.Minute}
		fill(&p)
		have[lp.Minute.Unix()] = true
		out = append(out, p)
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Minute.Before(out[j].Minute) })
	return out
}

// Accumulator turns a tail's batches into per-minute live rates per
// shard, counted from the records' arrival timestamps as CloudWatch counts
// IncomingBytes (data plus partition key) and IncomingRecords (a KPL
// aggregate is one record). It is not safe for concurrent use: the view
// that owns the tail owns it.
type Accumulator struct {
	start  time.Time
	keep   int
	shards map[string]map[int64]*liveSum // minute (Unix seconds) → counts
}

type liveSum struct{ bytes, records float64 }

// NewAccumulator counts records that arrived from start (when the tail
// began watching; earlier minutes would be undercounted) and keeps the last
// keep minutes (at least 1).
func NewAccumulator(start time.Time, keep time.Duration) *Accumulator {
	return &Accumulator{start: start, keep: max(1, int(keep/time.Minute)), shards: map[string]map[int64]*liveSum{}}
}

// Add counts a batch's records.
func (a *Accumulator) Add(b kinesisx.Batch) {
	for _, r := range b.Records {
		if r.ArrivedAt.Before(a.start) {
			continue
		}
		minutes := a.shards[r.ShardID]
		if minutes == nil {
			minutes = map[int64]*liveSum{}
			a.shards[r.ShardID] = minutes
		}
		m := r.ArrivedAt.Truncate(time.Minute).Unix()
		s := minutes[m]
		if s == nil {
			s = &liveSum{}
			minutes[m] = s
			a.trim(minutes, m)
		}
		s.bytes += float64(len(r.Data))
		if !r.Aggregated || r.SubSequence == 0 {
			s.bytes += float64(len(r.PartitionKey))
			s.records++
		}
	}
}

// trim drops minutes older than keep before newest.
func (a *Accumulator) trim(minutes map[int64]*liveSum, newest int64) {
	cut := newest - int64(a.keep)*60
	for m := range minutes {
		if m <= cut {
			delete(minutes, m)
		}
	}
}

// Points returns a shard's live minutes up to now, oldest first. Each rate
// is the minute's count over the part of it the tail watched, so the first
// and the current minute are rates, not partial sums. Minutes the tail
// watched without a record are zero: unlike CloudWatch, a tail does see
// silence.
func (a *Accumulator) Points(shardID string, now time.Time) []LivePoint {
	first := a.start.Truncate(time.Minute)
	current := now.Truncate(time.Minute)
	if current.Before(first) {
		return nil
	}
	if oldest := current.Add(-time.Duration(a.keep-1) * time.Minute); oldest.After(first) {
		first = oldest
	}
	minutes := a.shards[shardID]
	var out []LivePoint
	for m := first; !m.After(current); m = m.Add(time.Minute) {
		from, to := maxTime(m, a.start), minTime(m.Add(time.Minute), now)
		covered := to.Sub(from)
		if covered <= 0 {
			continue
		}
		lp := LivePoint{Minute: m, Covered: covered}
		if s := minutes[m.Unix()]; s != nil {
			secs := covered.Seconds()
			lp.IncomingBytesPerSec, lp.IncomingRecordsPerSec = s.bytes/secs, s.records/secs
		}
		out = append(out, lp)
	}
	return out
}

func maxTime(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

func minTime(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}

// Unpublished reports whether CloudWatch may still publish (or complete)
// the point's minute: it is still open, or it ended less than lag before
// now and has no incoming figure of CloudWatch's own (none, or one filled
// live). Trends draw these minutes as pending, not as data.
func Unpublished(p Point, now time.Time, lag time.Duration) bool {
	if !Complete(p.Minute, now) {
		return true
	}
	return (p.IncomingBytesPerSec == nil || p.Live) && p.Minute.Add(time.Minute+lag).After(now)
}

// PendingMinutes counts the trailing points of a series (oldest first)
// that are Unpublished.
func PendingMinutes(ps []Point, now time.Time, lag time.Duration) int {
	n := 0
	for i := len(ps) - 1; i >= 0 && Unpublished(ps[i], now, lag); i-- {
		n++
	}
	return n
}

// TrendValue is the incoming bytes/s a trend draws for a point: NaN where
// there is no figure, and for the open minute's partial Sum (it would
// read as a drop) unless a live tail filled it.
func TrendValue(p Point, now time.Time) float64 {
	if p.IncomingBytesPerSec == nil || (!Complete(p.Minute, now) && !p.Live) {
		return math.NaN()
	}
	return *p.IncomingBytesPerSec
}
