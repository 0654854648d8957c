package local_test

import (
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/ratelimit"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/aws-sdk-go-v2/service/kinesis"
	"github.com/aws/aws-sdk-go-v2/service/kinesis/types"

	"github.com/kinspect/kinspect/kinesisx/hashkey"
	"github.com/kinspect/kinspect/kinesisx/local"
)

// fakeClock is a settable clock for local.Options.Now.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func newFakeClock() *fakeClock { return &fakeClock{t: time.Now()} }

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

func kib(n int) []byte { return []byte(strings.Repeat("x", n*1024)) }

// TestLimitsWrite runs on a clock that moves only when the test moves it, so
// the budgets are exact: a second's worth of writes lands, the rest of the
// burst is throttled, and a refill of one second admits one more second's
// worth.
func TestLimitsWrite(t *testing.T) {
	clock := newFakeClock()
	k := newClient(t, startLocal(t, local.Options{Limits: true, Now: clock.Now}), noRetries)
	name, _ := createStream(t, k, 1)
	ctx := ctxT(t)
	cases := []struct {
		name    string
		records int
		size    int
		want    int // records a full budget admits
	}{
		// A record of 2 KiB and the key "hot" counts 2,051 bytes: the bytes
		// budget admits 1 MiB / 2,051 = 511 of them, before the records one.
		{"bytes over 1 MiB/s", 3 * 500, 2048, (1 << 20) / (2048 + 3)},
		{"records over 1000/s", 3 * 500, 10, 1000},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			clock.Advance(1100 * time.Millisecond) // the budget refills
			ok, throttled := 0, 0
			for sent := 0; sent < tc.records; sent += 500 {
				entries := make([]types.PutRecordsRequestEntry, 500)
				for i := range entries {
					entries[i] = types.PutRecordsRequestEntry{PartitionKey: aws.String("hot"), Data: []byte(strings.Repeat("x", tc.size))}
				}
				out, err := k.PutRecords(ctx, &kinesis.PutRecordsInput{StreamName: aws.String(name), Records: entries})
				if err != nil {
					t.Fatalf("PutRecords: %v", err)
				}
				for _, r := range out.Records {
					switch aws.ToString(r.ErrorCode) {
					case "":
						ok++
					case "ProvisionedThroughputExceededException":
						throttled++
					default:
						t.Fatalf("unexpected error code %s", aws.ToString(r.ErrorCode))
					}
				}
			}
			if ok != tc.want || throttled != tc.records-tc.want {
				t.Errorf("ok %d, throttled %d; want %d and %d", ok, throttled, tc.want, tc.records-tc.want)
			}
		})
	}
	clock.Advance(1100 * time.Millisecond)
	if _, err := k.PutRecord(ctx, &kinesis.PutRecordInput{StreamName: aws.String(name), PartitionKey: aws.String("hot"), Data: kib(1000)}); err != nil {
		t.Fatalf("a 1000 KiB record within the budget: %v", err)
	}
	_, err := k.PutRecord(ctx, &kinesis.PutRecordInput{StreamName: aws.String(name), PartitionKey: aws.String("hot"), Data: kib(1000)})
	wantCode(t, err, "ProvisionedThroughputExceededException")
	clock.Advance(time.Second)
	if _, err := k.PutRecord(ctx, &kinesis.PutRecordInput{StreamName: aws.String(name), PartitionKey: aws.String("hot"), Data: kib(1000)}); err != nil {
		t.Fatalf("a 1000 KiB record after a second's refill: %v", err)
	}
}

