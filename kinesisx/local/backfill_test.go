package local_test

import (
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kinesis"
	"github.com/aws/aws-sdk-go-v2/service/kinesis/types"

	"github.com/kinspect/kinspect/kinesisx/local"
)

// BackfillMetric merges past minutes into a metric, beside live traffic of
// the current minute; shard-level minutes are taken only for metrics whose
// enhanced monitoring is on; future minutes, minutes past the 3 hours kept
// and unknown streams or shards are refused without adding anything.
func TestBackfillMetric(t *testing.T) {
	now := time.Date(2026, 12, 5, 10, 30, 20, 0, time.UTC)
	srv, url := startServer(t, local.Options{Now: func() time.Time { return now }})
	k := newClient(t, url)
	name, _ := createStream(t, k, 1)
	shard := aws.ToString(listShards(t, k, name)[0].ShardId)
	put(t, k, name, "live")
	minute := now.Truncate(time.Minute)
	past := func(ago int, sum float64) local.Bucket {
		return local.Bucket{Start: minute.Add(-time.Duration(ago)*time.Minute + 17*time.Second), Sum: sum, SampleCount: 2, Min: sum / 4, Max: sum * 3 / 4}
	}
	if err := srv.BackfillMetric(name, "", "IncomingRecords", []local.Bucket{past(2, 100), past(1, 50), past(2, 10)}); err != nil {
		t.Fatal(err)
	}
	got := srv.MetricBuckets(name, "", "IncomingRecords", minute.Add(-time.Hour), minute.Add(time.Minute))
	if len(got) != 3 || !got[0].Start.Equal(minute.Add(-2*time.Minute)) || got[0].Sum != 110 || got[0].SampleCount != 4 ||
		got[0].Min != 2.5 || got[0].Max != 75 || got[1].Sum != 50 || !got[2].Start.Equal(minute) || got[2].Sum != 1 {
		t.Fatalf("stream IncomingRecords %+v, want 110 (two buckets merged) and 50 in the past minutes, the 1 live record now", got)
	}

	for _, c := range []struct {
		what, stream, shard string
		b                   local.Bucket
	}{
		{"shard metric with monitoring off", name, shard, past(1, 5)},
		{"the current minute", name, "", past(0, 5)},
		{"a minute past the 3 hours kept", name, "", past(181, 5)},
		{"no samples", name, "", local.Bucket{Start: minute.Add(-time.Minute)}},
		{"unknown stream", "no-such-stream", "", past(1, 5)},
		{"unknown shard", name, "shardId-000000000009", past(1, 5)},
	} {
		if err := srv.BackfillMetric(c.stream, c.shard, "IncomingBytes", []local.Bucket{past(3, 1), c.b}); err == nil {
			t.Errorf("%s: taken", c.what)
		}
	}
	if got := srv.MetricBuckets(name, "", "IncomingBytes", minute.Add(-4*time.Minute), minute); len(got) != 0 {
		t.Errorf("a refused backfill added %+v", got)
	}

	if _, err := k.EnableEnhancedMonitoring(ctxT(t), &kinesis.EnableEnhancedMonitoringInput{StreamName: aws.String(name), ShardLevelMetrics: []types.MetricsName{types.MetricsNameIncomingBytes}}); err != nil {
		t.Fatal(err)
	}
	if err := srv.BackfillMetric(name, shard, "IncomingBytes", []local.Bucket{past(1, 5)}); err != nil {
		t.Fatalf("shard metric with monitoring on: %v", err)
	}
	if err := srv.BackfillMetric(name, shard, "IncomingRecords", []local.Bucket{past(1, 5)}); err == nil {
		t.Errorf("IncomingRecords of a shard taken while only IncomingBytes is monitored")
	}
	if got := srv.MetricBuckets(name, shard, "IncomingBytes", minute.Add(-time.Hour), minute); len(got) != 1 || got[0].Sum != 5 {
		t.Errorf("shard IncomingBytes %+v, want the 5 backfilled", got)
	}
}
