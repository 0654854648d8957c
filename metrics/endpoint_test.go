package metrics

import (
	"context"
	"math"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch"
	"github.com/aws/aws-sdk-go-v2/service/kinesis"
	ktypes "github.com/aws/aws-sdk-go-v2/service/kinesis/types"

	"github.com/kinspect/kinspect/internal/testenv"
	"github.com/kinspect/kinspect/kinesisx"
	"github.com/kinspect/kinspect/kinesisx/local"
	"github.com/kinspect/kinspect/kinesisx/local/cwserver"
	"github.com/kinspect/kinspect/kinesisx/local/localtest"
)

// endpoint is the built-in endpoint with its CloudWatch mounted on the
// same port, as `kinspect local` serves it.
type endpoint struct {
	srv *local.Server
	sdk *kinesis.Client
	cw  *cloudwatch.Client
}

func newEndpoint(t *testing.T, opts local.Options) *endpoint {
	t.Helper()
	srv, url := localtest.Start(t, opts)
	return &endpoint{srv: srv, sdk: testenv.KinesisClient(t, url), cw: testenv.CloudWatchClient(t, url)}
}

// putOnShard0 puts n records of size bytes (data plus key) at hash key 0.
func (e *endpoint) putOnShard0(t *testing.T, stream string, n, size int) (failed int) {
	t.Helper()
	for n > 0 {
		batch := min(n, 5)
		var entries []ktypes.PutRecordsRequestEntry
		for range batch {
			entries = append(entries, ktypes.PutRecordsRequestEntry{PartitionKey: aws.String("k"), ExplicitHashKey: aws.String("0"), Data: make([]byte, size-1)})
		}
		out, err := e.sdk.PutRecords(context.Background(), &kinesis.PutRecordsInput{StreamName: aws.String(stream), Records: entries})
		if err != nil {
			t.Fatal(err)
		}
		failed += int(aws.ToInt32(out.FailedRecordCount))
		n -= batch
	}
	return failed
}

func TestThirtyMiBOnShardZero(t *testing.T) {
	clock := time.Now().Truncate(time.Minute).Add(20 * time.Second)
	e := newEndpoint(t, local.Options{Now: func() time.Time { return clock }})
	stream := testenv.StreamName(t)
	testenv.CreateStream(t, e.sdk, stream, 2)
	ids := []string{"shardId-000000000000", "shardId-000000000001"}
	if _, err := e.sdk.EnableEnhancedMonitoring(context.Background(), &kinesis.EnableEnhancedMonitoringInput{
		StreamName: aws.String(stream), ShardLevelMetrics: []ktypes.MetricsName{ktypes.MetricsNameAll},
	}); err != nil {
		t.Fatal(err)
	}
	if failed := e.putOnShard0(t, stream, 30, 1<<20); failed != 0 {
		t.Fatalf("%d records failed", failed)
	}
	// Asked a minute later: the minute of the puts has ended (an open
	// minute is never the current figure).
	later := clock.Add(time.Minute)
	r, err := New(e.cw).Stream(context.Background(), stream, ids, 15*time.Minute, later, ShardLevel(e.srv.EnhancedMonitoring(stream)))
	if err != nil {
		t.Fatal(err)
	}
	s0, s1 := r.Shards[0], r.Shards[1]
	if !r.EnhancedMonitoring || !s0.Minute.Equal(clock.Truncate(time.Minute)) {
		t.Fatalf("enhanced %v, minute %v", r.EnhancedMonitoring, s0.Minute)
	}
	if got := val(s0.IncomingBytesPerSec) * 60; got != 30<<20 {
		t.Errorf("shard 0 IncomingBytes = %v, want 30 MiB", got)
	}
	if got := val(s0.IncomingBytesUtilisation); got != 0.5 {
		t.Errorf("utilisation %v, want 0.5 of 1 MiB/s", got)
	}
	if got := val(s0.IncomingRecordsPerSec); got != 0.5 {
		t.Errorf("records/s %v, want 30/60", got)
	}
	if s1.IncomingBytesPerSec != nil || !s1.Minute.IsZero() {
		t.Errorf("shard 1 got data: %+v", s1.Point)
	}
	if got := val(r.StreamLevel.IncomingBytesUtilisation); got != 0.25 {
		t.Errorf("stream utilisation %v, want 0.25 of 2 shards", got)
	}

	// Enhanced monitoring off: the shards are blank, the stream is not.
	if _, err := e.sdk.DisableEnhancedMonitoring(context.Background(), &kinesis.DisableEnhancedMonitoringInput{
		StreamName: aws.String(stream), ShardLevelMetrics: []ktypes.MetricsName{ktypes.MetricsNameAll},
	}); err != nil {
		t.Fatal(err)
	}
	for _, opts := range [][]StreamOption{{ShardLevel(e.srv.EnhancedMonitoring(stream))}, nil} {
		r, err = New(e.cw).Stream(context.Background(), stream, ids, 15*time.Minute, later, opts...)
		if err != nil {
			t.Fatal(err)
		}
		if r.EnhancedMonitoring || r.Shards[0].IncomingBytesPerSec != nil || val(r.StreamLevel.IncomingBytesPerSec)*60 != 30<<20 {
			t.Errorf("monitoring off: enhanced %v shard0 %v stream %v", r.EnhancedMonitoring, r.Shards[0].IncomingBytesPerSec, val(r.StreamLevel.IncomingBytesPerSec))
		}
	}
}