func TestLimitsRead(t *testing.T) {
	clock := newFakeClock() // stands still: the 5 calls/s budget does not refill
	srv, url := startServer(t, local.Options{Limits: true, Now: clock.Now})
	k := newClient(t, url, noRetries)
	name, _ := createStream(t, k, 1)
	ctx := ctxT(t)
	// Shard-level metrics are recorded only while enhanced monitoring is on.
	if _, err := k.EnableEnhancedMonitoring(ctx, &kinesis.EnableEnhancedMonitoringInput{StreamName: aws.String(name), ShardLevelMetrics: []types.MetricsName{types.MetricsNameReadProvisionedThroughputExceeded}}); err != nil {
		t.Fatalf("EnableEnhancedMonitoring: %v", err)
	}
	it, err := k.GetShardIterator(ctx, &kinesis.GetShardIteratorInput{StreamName: aws.String(name), ShardId: aws.String("shardId-000000000000"), ShardIteratorType: types.ShardIteratorTypeLatest})
	if err != nil {
		t.Fatalf("GetShardIterator: %v", err)
	}
	start := clock.Now()
	var codes []string
	for i := 0; i < 6; i++ {
		_, err := k.GetRecords(ctx, &kinesis.GetRecordsInput{ShardIterator: it.ShardIterator})
		codes = append(codes, errCode(err))
	}
	if strings.Join(codes[:5], "") != "" || codes[5] != "ProvisionedThroughputExceededException" {
		t.Errorf("codes %q: want 5 successes then a throttle", codes)
	}
	var throttled float64
	for _, b := range srv.MetricBuckets(name, "shardId-000000000000", "ReadProvisionedThroughputExceeded", start.Add(-time.Minute), start.Add(time.Minute)) {
		throttled += b.Sum
	}
	if throttled != 1 {
		t.Errorf("ReadProvisionedThroughputExceeded sum %v, want 1", throttled)
	}
}

func TestFaultsSeeded(t *testing.T) {
	faults, err := local.ParseFaults("throttle=0.2,internal=0.2,reset=0.1,seed=7")
	if err != nil {
		t.Fatal(err)
	}
	outcomes := func() string {
		k := newClient(t, startLocal(t, local.Options{Faults: faults}), noRetries)
		name, _ := createStream(t, k, 1) // control plane: never faulted
		var b strings.Builder
		for i := 0; i < 100; i++ {
			_, err := k.PutRecord(ctxT(t), &kinesis.PutRecordInput{StreamName: aws.String(name), PartitionKey: aws.String("k"), Data: []byte("x")})
			switch c := errCode(err); {
			case err == nil:
				b.WriteByte('.')
			case c == "ProvisionedThroughputExceededException":
				b.WriteByte('T')
			case c == "InternalFailure":
				b.WriteByte('I')
			case c == "":
				b.WriteByte('R') // connection dropped
			default:
				t.Fatalf("unexpected %v", err)
			}
		}
		return b.String()
	}
	first, second := outcomes(), outcomes()
	if first != second {
		t.Errorf("same seed, different faults:\n%s\n%s", first, second)
	}
	for _, c := range []string{".", "T", "I", "R"} {
		if n := strings.Count(first, c); n < 3 {
			t.Errorf("outcome %q seen %d times in %s", c, n, first)
		}
	}
	// With the SDK's retries every record gets through, and reads survive.
	k := newClient(t, startLocal(t, local.Options{Faults: faults}), func(o *kinesis.Options) {
		o.Retryer = retry.NewStandard(func(so *retry.StandardOptions) {
			so.MaxAttempts = 20
			so.MaxBackoff = 20 * time.Millisecond
			so.RateLimiter = ratelimit.None
		})
	})
	name, _ := createStream(t, k, 1)
	for i := 0; i < 30; i++ {
		if _, err := k.PutRecord(ctxT(t), &kinesis.PutRecordInput{StreamName: aws.String(name), PartitionKey: aws.String("k"), Data: []byte(fmt.Sprint(i))}); err != nil {
			t.Fatalf("PutRecord with retries: %v", err)
		}
	}
}

