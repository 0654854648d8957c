package session

import (
	"context"
	"math"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kinesis"
	ktypes "github.com/aws/aws-sdk-go-v2/service/kinesis/types"

	"github.com/kinspect/kinspect/internal/testenv"
	"github.com/kinspect/kinspect/kinesisx"
	"github.com/kinspect/kinspect/kinesisx/local"
	"github.com/kinspect/kinspect/kinesisx/local/localtest"
	"github.com/kinspect/kinspect/metrics"
)

func f(v float64) *float64 { return &v }

func TestFromReport(t *testing.T) {
	now := time.Date(2026, 11, 26, 12, 0, 30, 0, time.UTC)
	minute := func(ago int) time.Time { return now.Truncate(time.Minute).Add(-time.Duration(ago) * time.Minute) }
	series := []metrics.Point{
		{Minute: minute(5), IncomingBytesPerSec: f(100)},
		{Minute: minute(4)}, // a gap CloudWatch has published: no data
		{Minute: minute(3), IncomingBytesPerSec: f(300), IteratorAgeMs: f(1500), WriteThrottled: f(2)},
		{Minute: minute(2)}, // not published yet
		{Minute: minute(1), IncomingBytesPerSec: f(50), Live: true}, // filled from a tail
		{Minute: minute(0)}, // the current minute
	}
	r := metrics.Report{
		EnhancedMonitoring: true,
		StreamLevel:        metrics.StreamReport{Point: series[2], Series: series},
		Shards: []metrics.ShardReport{
			{ID: "shardId-000000000000", Point: metrics.Point{Minute: minute(3), IncomingBytesPerSec: f(300), OutgoingBytesPerSec: f(600)}, Series: series[:3]},
			{ID: "shardId-000000000001"}, // no data point at all
		},
	}
	got := FromReport(r, now, 3*time.Minute)
	if got.InBytes != 300 || got.IteratorAgeMs != 1500 || got.WriteThrottled != 2 || !got.Minute.Equal(minute(3)) || !got.Enhanced {
		t.Errorf("stream figures %+v", got)
	}
	if got.Pending != 3 || got.Live != 1 {
		t.Errorf("pending %d live %d, want 3 minutes not published, 1 of them live", got.Pending, got.Live)
	}
	if len(got.Trend) != 6 || got.Trend[0] != 100 || !math.IsNaN(got.Trend[1]) || got.Trend[4] != 50 {
		t.Errorf("trend %v", got.Trend)
	}
	if s, ok := got.Shards["shardId-000000000000"]; !ok || s.OutBytes != 600 || len(s.Trend) != 3 {
		t.Errorf("shard 0 %+v", s)
	}
	if _, ok := got.Shards["shardId-000000000001"]; ok {
		t.Error("a shard without data should be left out, so the screen shows –")
	}
}