func TestThrottlesShowUp(t *testing.T) {
	clock := time.Now().Truncate(time.Minute).Add(20 * time.Second)
	e := newEndpoint(t, local.Options{Limits: true, Now: func() time.Time { return clock }})
	stream := testenv.StreamName(t)
	testenv.CreateStream(t, e.sdk, stream, 1)
	if _, err := e.sdk.EnableEnhancedMonitoring(context.Background(), &kinesis.EnableEnhancedMonitoringInput{
		StreamName: aws.String(stream), ShardLevelMetrics: []ktypes.MetricsName{ktypes.MetricsNameWriteProvisionedThroughputExceeded},
	}); err != nil {
		t.Fatal(err)
	}
	// The clock stands still, so the 1 MiB/s bucket never refills.
	failed := e.putOnShard0(t, stream, 10, 512<<10)
	if failed == 0 {
		t.Fatal("nothing throttled")
	}
	r, err := New(e.cw).Stream(context.Background(), stream, []string{"shardId-000000000000"}, 5*time.Minute, clock.Add(time.Minute), ShardLevel(e.srv.EnhancedMonitoring(stream)))
	if err != nil {
		t.Fatal(err)
	}
	if got := val(r.Shards[0].WriteThrottled); got != float64(failed) {
		t.Errorf("shard WriteThrottled %v, want %d", got, failed)
	}
	if got := val(r.StreamLevel.WriteThrottled); got != float64(failed) {
		t.Errorf("stream WriteThrottled %v, want %d", got, failed)
	}
	if r.Shards[0].IncomingBytesPerSec != nil {
		t.Error("IncomingBytes is not monitored, yet has data")
	}
}

// BenchmarkMetrics4000Shards fetches and aggregates a 4,000-shard stream's
// metrics (15 minutes, every shard-level metric) from the endpoint's
// CloudWatch over the real SDK; every query has 16 minutes of data.
func BenchmarkMetrics4000Shards(b *testing.B) {
	now := time.Date(2026, 11, 26, 8, 30, 10, 0, time.UTC)
	src := cwserver.Funcs{
		Buckets: func(stream, shard, metric string, from, to time.Time) []cwserver.Bucket {
			var out []cwserver.Bucket
			for m := from; m.Before(to); m = m.Add(time.Minute) {
				v := float64(len(shard)+len(metric)) * 1000
				out = append(out, cwserver.Bucket{Start: m, Sum: v, SampleCount: 10, Min: v / 20, Max: v / 5})
			}
			return out
		},
		Monitoring: func(string) []string { return []string{"ALL"} },
	}
	var requests atomic.Int64
	h := cwserver.New(src, cwserver.Options{Now: func() time.Time { return now }})
	hs := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		requests.Add(1)
		h.ServeHTTP(w, r)
	}))
	defer hs.Close()
	c := New(testenv.CloudWatchClient(b, hs.URL))
	ids := shardList(4000)
	b.ReportAllocs()
	b.ResetTimer()
	start := time.Now()
	for b.Loop() {
		r, err := c.Stream(context.Background(), "big", ids, 15*time.Minute, now, ShardLevel([]string{"ALL"}))
		if err != nil {
			b.Fatal(err)
		}
		if r.Shards[3999].IncomingBytesPerSec == nil || len(r.Shards[3999].Series) != 16 {
			b.Fatal("no data for the last shard")
		}
	}
	b.ReportMetric(float64(time.Since(start).Milliseconds())/float64(b.N), "ms/op")
	b.ReportMetric(float64(requests.Load())/float64(b.N), "requests/op")
}