func TestMetricBuckets(t *testing.T) {
	srv, url := startServer(t, local.Options{})
	k := newClient(t, url)
	name, _ := createStream(t, k, 2)
	start := time.Now()
	put(t, k, name, "aaaa", "bb")
	for _, s := range listShards(t, k, name) {
		readAll(t, k, name, aws.ToString(s.ShardId))
	}
	from, to := start.Add(-time.Minute), time.Now().Add(time.Minute)
	sum := func(shard, metric string) (total float64, maxv float64) {
		for _, b := range srv.MetricBuckets(name, shard, metric, from, to) {
			total += b.Sum
			maxv = max(maxv, b.Max)
		}
		return total, maxv
	}
	if n, _ := sum("", "IncomingRecords"); n != 2 {
		t.Errorf("IncomingRecords %v, want 2", n)
	}
	if n, _ := sum("", "IncomingBytes"); n != 8 { // data + key, as AWS counts
		t.Errorf("IncomingBytes %v, want 8", n)
	}
	if n, _ := sum("", "GetRecords.Records"); n != 2 {
		t.Errorf("GetRecords.Records %v, want 2", n)
	}
	owner := ownerOf(t, listShards(t, k, name), hashkey.FromPartitionKey("k"))
	if n, _ := sum(owner, "OutgoingRecords"); n != 0 {
		t.Errorf("shard OutgoingRecords %v with enhanced monitoring off, want 0", n)
	}
	if n, _ := sum("", "PutRecord.Success"); n != 2 {
		t.Errorf("PutRecord.Success %v, want 2", n)
	}
	if got := srv.MetricBuckets(name, "", "IncomingRecords", to, to.Add(time.Hour)); len(got) != 0 {
		t.Errorf("buckets outside the window: %v", got)
	}
	if got := srv.EnhancedMonitoring(name); len(got) != 0 {
		t.Errorf("EnhancedMonitoring = %v, want none", got)
	}
	if _, err := k.EnableEnhancedMonitoring(ctxT(t), &kinesis.EnableEnhancedMonitoringInput{StreamName: aws.String(name), ShardLevelMetrics: []types.MetricsName{types.MetricsNameAll}}); err != nil {
		t.Fatal(err)
	}
	if got := srv.EnhancedMonitoring(name); len(got) != 7 {
		t.Errorf("EnhancedMonitoring after ALL = %v", got)
	}
}

func TestStateDelays(t *testing.T) {
	clock := newFakeClock()
	k := newClient(t, startLocal(t, local.Options{CreateDelay: time.Minute, UpdateDelay: time.Minute, ConsumerDelay: time.Minute, DeleteDelay: time.Minute, Now: clock.Now}), noRetries)
	ctx := ctxT(t)
	name := streamName(t)
	if _, err := k.CreateStream(ctx, &kinesis.CreateStreamInput{StreamName: aws.String(name), ShardCount: aws.Int32(1)}); err != nil {
		t.Fatal(err)
	}
	status := func() types.StreamStatus {
		out, err := k.DescribeStreamSummary(ctx, &kinesis.DescribeStreamSummaryInput{StreamName: aws.String(name)})
		if err != nil {
			t.Fatalf("DescribeStreamSummary: %v", err)
		}
		return out.StreamDescriptionSummary.StreamStatus
	}
	if s := status(); s != types.StreamStatusCreating {
		t.Fatalf("status %s, want CREATING", s)
	}
	_, err := k.PutRecord(ctx, &kinesis.PutRecordInput{StreamName: aws.String(name), PartitionKey: aws.String("k"), Data: []byte("x")})
	wantCode(t, err, "ResourceNotFoundException")
	clock.Advance(time.Minute)
	if s := status(); s != types.StreamStatusActive {
		t.Fatalf("status %s, want ACTIVE", s)
	}
	mid := hashkey.Mid(hashkey.Key{}, hashkey.Max).String()
	if _, err := k.SplitShard(ctx, &kinesis.SplitShardInput{StreamName: aws.String(name), ShardToSplit: aws.String("shardId-000000000000"), NewStartingHashKey: aws.String(mid)}); err != nil {
		t.Fatal(err)
	}
	if s := status(); s != types.StreamStatusUpdating {
		t.Fatalf("status %s, want UPDATING", s)
	}
	_, err = k.UpdateShardCount(ctx, &kinesis.UpdateShardCountInput{StreamName: aws.String(name), TargetShardCount: aws.Int32(2), ScalingType: types.ScalingTypeUniformScaling})
	wantCode(t, err, "ResourceInUseException")
	if _, err := k.PutRecord(ctx, &kinesis.PutRecordInput{StreamName: aws.String(name), PartitionKey: aws.String("k"), Data: []byte("x")}); err != nil {
		t.Errorf("PutRecord while UPDATING: %v", err)
	}
	clock.Advance(time.Minute)
	if s := status(); s != types.StreamStatusActive || len(listShards(t, k, name)) != 3 {
		t.Fatalf("after the update: %s, %d shards", s, len(listShards(t, k, name)))
	}
	sum, _ := k.DescribeStreamSummary(ctx, &kinesis.DescribeStreamSummaryInput{StreamName: aws.String(name)})
	reg, err := k.RegisterStreamConsumer(ctx, &kinesis.RegisterStreamConsumerInput{StreamARN: sum.StreamDescriptionSummary.StreamARN, ConsumerName: aws.String("c")})
	if err != nil || reg.Consumer.ConsumerStatus != types.ConsumerStatusCreating {
		t.Fatalf("RegisterStreamConsumer: %v", err)
	}
	_, err = k.SubscribeToShard(ctx, &kinesis.SubscribeToShardInput{ConsumerARN: reg.Consumer.ConsumerARN, ShardId: aws.String("shardId-000000000001"), StartingPosition: &types.StartingPosition{Type: types.ShardIteratorTypeLatest}})
	wantCode(t, err, "ResourceInUseException")
	if _, err := k.DeleteStream(ctx, &kinesis.DeleteStreamInput{StreamName: aws.String(name), EnforceConsumerDeletion: aws.Bool(true)}); err != nil {
		t.Fatal(err)
	}
	if s := status(); s != types.StreamStatusDeleting {
		t.Fatalf("status %s, want DELETING", s)
	}
	clock.Advance(time.Minute)
	_, err = k.DescribeStreamSummary(ctx, &kinesis.DescribeStreamSummaryInput{StreamName: aws.String(name)})
	wantCode(t, err, "ResourceNotFoundException")
}