// TestAdapterOnTheBuiltInEndpoint reads real GetMetricData answers from
// the built-in endpoint with its CloudWatch mounted.
func TestAdapterOnTheBuiltInEndpoint(t *testing.T) {
	clock := time.Now().Truncate(time.Minute).Add(20 * time.Second)
	sdk, url, stream := startStream(t, &clock, 2, true)
	ctx := context.Background()
	for range 6 {
		if _, err := sdk.PutRecord(ctx, &kinesis.PutRecordInput{StreamName: aws.String(stream), PartitionKey: aws.String("k"),
			ExplicitHashKey: aws.String("0"), Data: make([]byte, 599)}); err != nil {
			t.Fatal(err)
		}
	}
	// Asked once the minute of the puts has ended.
	later := func() time.Time { return clock.Add(time.Minute) }
	a := NewCloudWatch(kinesisx.New(sdk), metrics.New(testenv.CloudWatchClient(t, url)), nil, later)
	m, err := a.StreamMetrics(ctx, stream)
	if err != nil {
		t.Fatal(err)
	}
	if got := m.InBytes * 60; got != 6*600 || !m.Enhanced {
		t.Errorf("stream in %v bytes in the minute (want 3600), enhanced %v", got, m.Enhanced)
	}
	if s := m.Shards["shardId-000000000000"]; s.InBytes*60 != 6*600 {
		t.Errorf("shard 0: %+v", s)
	}
	st, err := kinesisx.New(sdk).DescribeStream(ctx, stream)
	if err != nil {
		t.Fatal(err)
	}
	l, err := a.StreamLoad(ctx, st)
	if err != nil || !l.OK || l.BytesPerSec*60 != 6*600 {
		t.Errorf("StreamLoad = %+v %v", l, err)
	}
	// The hottest shard is shard 0, with all the traffic: twice the
	// stream's average over two shards.
	if l.HotShard != "shardId-000000000000" || l.HotBytes != 60.0/(1<<20) || l.HotRecords != 0.1/1000 {
		t.Errorf("hottest shard %+v, want shard 0 at 60 B/s and 0.1 records/s", l)
	}
	st.ShardLevelMetrics = nil // as if off: only the stream's average per open shard
	if l, err = a.StreamLoad(ctx, st); err != nil || l.HotShard != "" || l.HotBytes != 30.0/(1<<20) {
		t.Errorf("without shard-level metrics: %+v %v, want the average of 2 shards", l, err)
	}
}

// TestOpenMinuteIsNotTheStreamRate: traffic in a complete minute, then a
// trickle in the open one. The stream screen's figures are the complete
// minute's, labelled with it; the open minute is pending in the trends,
// not a drop.
func TestOpenMinuteIsNotTheStreamRate(t *testing.T) {
	minute := time.Now().Truncate(time.Minute).Add(-time.Minute)
	clock := minute.Add(20 * time.Second)
	now := func() time.Time { return clock }
	sdk, url, stream := startStream(t, &clock, 1, true)
	ctx := context.Background()
	put := func(n int) {
		for range n {
			if _, err := sdk.PutRecord(ctx, &kinesis.PutRecordInput{StreamName: aws.String(stream), PartitionKey: aws.String("k"),
				Data: make([]byte, 599)}); err != nil {
				t.Fatal(err)
			}
		}
	}
	put(6)                                          // 3600 bytes in the complete minute: 60 B/s
	clock = minute.Add(time.Minute + 5*time.Second) // the next minute, 5 s in
	put(1)
	clock = clock.Add(5 * time.Second)
	a := NewCloudWatch(kinesisx.New(sdk), metrics.New(testenv.CloudWatchClient(t, url)), nil, now)
	m, err := a.StreamMetrics(ctx, stream)
	if err != nil {
		t.Fatal(err)
	}
	if m.InBytes != 60 || !m.Minute.Equal(minute) {
		t.Errorf("stream %v B/s of %s, want 60 B/s of the complete minute %s", m.InBytes, m.Minute.Format("15:04"), minute.Format("15:04"))
	}
	s := m.Shards["shardId-000000000000"]
	if s.InBytes != 60 || !s.Minute.Equal(minute) {
		t.Errorf("shard %v B/s of %s, want 60 B/s of %s", s.InBytes, s.Minute.Format("15:04"), minute.Format("15:04"))
	}
	for name, tr := range map[string][]float64{"stream": m.Trend, "shard": s.Trend} {
		if len(tr) == 0 || !math.IsNaN(tr[len(tr)-1]) {
			t.Errorf("%s trend ends %v, want the open minute drawn as pending (NaN)", name, tr[max(len(tr)-3, 0):])
		}
	}
	if m.Pending < 1 || s.Pending < 1 {
		t.Errorf("pending stream %d shard %d, want the open minute counted", m.Pending, s.Pending)
	}
}

