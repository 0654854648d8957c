package metrics

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/kinspect/kinspect/kinesisx"
)

func f64(v float64) *float64 { return &v }

// render shows a series as "minute:bytes[L] ..." with "-" for no data.
func render(ps []Point, base time.Time) string {
	var b strings.Builder
	for _, p := range ps {
		fmt.Fprintf(&b, "%d:", int(p.Minute.Sub(base)/time.Minute))
		if p.IncomingBytesPerSec == nil {
			b.WriteString("-")
		} else {
			fmt.Fprintf(&b, "%g", *p.IncomingBytesPerSec)
		}
		if p.Live {
			b.WriteString("L")
		}
		b.WriteString(" ")
	}
	return b.String()
}

// inZone moves live points to another location: the same instants.
func inZone(ls []LivePoint) []LivePoint {
	zone := time.FixedZone("UTC+5", 5*3600)
	for i := range ls {
		ls[i].Minute = ls[i].Minute.In(zone)
	}
	return ls
}

func TestNowcast(t *testing.T) {
	base := time.Date(2026, 11, 26, 9, 0, 0, 0, time.UTC)
	at := func(m int) time.Time { return base.Add(time.Duration(m) * time.Minute) }
	cw := func(vals ...*float64) []Point {
		ps := make([]Point, len(vals))
		for i, v := range vals {
			ps[i] = Point{Minute: at(i), IncomingBytesPerSec: v}
		}
		return ps
	}
	live := func(from int, vals ...float64) []LivePoint {
		var ls []LivePoint
		for i, v := range vals {
			ls = append(ls, LivePoint{Minute: at(from + i), IncomingBytesPerSec: v, Covered: time.Minute})
		}
		return ls
	}
	tests := []struct {
		name string
		cw   []Point
		live []LivePoint
		now  time.Time
		lag  time.Duration
		want string
	}{
		{"unpublished minutes filled", cw(f64(1), f64(2), nil, nil), live(1, 9, 8, 7), at(3).Add(30 * time.Second), 2 * time.Minute,
			"0:1 1:2 2:8L 3:7L "},
		{"published empty minute keeps CloudWatch's word", cw(f64(1), nil, nil, nil), live(1, 9, 8, 7), at(3).Add(30 * time.Second), time.Minute,
			"0:1 1:- 2:8L 3:7L "},
		{"CloudWatch data wins over live", cw(f64(1), f64(2), f64(3)), live(0, 9, 9, 9), at(2).Add(10 * time.Second), 3 * time.Minute,
			"0:1 1:2 2:3 "},
		{"live minutes after the series appended", cw(f64(1), nil), live(1, 5, 6, 7, 8), at(3).Add(5 * time.Second), 2 * time.Minute,
			"0:1 1:5L 2:6L 3:7L "},
		{"no CloudWatch at all", nil, live(4, 5, 6), at(5).Add(time.Second), 3 * time.Minute,
			"4:5L 5:6L "},
		{"no live", cw(f64(1), nil), nil, at(1), 3 * time.Minute, "0:1 1:- "},
		{"live minutes in another location", cw(f64(1), nil), inZone(live(1, 5, 6)), at(2).Add(5 * time.Second), 2 * time.Minute,
			"0:1 1:5L 2:6L "},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := render(Nowcast(tt.cw, tt.live, tt.now, tt.lag), base)
			if got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

func TestAccumulator(t *testing.T) {
	base := time.Date(2026, 11, 26, 9, 0, 0, 0, time.UTC)
	start := base.Add(30 * time.Second) // the tail began mid-minute
	rec := func(shard string, at time.Duration, size int) kinesisx.Record {
		return kinesisx.Record{ShardID: shard, ArrivedAt: base.Add(at), PartitionKey: "k", Data: make([]byte, size-1)}
	}
	a := NewAccumulator(start, 10*time.Minute)
	a.Add(kinesisx.Batch{Records: []kinesisx.Record{
		rec("s0", 10*time.Second, 1000), // before start: not counted
		rec("s0", 40*time.Second, 3000),
		rec("s0", 50*time.Second, 3000),
		rec("s1", 50*time.Second, 7),
	}})
	// The SDK's arrival times need not share the clock's location.
	zoned := rec("s1", 55*time.Second, 7)
	zoned.ArrivedAt = zoned.ArrivedAt.In(time.FixedZone("UTC-3", -3*3600))
	a.Add(kinesisx.Batch{Records: []kinesisx.Record{zoned}})
	// A KPL aggregate of three sub-records counts as one record.
	agg := []kinesisx.Record{rec("s0", 70*time.Second, 100), rec("s0", 70*time.Second, 100), rec("s0", 70*time.Second, 100)}
	for i := range agg {
		agg[i].Aggregated, agg[i].SubSequence = true, i
	}
	a.Add(kinesisx.Batch{Records: agg})
	now := base.Add(3*time.Minute + 15*time.Second)
	got := a.Points("s0", now)
	want := []LivePoint{
		{Minute: base, IncomingBytesPerSec: 6000.0 / 30, IncomingRecordsPerSec: 2.0 / 30, Covered: 30 * time.Second},
		{Minute: base.Add(time.Minute), IncomingBytesPerSec: (3*99 + 1) / 60.0, IncomingRecordsPerSec: 1.0 / 60, Covered: time.Minute},
		{Minute: base.Add(2 * time.Minute), Covered: time.Minute},
		{Minute: base.Add(3 * time.Minute), Covered: 15 * time.Second},
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("got  %v\nwant %v", got, want)
	}
	if s1 := a.Points("s1", now); len(s1) != 4 || s1[0].IncomingRecordsPerSec != 2.0/30 {
		t.Errorf("s1 %v", s1)
	}
	if none := a.Points("s0", base.Add(10*time.Second)); none != nil {
		t.Errorf("before start: %v", none)
	}
	// Old minutes are forgotten: keep 2 minutes.
	k := NewAccumulator(base, 2*time.Minute)
	for m := range 6 {
		k.Add(kinesisx.Batch{Records: []kinesisx.Record{rec("s0", time.Duration(m)*time.Minute, 60)}})
	}
	if ps := k.Points("s0", base.Add(5*time.Minute+30*time.Second)); len(ps) != 2 || !ps[0].Minute.Equal(base.Add(4*time.Minute)) || len(k.shards["s0"]) > 2 {
		t.Errorf("kept %v (%d stored)", ps, len(k.shards["s0"]))
	}
}
