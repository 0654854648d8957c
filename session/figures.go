package session

import (
	"time"

	"github.com/kinspect/kinspect/metrics"
)

// FromReport turns a report into the stream screen's figures: the newest
// complete minute with data (never the open one), per-minute trends (NaN
// where there is no data point, and for the open minute unless a tail
// filled it), and the trailing minutes CloudWatch has not published yet
// (the open one, and those that ended less than lag before now without
// CloudWatch's figure).
func FromReport(r metrics.Report, now time.Time, lag time.Duration) metrics.StreamMetric {
	sl := r.StreamLevel
	out := metrics.StreamMetric{
		InBytes: val(sl.IncomingBytesPerSec), InRecords: val(sl.IncomingRecordsPerSec),
		IteratorAgeMs:  int64(val(sl.IteratorAgeMs)),
		WriteThrottled: val(sl.WriteThrottled), ReadThrottled: val(sl.ReadThrottled),
		Minute:   sl.Minute,
		Trend:    trend(sl.Series, now),
		LiveMask: liveMask(sl.Series),
		Pending:  metrics.PendingMinutes(sl.Series, now, lag),
		Enhanced: r.EnhancedMonitoring,
		Shards:   make(map[string]metrics.ShardMetric, len(r.Shards)),
	}
	for i := len(sl.Series) - 1; i >= len(sl.Series)-out.Pending; i-- {
		if sl.Series[i].Live {
			out.Live++
		}
	}
	for _, s := range r.Shards {
		if s.Minute.IsZero() && !hasLive(s.Series) {
			continue // no complete data point in the window (enhanced monitoring off, or only the open minute)
		}
		out.Shards[s.ID] = metrics.ShardMetric{
			InBytes: val(s.IncomingBytesPerSec), InRecords: val(s.IncomingRecordsPerSec), OutBytes: val(s.OutgoingBytesPerSec),
			IteratorAgeMs:  int64(val(s.IteratorAgeMs)),
			WriteThrottled: val(s.WriteThrottled), ReadThrottled: val(s.ReadThrottled),
			Minute: s.Minute,
			Trend:  trend(s.Series, now), LiveMask: liveMask(s.Series), Pending: metrics.PendingMinutes(s.Series, now, lag),
		}
	}
	return out
}

// hasLive reports whether a tail filled any minute of the series.
func hasLive(ps []metrics.Point) bool {
	for _, p := range ps {
		if p.Live {
			return true
		}
	}
	return false
}

func val(p *float64) float64 {
	if p == nil {
		return 0
	}
	return *p
}

// liveMask marks the points filled from a tail; nil when there are none.
func liveMask(ps []metrics.Point) []bool {
	var out []bool
	for i, p := range ps {
		if p.Live {
			if out == nil {
				out = make([]bool, len(ps))
			}
			out[i] = true
		}
	}
	return out
}

// trend is the incoming bytes/s per minute, NaN where there is no data
// and for the open minute's partial figure.
func trend(ps []metrics.Point, now time.Time) []float64 {
	out := make([]float64, len(ps))
	for i, p := range ps {
		out[i] = metrics.TrendValue(p, now)
	}
	return out
}
