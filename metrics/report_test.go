package metrics

import (
	"context"
	"math"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch/types"
)

// dataCW answers from a table: id → minute offset from StartTime → value.
func dataCW(data map[string]map[int]float64) *fakeCW {
	f := &fakeCW{}
	f.fn = func(_ context.Context, in *cloudwatch.GetMetricDataInput) (*cloudwatch.GetMetricDataOutput, error) {
		out := &cloudwatch.GetMetricDataOutput{}
		start := aws.ToTime(in.StartTime)
		for _, q := range in.MetricDataQueries {
			r := types.MetricDataResult{Id: q.Id, StatusCode: types.StatusCodeComplete}
			for m := 0; m < 60; m++ {
				if v, ok := data[aws.ToString(q.Id)][m]; ok {
					r.Timestamps = append(r.Timestamps, start.Add(time.Duration(m)*time.Minute))
					r.Values = append(r.Values, v)
				}
			}
			out.MetricDataResults = append(out.MetricDataResults, r)
		}
		return out, nil
	}
	return f
}

func val(p *float64) float64 {
	if p == nil {
		return math.NaN()
	}
	return *p
}

func TestShardReport(t *testing.T) {
	// Window of 16 minutes (offsets 0..15); offset 15 is now's minute.
	f := dataCW(map[string]map[int]float64{
		"s0_inb":  {3: 60 << 20, 13: 30 << 20}, // 30 MiB in minute 13: 0.5 MiB/s
		"s0_inr":  {13: 30000},                 // 500 records/s
		"s0_outb": {12: 60 << 20},              // newer minute wins: not shown
		"s0_age":  {13: 1500},
		"s0_wpt":  {13: 0}, // zero, not "no data"
		"s1_inb":  {2: 0},
		"st_inb":  {13: 40 << 20},
		"st_inr":  {13: 36000},
		"st_prl":  {13: 12.5},
		"st_ptr":  {13: 4},
	})
	r, err := newClient(f).Stream(context.Background(), "orders", shardList(3), 15*time.Minute, now0, ShardLevel([]string{"ALL"}))
	if err != nil {
		t.Fatal(err)
	}
	if r.Stream != "orders" || r.PeriodSeconds != 60 || !r.EnhancedMonitoring || len(r.Shards) != 3 {
		t.Fatalf("report %+v", r)
	}
	minute13 := r.Start.Add(13 * time.Minute)
	s0 := r.Shards[0]
	checks := []struct {
		name      string
		got, want float64
	}{
		{"in B/s", val(s0.IncomingBytesPerSec), 512 << 10},
		{"in util", val(s0.IncomingBytesUtilisation), 0.5},
		{"records/s", val(s0.IncomingRecordsPerSec), 500},
		{"records util", val(s0.IncomingRecordsUtilisation), 0.5},
		{"iterator age", val(s0.IteratorAgeMs), 1500},
		{"write throttled", val(s0.WriteThrottled), 0},
		{"stream in util (3 shards)", val(r.StreamLevel.IncomingBytesUtilisation), (40.0 / 60) / 3},
		{"stream records util", val(r.StreamLevel.IncomingRecordsUtilisation), 0.2},
		{"put latency", val(r.StreamLevel.PutRecordsLatencyMs), 12.5},
		{"put throttled", val(r.StreamLevel.PutRecordsThrottled), 4},
	}
	for _, c := range checks {
		if math.Abs(c.got-c.want) > 1e-9 {
			t.Errorf("%s = %v, want %v", c.name, c.got, c.want)
		}
	}
	if !s0.Minute.Equal(minute13) || !r.StreamLevel.Minute.Equal(minute13) {
		t.Errorf("minute %v / %v, want %v", s0.Minute, r.StreamLevel.Minute, minute13)
	}
	for name, p := range map[string]*float64{"out": s0.OutgoingBytesPerSec, "out util": s0.OutgoingBytesUtilisation, "read throttled": s0.ReadThrottled, "stream age": r.StreamLevel.IteratorAgeMs} {
		if p != nil {
			t.Errorf("%s = %v, want nil (no data in the newest minute)", name, *p)
		}
	}
	if len(s0.Series) != 16 || s0.Series[3].IncomingBytesPerSec == nil || s0.Series[4].IncomingBytesPerSec != nil {
		t.Errorf("series: %d points", len(s0.Series))
	}
	s1 := r.Shards[1]
	if s1.IncomingBytesPerSec == nil || *s1.IncomingBytesPerSec != 0 || s1.IncomingBytesUtilisation == nil || *s1.IncomingBytesUtilisation != 0 {
		t.Errorf("shard 1: zero traffic must be 0, not nil")
	}
	if s2 := r.Shards[2]; !s2.Minute.IsZero() || s2.IncomingBytesPerSec != nil || s2.IncomingBytesUtilisation != nil {
		t.Errorf("shard 2 has no data: %+v", s2.Point)
	}
}

