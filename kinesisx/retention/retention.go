// Package retention computes the retention-risk clock of a stream: per
// shard, the stream's retention minus the consumer's iterator age, which is
// how long a consumer that falls no further behind has before the records
// it has yet to read start to be trimmed. It is pure: feed it iterator ages
// from CloudWatch (GetRecords.IteratorAgeMilliseconds / IteratorAgeMilliseconds,
// Maximum) or from a tail's ShardProgress.MillisBehindLatest.
package retention

import (
	"sort"
	"time"

	"github.com/kinspect/kinspect/kinesisx"
)

// Level grades a shard's risk.
type Level int

// The levels, from safe to losing data.
const (
	LevelOK     Level = iota // more than the threshold left
	LevelAtRisk              // less than the threshold left
	LevelLosing              // the iterator age reached the retention: records are trimmed before they are read
)

// String names the level for tables and JSON.
func (l Level) String() string {
	switch l {
	case LevelAtRisk:
		return "at-risk"
	case LevelLosing:
		return "losing"
	}
	return "ok"
}

// ShardAge is a consumer's iterator age on one shard.
type ShardAge struct {
	ShardID     string
	IteratorAge time.Duration
}

// Risk is the retention clock of one shard.
type Risk struct {
	ShardID     string
	Retention   time.Duration
	IteratorAge time.Duration
	// Left is Retention minus IteratorAge: the time before the oldest
	// unread record is trimmed, if the consumer falls no further behind.
	// It is negative when records are already lost.
	Left  time.Duration
	Level Level
}

// AtRisk reports whether the shard is under the threshold or losing data.
func (r Risk) AtRisk() bool { return r.Level != LevelOK }

// DefaultThreshold is the margin under which a shard is at risk: a quarter
// of the retention, but at least an hour (a day's retention gives 6 h, the
// minimum of 24 h included; a week's 42 h).
func DefaultThreshold(retention time.Duration) time.Duration {
	return max(retention/4, time.Hour)
}

// Retention returns a stream's retention period.
func Retention(st kinesisx.Stream) time.Duration {
	return time.Duration(st.RetentionHours) * time.Hour
}

// Assess grades every shard: Left = retention − iterator age, at risk when
// Left is below threshold (DefaultThreshold(retention) when threshold is
// not positive), losing when Left ≤ 0. The result is sorted by Left, most
// urgent first, then by shard ID. A negative age counts as zero.
func Assess(retention, threshold time.Duration, ages []ShardAge) []Risk {
	if threshold <= 0 {
		threshold = DefaultThreshold(retention)
	}
	out := make([]Risk, 0, len(ages))
	for _, a := range ages {
		age := max(a.IteratorAge, 0)
		r := Risk{ShardID: a.ShardID, Retention: retention, IteratorAge: age, Left: retention - age}
		switch {
		case r.Left <= 0:
			r.Level = LevelLosing
		case r.Left < threshold:
			r.Level = LevelAtRisk
		}
		out = append(out, r)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Left != out[j].Left {
			return out[i].Left < out[j].Left
		}
		return out[i].ShardID < out[j].ShardID
	})
	return out
}

// FromProgress turns a tail's per-shard progress into iterator ages
// (MillisBehindLatest is the age of the shard's unread tip for this
// reader), sorted by shard ID. Closed shards are left out: a shard read to
// its end has nothing left to lose.
func FromProgress(p map[string]kinesisx.ShardProgress) []ShardAge {
	out := make([]ShardAge, 0, len(p))
	for id, sp := range p {
		if sp.Closed {
			continue
		}
		out = append(out, ShardAge{ShardID: id, IteratorAge: time.Duration(sp.MillisBehindLatest) * time.Millisecond})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ShardID < out[j].ShardID })
	return out
}
