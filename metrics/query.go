package metrics

import (
	"fmt"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch/types"
)

// API limits of GetMetricData.
const (
	// MaxQueriesPerCall is the most MetricDataQuery a call may hold.
	MaxQueriesPerCall = 500
	// MaxPointsPerCall is the most data points a call may return.
	MaxPointsPerCall = 100800
	// PeriodSeconds is the period of every query: one minute.
	PeriodSeconds = 60
	namespace     = "AWS/Kinesis"
)

// spec is one metric a report reads: its id suffix, CloudWatch name and
// statistic (Sum for counts that become rates, Maximum for ages, Average
// for latencies).
type spec struct {
	kind, name, stat string
}

// Metric kinds (id suffixes).
const (
	kInBytes     = "inb"
	kInRecords   = "inr"
	kOutBytes    = "outb"
	kOutRecords  = "outr"
	kAge         = "age"
	kWriteThrot  = "wpt"
	kReadThrot   = "rpt"
	kGetLatency  = "grl"
	kPutThrot    = "ptr"
	kPutFailed   = "pfr"
	kPutLatency  = "prl"
	kEventBytes  = "evb"
	kEventRecs   = "evr"
	kEventBehind = "evm"
)

// shardSpecs are the shard-level metrics (dimensions StreamName, ShardId);
// they exist only where enhanced monitoring turned them on.
func shardSpecs() []spec {
	return []spec{
		{kInBytes, "IncomingBytes", "Sum"},
		{kInRecords, "IncomingRecords", "Sum"},
		{kOutBytes, "OutgoingBytes", "Sum"},
		{kOutRecords, "OutgoingRecords", "Sum"},
		{kAge, "IteratorAgeMilliseconds", "Maximum"},
		{kWriteThrot, "WriteProvisionedThroughputExceeded", "Sum"},
		{kReadThrot, "ReadProvisionedThroughputExceeded", "Sum"},
	}
}

// streamSpecs are the stream-level metrics (dimension StreamName), always
// on. GetRecords.* count polling reads only.
func streamSpecs() []spec {
	return []spec{
		{kInBytes, "IncomingBytes", "Sum"},
		{kInRecords, "IncomingRecords", "Sum"},
		{kOutBytes, "GetRecords.Bytes", "Sum"},
		{kOutRecords, "GetRecords.Records", "Sum"},
		{kAge, "GetRecords.IteratorAgeMilliseconds", "Maximum"},
		{kGetLatency, "GetRecords.Latency", "Average"},
		{kWriteThrot, "WriteProvisionedThroughputExceeded", "Sum"},
		{kReadThrot, "ReadProvisionedThroughputExceeded", "Sum"},
		{kPutThrot, "PutRecords.ThrottledRecords", "Sum"},
		{kPutFailed, "PutRecords.FailedRecords", "Sum"},
		{kPutLatency, "PutRecords.Latency", "Average"},
	}
}

// consumerSpecs are an EFO consumer's metrics (StreamName, ConsumerName).
func consumerSpecs() []spec {
	return []spec{
		{kEventBytes, "SubscribeToShardEvent.Bytes", "Sum"},
		{kEventRecs, "SubscribeToShardEvent.Records", "Sum"},
		{kEventBehind, "SubscribeToShardEvent.MillisBehindLatest", "Maximum"},
	}
}

// plan is the full, ordered list of queries for one report.
type plan struct {
	stream     string
	start, end time.Time // [start, end), minute-aligned
	minutes    int
	queries    []types.MetricDataQuery
}

// Query ids: "st_<kind>" for the stream, "s<i>_<kind>" for shard i of the
// caller's list, "c<i>_<kind>" for consumer i. They start with a lowercase
// letter and hold only [a-zA-Z0-9_], as GetMetricData requires.
func streamID(kind string) string          { return "st_" + kind }
func shardID(i int, kind string) string    { return fmt.Sprintf("s%d_%s", i, kind) }
func consumerID(i int, kind string) string { return fmt.Sprintf("c%d_%s", i, kind) }

// buildPlan lists the queries in a fixed order: stream, consumers, then
// shard by shard. shardMetrics nil means every shard-level metric.
func buildPlan(stream string, shardIDs []string, shardMetrics []string, consumers []string, since time.Duration, now time.Time) plan {
	end := now.Truncate(time.Minute).Add(time.Minute) // the current minute is included
	back := max(time.Minute, since.Truncate(time.Minute))
	start := end.Add(-back - time.Minute)
	p := plan{stream: stream, start: start, end: end, minutes: int(end.Sub(start) / time.Minute)}
	dim := func(name, value string) types.Dimension {
		return types.Dimension{Name: aws.String(name), Value: aws.String(value)}
	}
	add := func(id string, s spec, dims ...types.Dimension) {
		p.queries = append(p.queries, types.MetricDataQuery{
			Id:         aws.String(id),
			ReturnData: aws.Bool(true),
			MetricStat: &types.MetricStat{
				Metric: &types.Metric{Namespace: aws.String(namespace), MetricName: aws.String(s.name), Dimensions: dims},
				Period: aws.Int32(PeriodSeconds),
				Stat:   aws.String(s.stat),
			},
		})
	}
	for _, s := range streamSpecs() {
		add(streamID(s.kind), s, dim("StreamName", stream))
	}
	for i, name := range consumers {
		for _, s := range consumerSpecs() {
			add(consumerID(i, s.kind), s, dim("StreamName", stream), dim("ConsumerName", name))
		}
	}
	enabled := enabledShardSpecs(shardMetrics)
	for i, id := range shardIDs {
		for _, s := range enabled {
			add(shardID(i, s.kind), s, dim("StreamName", stream), dim("ShardId", id))
		}
	}
	return p
}

// enabledShardSpecs keeps the shard-level metrics enhanced monitoring has
// on; nil means all of them (state unknown), empty none.
func enabledShardSpecs(on []string) []spec {
	all := shardSpecs()
	if on == nil {
		return all
	}
	var out []spec
	for _, s := range all {
		for _, m := range on {
			if strings.EqualFold(m, s.name) || strings.EqualFold(m, "ALL") {
				out = append(out, s)
				break
			}
		}
	}
	return out
}

// batches splits the queries into calls: at most 500 queries, and few
// enough that every point of the window fits in one page.
func (p plan) batches() [][]types.MetricDataQuery {
	per := max(1, min(MaxQueriesPerCall, MaxPointsPerCall/max(1, p.minutes)))
	var out [][]types.MetricDataQuery
	for i := 0; i < len(p.queries); i += per {
		out = append(out, p.queries[i:min(i+per, len(p.queries))])
	}
	return out
}
