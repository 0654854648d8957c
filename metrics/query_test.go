package metrics

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch/types"
	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

var now0 = time.Date(2026, 11, 26, 8, 30, 25, 0, time.UTC)

// fakeCW is the SDK seam with a function field; it records every call and
// the most calls it saw in flight at once.
type fakeCW struct {
	fn func(ctx context.Context, in *cloudwatch.GetMetricDataInput) (*cloudwatch.GetMetricDataOutput, error)

	mu          sync.Mutex
	calls       []cloudwatch.GetMetricDataInput
	inFlight    int
	maxInFlight int
}

func (f *fakeCW) GetMetricData(ctx context.Context, in *cloudwatch.GetMetricDataInput, _ ...func(*cloudwatch.Options)) (*cloudwatch.GetMetricDataOutput, error) {
	f.mu.Lock()
	f.calls = append(f.calls, *in)
	f.inFlight++
	f.maxInFlight = max(f.maxInFlight, f.inFlight)
	f.mu.Unlock()
	defer func() {
		f.mu.Lock()
		f.inFlight--
		f.mu.Unlock()
	}()
	if f.fn == nil {
		return &cloudwatch.GetMetricDataOutput{}, nil
	}
	return f.fn(ctx, in)
}

func shardList(n int) []string {
	ids := make([]string, n)
	for i := range ids {
		ids[i] = fmt.Sprintf("shardId-%012d", i)
	}
	return ids
}

var idRE = regexp.MustCompile(`^[a-z][a-zA-Z0-9_]*$`)

// wantStat is the statistic each metric must be read with.
func wantStat(metric string) string {
	switch {
	case strings.Contains(metric, "IteratorAge") || strings.Contains(metric, "MillisBehind"):
		return "Maximum"
	case strings.HasSuffix(metric, "Latency"):
		return "Average"
	default:
		return "Sum"
	}
}

func TestPlanQueries(t *testing.T) {
	tests := []struct {
		name         string
		shards       int
		shardMetrics []string
		consumers    []string
		since        time.Duration
		wantQueries  int
		wantMinutes  int
	}{
		{"monitoring unknown", 3, nil, nil, 15 * time.Minute, 11 + 3*7, 16},
		{"monitoring ALL", 2, []string{"ALL"}, nil, time.Hour, 11 + 2*7, 61},
		{"two metrics on", 4, []string{"IncomingBytes", "iteratoragemilliseconds"}, nil, 5 * time.Minute, 11 + 4*2, 6},
		{"monitoring off", 4, []string{}, nil, 15 * time.Minute, 11, 16},
		{"consumers", 1, []string{"ALL"}, []string{"app-a", "app-b"}, 90 * time.Second, 11 + 2*3 + 7, 2},
		{"since below a minute", 1, nil, nil, 0, 11 + 7, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ids := shardList(tt.shards)
			p := buildPlan("orders", ids, tt.shardMetrics, tt.consumers, tt.since, now0)
			if len(p.queries) != tt.wantQueries || p.minutes != tt.wantMinutes {
				t.Fatalf("%d queries over %d minutes, want %d over %d", len(p.queries), p.minutes, tt.wantQueries, tt.wantMinutes)
			}
			if !p.end.Equal(time.Date(2026, 11, 26, 8, 31, 0, 0, time.UTC)) || p.end.Sub(p.start) != time.Duration(p.minutes)*time.Minute {
				t.Errorf("window [%v, %v)", p.start, p.end)
			}
			seen := map[string]bool{}
			for _, q := range p.queries {
				id := aws.ToString(q.Id)
				if !idRE.MatchString(id) || seen[id] {
					t.Errorf("id %q invalid or repeated", id)
				}
				seen[id] = true
				ms := q.MetricStat
				if q.Expression != nil || ms == nil || aws.ToString(ms.Metric.Namespace) != "AWS/Kinesis" {
					t.Fatalf("%s: not a MetricStat on AWS/Kinesis", id)
				}
				if per := aws.ToInt32(ms.Period); per < 60 || per%60 != 0 {
					t.Errorf("%s: period %d", id, per)
				}
				name := aws.ToString(ms.Metric.MetricName)
				if got := aws.ToString(ms.Stat); got != wantStat(name) {
					t.Errorf("%s %s: stat %s, want %s", id, name, got, wantStat(name))
				}
				var dims []string
				for _, d := range ms.Metric.Dimensions {
					dims = append(dims, aws.ToString(d.Name)+"="+aws.ToString(d.Value))
				}
				var want []string
				switch {
				case strings.HasPrefix(id, "st_"):
					want = []string{"StreamName=orders"}
				case id[0] == 'c':
					var ci int
					fmt.Sscanf(id, "c%d_", &ci)
					want = []string{"StreamName=orders", "ConsumerName=" + tt.consumers[ci]}
				default:
					var si int
					fmt.Sscanf(id, "s%d_", &si)
					want = []string{"StreamName=orders", "ShardId=" + ids[si]}
				}
				if strings.Join(dims, ",") != strings.Join(want, ",") {
					t.Errorf("%s: dimensions %v, want %v", id, dims, want)
				}
			}
		})
	}
}