// TestStreamReportOnTheBuiltInEndpoint: the :metrics screen's source,
// against real GetMetricData answers, before and after shard-level
// metrics are turned on, with the live fill of a tail.
func TestStreamReportOnTheBuiltInEndpoint(t *testing.T) {
	clock := time.Now().Truncate(time.Minute).Add(20 * time.Second)
	sdk, url, stream := startStream(t, &clock, 2, false)
	ctx := context.Background()
	put3 := func() {
		for range 3 {
			if _, err := sdk.PutRecord(ctx, &kinesis.PutRecordInput{StreamName: aws.String(stream), PartitionKey: aws.String("k"),
				ExplicitHashKey: aws.String("0"), Data: make([]byte, 999)}); err != nil {
				t.Fatal(err)
			}
		}
	}
	put3()
	// Asked once the minute of the puts has ended.
	live := NewLive(func() time.Time { return clock.Add(time.Minute) })
	a := NewCloudWatch(kinesisx.New(sdk), metrics.New(testenv.CloudWatchClient(t, url)), live, func() time.Time { return clock.Add(time.Minute) })

	d, err := a.StreamReport(ctx, stream, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	r := d.Report
	if r.EnhancedMonitoring || len(d.Open) != 2 || len(r.Shards) != 2 || r.Shards[0].IncomingBytesPerSec != nil {
		t.Errorf("metrics off: enhanced %v, open %v, shard 0 %+v", r.EnhancedMonitoring, d.Open, r.Shards[0].Point)
	}
	if v := r.StreamLevel.IncomingBytesPerSec; v == nil || *v*60 != 3*1000 {
		t.Errorf("stream totals are free and always there: %v", v)
	}
	if n := len(r.StreamLevel.Series); n != 61 {
		t.Errorf("an hour of minutes: %d points", n)
	}
	if !d.Now.Equal(clock.Add(time.Minute)) || d.Lag != metrics.DefaultLag {
		t.Errorf("clock %v lag %v", d.Now, d.Lag)
	}

	if _, err := sdk.EnableEnhancedMonitoring(ctx, &kinesis.EnableEnhancedMonitoringInput{
		StreamName: aws.String(stream), ShardLevelMetrics: []ktypes.MetricsName{ktypes.MetricsNameAll},
	}); err != nil {
		t.Fatal(err)
	}
	// Shard-level metrics count only what arrives while they are on, as
	// AWS's do: the same three records again.
	put3()
	// A tail of the whole stream feeds the live fill.
	live.Observe(stream, kinesisx.Batch{Shards: map[string]kinesisx.ShardProgress{"shardId-000000000000": {}, "shardId-000000000001": {}}})
	d, err = a.StreamReport(ctx, stream, 15*time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	r = d.Report
	if !r.EnhancedMonitoring || r.Shards[0].IncomingBytesPerSec == nil || *r.Shards[0].IncomingBytesPerSec*60 != 3*1000 {
		t.Errorf("metrics on: shard 0 %+v", r.Shards[0].Point)
	}
	if u := r.Shards[0].IncomingBytesUtilisation; u == nil || *u != 50.0/(1<<20) {
		t.Errorf("utilisation %v", u)
	}
	if d.LiveAt.IsZero() {
		t.Error("the tail's batch should show as the live fill's time")
	}
}

// startStream starts the built-in endpoint (CloudWatch mounted) on the
// clock *at and creates a stream of n shards, with every shard-level
// metric on when monitoring says so.
func startStream(t *testing.T, at *time.Time, n int, monitoring bool) (sdk *kinesis.Client, url, stream string) {
	t.Helper()
	_, url = localtest.Start(t, local.Options{Now: func() time.Time { return *at }})
	sdk = testenv.KinesisClient(t, url)
	stream = testenv.StreamName(t)
	testenv.CreateStream(t, sdk, stream, n)
	if monitoring {
		if _, err := sdk.EnableEnhancedMonitoring(context.Background(), &kinesis.EnableEnhancedMonitoringInput{
			StreamName: aws.String(stream), ShardLevelMetrics: []ktypes.MetricsName{ktypes.MetricsNameAll},
		}); err != nil {
			t.Fatal(err)
		}
	}
	return sdk, url, stream
}
