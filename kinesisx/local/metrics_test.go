package local_test

import (
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kinesis"
	"github.com/aws/aws-sdk-go-v2/service/kinesis/types"

	"github.com/kinspect/kinspect/kinesisx/local"
)

// Shard-level metrics are published only while enhanced monitoring is on
// for them: traffic before EnableEnhancedMonitoring and after
// DisableEnhancedMonitoring counts at stream level only.
func TestShardMetricsOnlyWhileMonitored(t *testing.T) {
	srv, url := startServer(t, local.Options{})
	k := newClient(t, url)
	name, _ := createStream(t, k, 1)
	shard := aws.ToString(listShards(t, k, name)[0].ShardId)
	start := time.Now()
	monitor := func(on bool, metrics ...types.MetricsName) {
		t.Helper()
		var err error
		if on {
			_, err = k.EnableEnhancedMonitoring(ctxT(t), &kinesis.EnableEnhancedMonitoringInput{StreamName: aws.String(name), ShardLevelMetrics: metrics})
		} else {
			_, err = k.DisableEnhancedMonitoring(ctxT(t), &kinesis.DisableEnhancedMonitoringInput{StreamName: aws.String(name), ShardLevelMetrics: metrics})
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	put(t, k, name, "before")
	monitor(true, types.MetricsNameIncomingRecords, types.MetricsNameOutgoingRecords)
	put(t, k, name, "during-1", "during-2")
	readAll(t, k, name, shard)
	monitor(false, types.MetricsNameAll)
	put(t, k, name, "after-1", "after-2", "after-3", "after-4")
	readAll(t, k, name, shard)

	sum := func(shard, metric string) (total float64) {
		for _, b := range srv.MetricBuckets(name, shard, metric, start.Add(-time.Minute), time.Now().Add(time.Minute)) {
			total += b.Sum
		}
		return total
	}
	if got := sum("", "IncomingRecords"); got != 7 {
		t.Errorf("stream IncomingRecords %v, want all 7", got)
	}
	if got := sum(shard, "IncomingRecords"); got != 2 {
		t.Errorf("shard IncomingRecords %v, want the 2 written while monitored", got)
	}
	if got := sum(shard, "OutgoingRecords"); got != 3 {
		t.Errorf("shard OutgoingRecords %v, want the 3 read while monitored", got)
	}
	if got := sum(shard, "IncomingBytes"); got != 0 {
		t.Errorf("shard IncomingBytes %v, never monitored", got)
	}
}