func TestAdapterKeepsBucketFields(t *testing.T) {
	// cwserver.Bucket must stay convertible from local.Bucket: the same
	// fields in the same order. This fails to compile otherwise; the check
	// below guards the values.
	lb := local.Bucket{Start: time.Unix(60, 0), Sum: 1, SampleCount: 2, Min: 3, Max: 4}
	cb := cwserver.Bucket(lb)
	if !cb.Start.Equal(lb.Start) || cb.Sum != 1 || cb.SampleCount != 2 || cb.Min != 3 || cb.Max != 4 || math.IsNaN(cb.Sum) {
		t.Errorf("%+v", cb)
	}
	if !slices.Contains(strings.Split(cwserver.Path, "/"), "GetMetricData") {
		t.Error(cwserver.Path)
	}
}

// TestLateMinutesFilledFromTail: with a publication delay the endpoint's
// CloudWatch has not published the current minute yet; a tail's records,
// counted by an Accumulator, fill it through Nowcast, marked Live.
func TestLateMinutesFilledFromTail(t *testing.T) {
	clock := time.Now().Truncate(time.Minute).Add(30 * time.Second)
	now := func() time.Time { return clock }
	srv, url := localtest.Start(t, local.Options{Now: now, MetricsDelay: 2 * time.Minute})
	e := &endpoint{srv: srv, sdk: testenv.KinesisClient(t, url), cw: testenv.CloudWatchClient(t, url)}
	stream := testenv.StreamName(t)
	testenv.CreateStream(t, e.sdk, stream, 1)
	if _, err := e.sdk.EnableEnhancedMonitoring(context.Background(), &kinesis.EnableEnhancedMonitoringInput{
		StreamName: aws.String(stream), ShardLevelMetrics: []ktypes.MetricsName{ktypes.MetricsNameAll},
	}); err != nil {
		t.Fatal(err)
	}
	e.putOnShard0(t, stream, 6, 100<<10) // 600 KiB in this minute: 10 KiB/s over the 60 s

	ids := []string{"shardId-000000000000"}
	r, err := New(e.cw).Stream(context.Background(), stream, ids, 5*time.Minute, clock, ShardLevel(e.srv.EnhancedMonitoring(stream)))
	if err != nil {
		t.Fatal(err)
	}
	if r.Shards[0].IncomingBytesPerSec != nil {
		t.Fatalf("the current minute is published despite the delay: %v", *r.Shards[0].IncomingBytesPerSec)
	}

	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	tail, err := kinesisx.New(e.sdk).Tail(ctx, kinesisx.TailOptions{Stream: stream, From: kinesisx.StartPosition{Type: kinesisx.PositionTrimHorizon}})
	if err != nil {
		t.Fatal(err)
	}
	defer tail.Close()
	acc := NewAccumulator(clock.Truncate(time.Minute), 10*time.Minute)
	for got := 0; got < 6; {
		select {
		case b, ok := <-tail.Batches():
			if !ok {
				t.Fatalf("tail ended: %v", tail.Err())
			}
			acc.Add(b)
			got += len(b.Records)
		case <-ctx.Done():
			t.Fatal("tail delivered too little")
		}
	}
	merged := Nowcast(r.Shards[0].Series, acc.Points(ids[0], clock), clock, DefaultLag)
	last := merged[len(merged)-1]
	if !last.Live || !last.Minute.Equal(clock.Truncate(time.Minute)) || last.IncomingBytesPerSec == nil {
		t.Fatalf("newest point %+v", last)
	}
	// The tail watched the first 30 s of the minute: 600 KiB over 30 s.
	if got := *last.IncomingBytesPerSec; got != float64(600<<10)/30 {
		t.Errorf("live rate %v B/s, want %v", got, float64(600<<10)/30)
	}
	for _, p := range merged[:len(merged)-1] {
		if p.Live {
			t.Errorf("minute %v marked live", p.Minute)
		}
	}
}