func TestCallsForManyShards(t *testing.T) {
	tests := []struct {
		since     time.Duration
		wantCalls int
	}{
		{15 * time.Minute, 57}, // 28,011 queries / 500
		{3 * time.Hour, 57},    // 181 points each: 500 still fit 100,800
		{6 * time.Hour, 101},   // 361 points each: 279 queries a call
	}
	for _, tt := range tests {
		t.Run(tt.since.String(), func(t *testing.T) {
			f := &fakeCW{}
			c := newClient(f)
			r, err := c.Stream(context.Background(), "big", shardList(4000), tt.since, now0, ShardLevel([]string{"ALL"}))
			if err != nil {
				t.Fatal(err)
			}
			if len(f.calls) != tt.wantCalls || r.Calls != tt.wantCalls {
				t.Errorf("%d calls (report says %d), want %d", len(f.calls), r.Calls, tt.wantCalls)
			}
			seen := map[string]int{}
			for _, in := range f.calls {
				if len(in.MetricDataQueries) > MaxQueriesPerCall {
					t.Errorf("a call with %d queries", len(in.MetricDataQueries))
				}
				minutes := int(aws.ToTime(in.EndTime).Sub(aws.ToTime(in.StartTime)) / time.Minute)
				if minutes*len(in.MetricDataQueries) > MaxPointsPerCall {
					t.Errorf("a call asks for %d points", minutes*len(in.MetricDataQueries))
				}
				for _, q := range in.MetricDataQueries {
					seen[aws.ToString(q.Id)]++
				}
			}
			if len(seen) != 11+4000*7 {
				t.Errorf("%d distinct queries, want %d", len(seen), 11+4000*7)
			}
			for id, n := range seen {
				if n != 1 {
					t.Errorf("%s asked %d times", id, n)
				}
			}
			if f.maxInFlight > DefaultConcurrency {
				t.Errorf("%d calls in flight, limit %d", f.maxInFlight, DefaultConcurrency)
			}
		})
	}
}

func TestConcurrencyIsBounded(t *testing.T) {
	for _, limit := range []int{1, 3} {
		gate := make(chan struct{})
		var open sync.Once // two callers can see the pool full at once
		f := &fakeCW{}
		f.fn = func(ctx context.Context, _ *cloudwatch.GetMetricDataInput) (*cloudwatch.GetMetricDataOutput, error) {
			f.mu.Lock()
			full := f.inFlight >= limit
			f.mu.Unlock()
			if full {
				// Release everyone once the limit is reached; a pool that
				// allowed more would exceed it before this point.
				open.Do(func() { close(gate) })
			}
			select {
			case <-gate:
			case <-ctx.Done():
			}
			return &cloudwatch.GetMetricDataOutput{}, nil
		}
		c := newClient(f, WithConcurrency(limit))
		if _, err := c.Stream(context.Background(), "s", shardList(300), 15*time.Minute, now0); err != nil {
			t.Fatal(err)
		}
		if f.maxInFlight != limit || len(f.calls) != 5 {
			t.Errorf("limit %d: %d in flight, %d calls", limit, f.maxInFlight, len(f.calls))
		}
	}
}

