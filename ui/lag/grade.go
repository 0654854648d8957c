package lag

import (
	"fmt"
	"slices"
	"strings"
	"time"

	klag "github.com/kinspect/kinspect/kinesisx/lag"
	"github.com/kinspect/kinspect/kinesisx/retention"
	"github.com/kinspect/kinspect/ui/cell"
)

// A shard is behind, and its lag is highlighted, when it is at least
// behindFloor behind and either behindAlways behind or outlierFactor times
// its application's median: a shard far behind its siblings is the sign
// of a stuck worker or a poison record, whatever the retention.
const (
	behindFloor   = 10 * time.Second
	behindAlways  = time.Minute
	outlierFactor = 4
)

// row is one line of the table: an application's header (shard < 0) or
// one of its shards.
type row struct {
	app   string
	index int // into Report.Applications
	shard int // into its Shards; -1 for the header
}

func (r row) key() string { return fmt.Sprintf("%s/%d", r.app, r.shard) }

// buildRows lays out the applications, each header followed by its
// shards.
func buildRows(r klag.Report) []row {
	var rows []row
	for i, a := range r.Applications {
		rows = append(rows, row{app: a.Name, index: i, shard: -1})
		for j := range a.Shards {
			rows = append(rows, row{app: a.Name, index: i, shard: j})
		}
	}
	return rows
}

// behindMs is a shard's MillisBehindLatest, or -1 when not measured.
func behindMs(s klag.ShardLag) int64 {
	if s.MillisBehindLatest == nil {
		return -1
	}
	return *s.MillisBehindLatest
}

// medianMs is the median lag of an application's measured shards.
func medianMs(a klag.Application) int64 {
	var ms []int64
	for _, s := range a.Shards {
		if v := behindMs(s); v >= 0 && s.State != klag.StateEnded {
			ms = append(ms, v)
		}
	}
	if len(ms) == 0 {
		return 0
	}
	slices.Sort(ms)
	return ms[len(ms)/2]
}

// isBehind says whether a shard's lag is highlighted (see behindFloor).
func isBehind(s klag.ShardLag, median int64) bool {
	v := time.Duration(behindMs(s)) * time.Millisecond
	return v >= behindFloor && (v >= behindAlways || behindMs(s) >= outlierFactor*median)
}

// laggard is the index of an application's shard whose oldest unread
// record is oldest (then the furthest behind), or -1 when none is behind
// at all.
func laggard(a klag.Application) int {
	best := -1
	for i, s := range a.Shards {
		if s.CheckpointAge <= 0 && behindMs(s) <= 0 {
			continue
		}
		if best < 0 || s.CheckpointAge > a.Shards[best].CheckpointAge ||
			s.CheckpointAge == a.Shards[best].CheckpointAge && behindMs(s) > behindMs(a.Shards[best]) {
			best = i
		}
	}
	return best
}

// risk grades the retention clock of an age (nil for no unread record).
func risk(ret, threshold, age time.Duration) *retention.Risk {
	if ret <= 0 || age <= 0 {
		return nil
	}
	r := retention.Assess(ret, threshold, []retention.ShardAge{{IteratorAge: age}})[0]
	return &r
}

// appAge is how old an application's oldest unread record is: its
// laggard's, or a Lambda function's iterator age.
func appAge(a klag.Application) time.Duration {
	if a.Kind == klag.KindLambda {
		if a.IteratorAgeMs == nil {
			return 0
		}
		return time.Duration(*a.IteratorAgeMs) * time.Millisecond
	}
	if i := laggard(a); i >= 0 {
		return a.Shards[i].CheckpointAge
	}
	return 0
}

// callouts are the things a person must look at, one line each: the
// imbalance warnings and the shards nobody reads.
func callouts(r klag.Report) []string {
	var out []string
	for _, a := range r.Applications {
		for _, w := range a.Warnings {
			out = append(out, a.Name+": "+w)
		}
		by := map[klag.State][]string{}
		for _, s := range a.Shards {
			by[s.State] = append(by[s.State], s.ShardID)
		}
		say := func(state klag.State, what string) {
			if ids := by[state]; len(ids) > 0 {
				out = append(out, fmt.Sprintf("%s: %s %s", a.Name, shardList(ids), what))
			}
		}
		say(klag.StateNoLease, "no lease: no worker will read it")
		say(klag.StateNoOwner, "a lease nobody holds: nobody reads it now")
		say(klag.StateBlockedByParent, "waiting for a parent to reach SHARD_END")
	}
	return out
}

// shardList names up to three shards, short, and counts the rest.
func shardList(ids []string) string {
	n := len(ids)
	short := make([]string, 0, 3)
	for _, id := range ids[:min(n, 3)] {
		short = append(short, cell.ShortShardID(id))
	}
	s := "shard " + strings.Join(short, ", ")
	if n > 1 {
		s = "shards " + strings.Join(short, ", ")
	}
	if n > 3 {
		s += fmt.Sprintf(" and %d more", n-3)
	}
	if n > 1 {
		return s + " have"
	}
	return s + " has"
}

// fmtAge spells a duration shortly: 850ms, 4.2s, 31s, 12m, 5h, 2d3h.
func fmtAge(d time.Duration) string {
	switch {
	case d < time.Second:
		return fmt.Sprintf("%dms", d.Milliseconds())
	case d < 10*time.Second:
		return fmt.Sprintf("%.1fs", d.Seconds())
	case d < time.Minute:
		return fmt.Sprintf("%.0fs", d.Seconds())
	case d < time.Hour:
		return unit2(int(d.Minutes()), "m", int(d.Seconds())%60, "s")
	case d < 48*time.Hour:
		return unit2(int(d.Hours()), "h", int(d.Minutes())%60, "m")
	}
	return unit2(int(d.Hours())/24, "d", int(d.Hours())%24, "h")
}

// unit2 spells a whole and a part ("12m05s"), the whole alone when the
// part is zero ("24h").
func unit2(whole int, u string, part int, pu string) string {
	if part == 0 {
		return fmt.Sprintf("%d%s", whole, u)
	}
	return fmt.Sprintf("%d%s%02d%s", whole, u, part, pu)
}

// fmtLeft spells the retention clock.
func fmtLeft(r *retention.Risk) string {
	switch {
	case r == nil:
		return "–"
	case r.Left <= 0:
		return "losing"
	}
	return fmtAge(r.Left)
}

func msDuration(ms int64) time.Duration { return time.Duration(ms) * time.Millisecond }