func TestLimitsEFOPacing(t *testing.T) {
	k := newClient(t, startLocal(t, local.Options{Limits: true}))
	name, arn := createStream(t, k, 1)
	consumer := registerConsumer(t, k, arn, "c")
	// 4 MiB into one shard at its 1 MiB/s write limit, retrying throttled entries.
	pending := make([]types.PutRecordsRequestEntry, 4000)
	for i := range pending {
		pending[i] = types.PutRecordsRequestEntry{PartitionKey: aws.String("k"), Data: kib(1)}
	}
	for len(pending) > 0 {
		batch := pending[:min(500, len(pending))]
		out, err := k.PutRecords(ctxT(t), &kinesis.PutRecordsInput{StreamName: aws.String(name), Records: batch})
		if err != nil {
			t.Fatal(err)
		}
		var again []types.PutRecordsRequestEntry
		for i, r := range out.Records {
			if r.ErrorCode != nil {
				again = append(again, batch[i])
			}
		}
		pending = append(again, pending[len(batch):]...)
		if len(again) > 0 {
			time.Sleep(200 * time.Millisecond)
		}
	}
	// A 2 MiB burst, then 2 MiB/s: the last 2 MiB take about a second more
	// (unpaced, they follow in well under 0.3 s even under -race).
	var burstDone time.Time
	data, _, err := efoRead(t, k, consumer, "shardId-000000000000", types.StartingPosition{Type: types.ShardIteratorTypeTrimHorizon}, func(d []string, _ []types.SubscribeToShardEvent) bool {
		if burstDone.IsZero() && len(d) >= 2000 {
			burstDone = time.Now()
		}
		return len(d) >= 4000
	})
	if err != nil || len(data) != 4000 {
		t.Fatalf("read %d records: %v", len(data), err)
	}
	if d := time.Since(burstDone); d < 450*time.Millisecond {
		t.Errorf("the 2 MiB after the burst came %v later: EFO not paced at 2 MiB/s", d)
	}
}
