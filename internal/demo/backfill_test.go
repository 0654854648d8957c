package demo_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch"
	cwtypes "github.com/aws/aws-sdk-go-v2/service/cloudwatch/types"
	"github.com/aws/aws-sdk-go-v2/service/kinesis"
	"github.com/aws/aws-sdk-go-v2/service/kinesis/types"

	"github.com/kinspect/kinspect/internal/demo"
	"github.com/kinspect/kinspect/internal/testenv"
	"github.com/kinspect/kinspect/kinesisx/local"
	"github.com/kinspect/kinspect/kinesisx/local/localtest"
)

// TestBackfillHour sets the demo up as `kinspect demo` does (limits on,
// CloudWatch two minutes behind) and backfills an hour plus the delay: the
// SDK's CloudWatch client then gets 60 published minutes of IncomingBytes
// for every demo stream, varying from minute to minute; at shard level the
// orders stream's hot shard carries most records and is throttled in the
// burst, and a stream whose monitoring is off gets no shard metrics.
func TestBackfillHour(t *testing.T) {
	now := time.Date(2026, 12, 5, 10, 45, 30, 0, time.UTC)
	const delay = 2 * time.Minute
	srv, url := localtest.Start(t, local.Options{Limits: true, MetricsDelay: delay, Now: func() time.Time { return now }})
	k := testenv.KinesisClient(t, url)
	cw := testenv.CloudWatchClient(t, url)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	streams := demo.Streams()
	if err := demo.Setup(ctx, k, streams); err != nil {
		t.Fatal(err)
	}
	// app-logs with shard metrics off: its shard keeps no history.
	if _, err := k.DisableEnhancedMonitoring(ctx, &kinesis.DisableEnhancedMonitoringInput{StreamName: aws.String("app-logs"), ShardLevelMetrics: []types.MetricsName{types.MetricsNameAll}}); err != nil {
		t.Fatal(err)
	}
	if err := demo.Backfill(ctx, k, srv, streams, now, time.Hour+delay); err != nil {
		t.Fatal(err)
	}

	end := now.Truncate(time.Minute)
	query := func(stream, shard, metric string) []float64 {
		t.Helper()
		dims := []cwtypes.Dimension{{Name: aws.String("StreamName"), Value: aws.String(stream)}}
		if shard != "" {
			dims = append(dims, cwtypes.Dimension{Name: aws.String("ShardId"), Value: aws.String(shard)})
		}
		out, err := cw.GetMetricData(ctx, &cloudwatch.GetMetricDataInput{
			StartTime: aws.Time(end.Add(-2 * time.Hour)), EndTime: aws.Time(end), ScanBy: cwtypes.ScanByTimestampAscending,
			MetricDataQueries: []cwtypes.MetricDataQuery{{Id: aws.String("m"), MetricStat: &cwtypes.MetricStat{
				Metric: &cwtypes.Metric{Namespace: aws.String("AWS/Kinesis"), MetricName: aws.String(metric), Dimensions: dims},
				Period: aws.Int32(60), Stat: aws.String("Sum"),
			}}},
		})
		if err != nil {
			t.Fatalf("GetMetricData %s %s %s: %v", stream, shard, metric, err)
		}
		r := out.MetricDataResults[0]
		if n := len(r.Timestamps); n > 0 && !r.Timestamps[n-1].Equal(end.Add(-delay)) {
			t.Errorf("%s %s %s: newest minute %s, want %s (the last published)", stream, shard, metric, r.Timestamps[n-1], end.Add(-delay))
		}
		return r.Values
	}

	for _, s := range streams {
		v := query(s.Name, "", "IncomingBytes")
		if len(v) < 60 {
			t.Fatalf("%s: %d minutes of IncomingBytes, want an hour at least", s.Name, len(v))
		}
		lo, hi := slices.Min(v), slices.Max(v)
		if lo <= 0 || hi < lo*1.2 {
			t.Errorf("%s: IncomingBytes from %.0f to %.0f, want a profile that varies", s.Name, lo, hi)
		}
	}

	// orders: the hot customer's shard has most records, capped at its
	// 60,000 a minute, and throttles during the burst.
	var hot string
	var hotRecs float64
	shards, err := k.ListShards(ctx, &kinesis.ListShardsInput{StreamName: aws.String("orders")})
	if err != nil {
		t.Fatal(err)
	}
	var total float64
	for _, sh := range shards.Shards {
		id := aws.ToString(sh.ShardId)
		recs := query("orders", id, "IncomingRecords")
		var sum float64
		for _, r := range recs {
			sum += r
			if r > 60000 {
				t.Errorf("orders %s: %.0f records in a minute, over the shard's limit", id, r)
			}
		}
		total += sum
		if sum > hotRecs {
			hot, hotRecs = id, sum
		}
	}
	if hotRecs < total/2 {
		t.Errorf("hot shard %s has %.0f of %.0f records, want most", hot, hotRecs, total)
	}
	if thr := query("orders", hot, "WriteProvisionedThroughputExceeded"); len(thr) < 4 {
		t.Errorf("hot shard %s throttled in %d minutes, want at least the 4 of the burst", hot, len(thr))
	}
	if v := query("app-logs", "shardId-000000000000", "IncomingBytes"); len(v) != 0 {
		t.Errorf("app-logs shard with monitoring off: %d backfilled minutes, want none", len(v))
	}
	if v := query("clickstream-kpl", "shardId-000000000001", "IncomingBytes"); len(v) < 60 {
		t.Errorf("clickstream-kpl shard 1: %d minutes, want an hour at least", len(v))
	}
}