func TestPagingFollowsNextToken(t *testing.T) {
	f := &fakeCW{}
	f.fn = func(_ context.Context, in *cloudwatch.GetMetricDataInput) (*cloudwatch.GetMetricDataOutput, error) {
		start := aws.ToTime(in.StartTime)
		res := func(m int, v float64) []types.MetricDataResult {
			return []types.MetricDataResult{{Id: aws.String("s0_inb"), StatusCode: types.StatusCodePartialData,
				Timestamps: []time.Time{start.Add(time.Duration(m) * time.Minute)}, Values: []float64{v}}}
		}
		switch aws.ToString(in.NextToken) {
		case "":
			return &cloudwatch.GetMetricDataOutput{MetricDataResults: res(1, 60), NextToken: aws.String("p2")}, nil
		case "p2":
			return &cloudwatch.GetMetricDataOutput{MetricDataResults: res(2, 120), NextToken: aws.String("p3")}, nil
		default:
			return &cloudwatch.GetMetricDataOutput{MetricDataResults: res(3, 180)}, nil
		}
	}
	r, err := newClient(f).Stream(context.Background(), "s", shardList(1), 5*time.Minute, now0)
	if err != nil {
		t.Fatal(err)
	}
	if len(f.calls) != 3 || aws.ToString(f.calls[2].NextToken) != "p3" || len(f.calls[2].MetricDataQueries) != len(f.calls[0].MetricDataQueries) {
		t.Fatalf("calls %d", len(f.calls))
	}
	got := ""
	for _, p := range r.Shards[0].Series {
		if p.IncomingBytesPerSec != nil {
			got += fmt.Sprintf("%g ", *p.IncomingBytesPerSec)
		}
	}
	if got != "1 2 3 " {
		t.Errorf("rates %q, want all three pages", got)
	}
}

func TestErrorsStopTheFetch(t *testing.T) {
	boom := errors.New("boom")
	tests := []struct {
		name string
		fn   func(context.Context, *cloudwatch.GetMetricDataInput) (*cloudwatch.GetMetricDataOutput, error)
		want string
	}{
		{"API error", func(context.Context, *cloudwatch.GetMetricDataInput) (*cloudwatch.GetMetricDataOutput, error) {
			return nil, boom
		}, "boom"},
		{"forbidden", func(context.Context, *cloudwatch.GetMetricDataInput) (*cloudwatch.GetMetricDataOutput, error) {
			return &cloudwatch.GetMetricDataOutput{MetricDataResults: []types.MetricDataResult{{Id: aws.String("st_inb"), StatusCode: types.StatusCodeForbidden}}}, nil
		}, "Forbidden"},
	}
	for _, tt := range tests {
		f := &fakeCW{fn: tt.fn}
		_, err := newClient(f).Stream(context.Background(), "s", shardList(1000), 15*time.Minute, now0)
		if err == nil || !strings.Contains(err.Error(), tt.want) || !strings.Contains(err.Error(), "metrics of s") {
			t.Errorf("%s: err = %v", tt.name, err)
		}
		if len(f.calls) >= 15 {
			t.Errorf("%s: %d of 15 calls made after the first failed", tt.name, len(f.calls))
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := newClient(&fakeCW{}).Stream(ctx, "s", shardList(1), time.Minute, now0); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: %v", err)
	}
}
