package session

import (
	"context"
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

// TestStreamReportOnTheBuiltInEndpoint: the :metrics screen's source,
// against real GetMetricData answers, before and after shard-level
// metrics are turned on, with the live fill of a tail.
func TestStreamReportOnTheBuiltInEndpoint(t *testing.T) {
	clock := time.Now().Truncate(time.Minute).Add(20 * time.Second)
	now := func() time.Time { return clock }
	_, url := localtest.Start(t, local.Options{Now: now})
	sdk := testenv.KinesisClient(t, url)
	stream := testenv.StreamName(t)
	testenv.CreateStream(t, sdk, stream, 2)
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