func TestEnhancedMonitoringFlag(t *testing.T) {
	withShardData := dataCW(map[string]map[int]float64{"s0_inb": {1: 10}})
	noData := dataCW(nil)
	tests := []struct {
		name string
		f    *fakeCW
		opts []StreamOption
		want bool
	}{
		{"told on", noData, []StreamOption{ShardLevel([]string{"IncomingBytes"})}, true},
		{"told off", withShardData, []StreamOption{ShardLevel(nil)}, false},
		{"unknown, shard data came back", withShardData, nil, true},
		{"unknown, nothing came back", noData, nil, false},
	}
	for _, tt := range tests {
		r, err := newClient(tt.f).Stream(context.Background(), "s", shardList(1), 5*time.Minute, now0, tt.opts...)
		if err != nil {
			t.Fatal(err)
		}
		if r.EnhancedMonitoring != tt.want {
			t.Errorf("%s: EnhancedMonitoring %v", tt.name, r.EnhancedMonitoring)
		}
	}
}

func TestConsumerReport(t *testing.T) {
	// Offset 5 is now's minute, still open: its figure is not the consumer's.
	f := dataCW(map[string]map[int]float64{"c1_evb": {3: 600}, "c1_evm": {3: 250, 4: 20, 5: 99}})
	r, err := newClient(f).Stream(context.Background(), "s", nil, 5*time.Minute, now0, Consumers("a", "b"))
	if err != nil {
		t.Fatal(err)
	}
	cs := r.StreamLevel.Consumers
	if len(cs) != 2 || cs[0].Name != "a" || !cs[0].Minute.IsZero() || cs[1].Name != "b" {
		t.Fatalf("consumers %+v", cs)
	}
	if b := cs[1]; !b.Minute.Equal(r.Start.Add(4*time.Minute)) || b.BytesPerSec != nil || val(b.MillisBehindLatestMs) != 20 {
		t.Errorf("consumer b %+v", b)
	}
}

// TestOpenMinuteIsNotTheCurrentRate: CloudWatch may already hold a partial
// Sum for the minute now is in; the headline figures (shard, stream,
// consumer) come from the last complete minute, while the series keeps the
// open minute for the trend.
func TestOpenMinuteIsNotTheCurrentRate(t *testing.T) {
	// Window of 16 minutes (offsets 0..15); offset 15 is now's minute.
	f := dataCW(map[string]map[int]float64{
		"s0_inb": {14: 60 << 20, 15: 6 << 20}, // 1 MiB/s, then a tenth of it so far
		"st_inb": {14: 60 << 20, 15: 6 << 20},
	})
	r, err := newClient(f).Stream(context.Background(), "orders", shardList(1), 15*time.Minute, now0, ShardLevel([]string{"ALL"}))
	if err != nil {
		t.Fatal(err)
	}
	minute14 := r.Start.Add(14 * time.Minute)
	for name, p := range map[string]Point{"shard": r.Shards[0].Point, "stream": r.StreamLevel.Point} {
		if !p.Minute.Equal(minute14) || val(p.IncomingBytesPerSec) != 1<<20 {
			t.Errorf("%s: minute %s at %v B/s, want the complete minute %s at 1 MiB/s", name, p.Minute.Format("15:04"), val(p.IncomingBytesPerSec), minute14.Format("15:04"))
		}
	}
	if u := val(r.Shards[0].IncomingBytesUtilisation); u != 1 {
		t.Errorf("utilisation %v, want 1 (of the complete minute)", u)
	}
	if s := r.Shards[0].Series; len(s) != 16 || val(s[15].IncomingBytesPerSec) != float64(6<<20)/60 {
		t.Errorf("series keeps the open minute: %d points", len(s))
	}
}
