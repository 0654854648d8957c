package metrics

import "time"

// The figures the screens draw, read from a Report (see session's
// CloudWatch adapter): they live here, beside the Report they come from,
// so that the adapter needs no screen package to return them.

// ShardMetric is what CloudWatch says of one shard, as rates per second.
type ShardMetric struct {
	InBytes, InRecords, OutBytes  float64
	IteratorAgeMs                 int64
	WriteThrottled, ReadThrottled float64
	// Trend is the incoming bytes/s per minute over the window, oldest
	// first; NaN marks a minute with no data point.
	Trend []float64
	// LiveMask marks the minutes of Trend filled from a running tail
	// (nil: none); Pending is how many of its last minutes CloudWatch has
	// not published yet.
	LiveMask []bool
	Pending  int
	// Minute is the complete minute the figures are of (zero: none yet).
	Minute time.Time
}

// StreamMetric is what CloudWatch says of a stream and its shards: the
// stream-level figures of the newest minute with data, the trend of the
// window, and how many of the last minutes it has not published yet.
type StreamMetric struct {
	InBytes, InRecords            float64
	IteratorAgeMs                 int64
	WriteThrottled, ReadThrottled float64
	Minute                        time.Time // newest minute with data; zero when none
	Trend                         []float64 // incoming bytes/s per minute, oldest first; NaN: no data
	// Pending is how many of the newest minutes CloudWatch has not
	// published yet (it lags one to three minutes); Live of them were
	// filled from a running tail.
	Pending, Live int
	// LiveMask marks the minutes of Trend filled from a running tail
	// (nil: none); LiveAt is when that tail last delivered.
	LiveMask []bool
	LiveAt   time.Time
	// Enhanced says whether shard-level metrics are on.
	Enhanced bool
	Shards   map[string]ShardMetric
}

// Load is a stream's incoming traffic in one complete CloudWatch minute.
type Load struct {
	// OK is false when CloudWatch has no complete minute with data.
	OK     bool
	Minute time.Time
	// BytesPerSec is the stream's incoming rate.
	BytesPerSec float64
	// HotShard is the shard nearest its limits ("" when shard-level
	// metrics are off: then HotBytes and HotRecords are the stream's
	// average per open shard, and a single shard may be hotter).
	HotShard string
	// HotBytes and HotRecords are fractions of a shard's 1 MiB/s and
	// 1,000 records/s (the highest of any shard, each on its own).
	HotBytes, HotRecords float64
}

// Filled is a report over a window, its unpublished minutes filled from a
// live tail where one fed them (marked Live), with the open shards, the
// clock it was read at, CloudWatch's publication lag, and when the
// filling tail last delivered (zero: no fill).
type Filled struct {
	Report Report
	// Open lists the open shards: they are rows even without data; a
	// closed shard is a row only when it has data in the window. Nil:
	// every shard of the report is a row.
	Open   []string
	Now    time.Time
	Lag    time.Duration
	LiveAt time.Time
}
