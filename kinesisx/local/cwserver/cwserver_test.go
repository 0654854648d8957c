package cwserver

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"sort"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch/types"
	"github.com/aws/smithy-go"
	"go.uber.org/goleak"

	"github.com/kinspect/kinspect/internal/testenv"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// t0 is a minute boundary all fixtures hang from.
var t0 = time.Date(2026, 11, 26, 8, 0, 0, 0, time.UTC)

type seriesKey struct{ stream, shard, metric string }

// fakeSource is a Source over fixed buckets.
type fakeSource struct {
	series     map[seriesKey][]Bucket
	monitoring map[string][]string
}

func (f *fakeSource) MetricBuckets(stream, shard, metric string, from, to time.Time) []Bucket {
	var out []Bucket
	for _, b := range f.series[seriesKey{stream, shard, metric}] {
		if !b.Start.Before(from) && b.Start.Before(to) {
			out = append(out, b)
		}
	}
	return out
}

func (f *fakeSource) EnhancedMonitoring(stream string) []string { return f.monitoring[stream] }

func (f *fakeSource) MetricSeries() []Series {
	var out []Series
	for k, bs := range f.series {
		out = append(out, Series{Stream: k.stream, ShardID: k.shard, Metric: k.metric, Last: bs[len(bs)-1].Start})
	}
	return out
}

// bucket is minute i after t0 with the given samples.
func bucket(i int, samples ...float64) Bucket {
	b := Bucket{Start: t0.Add(time.Duration(i) * time.Minute), Min: samples[0], Max: samples[0]}
	for _, s := range samples {
		b.Sum += s
		b.SampleCount++
		b.Min, b.Max = min(b.Min, s), max(b.Max, s)
	}
	return b
}

func newFixture() *fakeSource {
	return &fakeSource{
		series: map[seriesKey][]Bucket{
			{"orders", "", "IncomingBytes"}:                     {bucket(0, 100, 300), bucket(1, 50), bucket(3, 10, 20, 30)},
			{"orders", "shardId-000000000000", "IncomingBytes"}: {bucket(0, 100), bucket(2, 7)},
			{"orders", "shardId-000000000000", "OutgoingBytes"}: {bucket(0, 9)},
			{"plain", "shardId-000000000000", "IncomingBytes"}:  {bucket(0, 5)},
		},
		monitoring: map[string][]string{"orders": {"IncomingBytes"}},
	}
}

// serve runs a Handler over src on an httptest server and returns a real
// CloudWatch client for it.
func serve(t *testing.T, src Source, opts Options) *cloudwatch.Client {
	t.Helper()
	srv := httptest.NewServer(New(src, opts))
	t.Cleanup(srv.Close)
	return testenv.CloudWatchClient(t, srv.URL, func(o *cloudwatch.Options) { o.RetryMaxAttempts = 1 })
}

func msq(id, stream, shard, metric, st string, period int32) types.MetricDataQuery {
	dims := []types.Dimension{{Name: aws.String("StreamName"), Value: aws.String(stream)}}
	if shard != "" {
		dims = append(dims, types.Dimension{Name: aws.String("ShardId"), Value: aws.String(shard)})
	}
	return types.MetricDataQuery{Id: aws.String(id), MetricStat: &types.MetricStat{
		Metric: &types.Metric{Namespace: aws.String(Namespace), MetricName: aws.String(metric), Dimensions: dims},
		Period: aws.Int32(period), Stat: aws.String(st),
	}}
}

func withUnit(q types.MetricDataQuery, u types.StandardUnit) types.MetricDataQuery {
	q.MetricStat.Unit = u
	return q
}

func withNamespace(q types.MetricDataQuery, ns string) types.MetricDataQuery {
	q.MetricStat.Metric.Namespace = aws.String(ns)
	return q
}

func withDim(q types.MetricDataQuery, name, value string) types.MetricDataQuery {
	q.MetricStat.Metric.Dimensions = append(q.MetricStat.Metric.Dimensions, types.Dimension{Name: aws.String(name), Value: aws.String(value)})
	return q
}

// series renders a result as "minute:value ..." for comparison.
func series(r types.MetricDataResult) string {
	s := ""
	for i, ts := range r.Timestamps {
		s += fmt.Sprintf("%d:%g ", int(ts.Sub(t0)/time.Minute), r.Values[i])
	}
	return s
}

func TestGetMetricDataWithSDK(t *testing.T) {
	tests := []struct {
		name  string
		q     types.MetricDataQuery
		scan  types.ScanBy
		delay time.Duration
		want  string
	}{
		{"sum descending by default", msq("a", "orders", "", "IncomingBytes", "Sum", 60), "", 0, "3:60 1:50 0:400 "},
		{"ascending", msq("a", "orders", "", "IncomingBytes", "Sum", 60), types.ScanByTimestampAscending, 0, "0:400 1:50 3:60 "},
		{"average", msq("a", "orders", "", "IncomingBytes", "Average", 60), types.ScanByTimestampAscending, 0, "0:200 1:50 3:20 "},
		{"maximum", msq("a", "orders", "", "IncomingBytes", "Maximum", 60), types.ScanByTimestampAscending, 0, "0:300 1:50 3:30 "},
		{"minimum", msq("a", "orders", "", "IncomingBytes", "Minimum", 60), types.ScanByTimestampAscending, 0, "0:100 1:50 3:10 "},
		{"sample count", msq("a", "orders", "", "IncomingBytes", "SampleCount", 60), types.ScanByTimestampAscending, 0, "0:2 1:1 3:3 "},
		{"two-minute periods", msq("a", "orders", "", "IncomingBytes", "Sum", 120), types.ScanByTimestampAscending, 0, "0:450 2:60 "},
		{"two-minute maximum", msq("a", "orders", "", "IncomingBytes", "Maximum", 120), types.ScanByTimestampAscending, 0, "0:300 2:30 "},
		{"shard level, monitored", msq("a", "orders", "shardId-000000000000", "IncomingBytes", "Sum", 60), types.ScanByTimestampAscending, 0, "0:100 2:7 "},
		{"shard level, metric not monitored", msq("a", "orders", "shardId-000000000000", "OutgoingBytes", "Sum", 60), "", 0, ""},
		{"shard level, monitoring off", msq("a", "plain", "shardId-000000000000", "IncomingBytes", "Sum", 60), "", 0, ""},
		{"unknown stream", msq("a", "nope", "", "IncomingBytes", "Sum", 60), "", 0, ""},
		{"matching unit", withUnit(msq("a", "orders", "", "IncomingBytes", "Sum", 60), types.StandardUnitBytes), types.ScanByTimestampAscending, 0, "0:400 1:50 3:60 "},
		{"other unit has no data", withUnit(msq("a", "orders", "", "IncomingBytes", "Sum", 60), types.StandardUnitCount), "", 0, ""},
		{"other namespace has no data", withNamespace(msq("a", "orders", "", "IncomingBytes", "Sum", 60), "AWS/Firehose"), "", 0, ""},
		{"extra dimension has no data", withDim(msq("a", "orders", "", "IncomingBytes", "Sum", 60), "ConsumerName", "x"), "", 0, ""},
		{"publication delay hides recent minutes", msq("a", "orders", "", "IncomingBytes", "Sum", 60), types.ScanByTimestampAscending, 3 * time.Minute, "0:400 1:50 "},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// The clock stands in minute 4: with a 3-minute delay minutes
			// 0 and 1 are published, 3 is not.
			cw := serve(t, newFixture(), Options{Delay: tt.delay, Now: func() time.Time { return t0.Add(4*time.Minute + 30*time.Second) }})
			out, err := cw.GetMetricData(context.Background(), &cloudwatch.GetMetricDataInput{
				MetricDataQueries: []types.MetricDataQuery{tt.q},
				StartTime:         aws.Time(t0), EndTime: aws.Time(t0.Add(10 * time.Minute)), ScanBy: tt.scan,
			})
			if err != nil {
				t.Fatal(err)
			}
			if len(out.MetricDataResults) != 1 {
				t.Fatalf("%d results, want 1", len(out.MetricDataResults))
			}
			r := out.MetricDataResults[0]
			if got := series(r); got != tt.want || aws.ToString(r.Id) != "a" || r.StatusCode != types.StatusCodeComplete {
				t.Errorf("got %q id %s status %s, want %q Complete", got, aws.ToString(r.Id), r.StatusCode, tt.want)
			}
		})
	}
}

func TestEndTimeExclusiveAndLabel(t *testing.T) {
	cw := serve(t, newFixture(), Options{Now: func() time.Time { return t0.Add(time.Hour) }})
	q := msq("a", "orders", "", "IncomingBytes", "Sum", 60)
	q.Label = aws.String("in")
	hidden := msq("b", "orders", "", "IncomingBytes", "Sum", 60)
	hidden.ReturnData = aws.Bool(false)
	out, err := cw.GetMetricData(context.Background(), &cloudwatch.GetMetricDataInput{
		MetricDataQueries: []types.MetricDataQuery{q, hidden, msq("c", "orders", "", "IncomingRecords", "Sum", 60)},
		StartTime:         aws.Time(t0.Add(20 * time.Second)), EndTime: aws.Time(t0.Add(3 * time.Minute)),
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(out.MetricDataResults) != 2 {
		t.Fatalf("%d results, want 2 (ReturnData=false hides b)", len(out.MetricDataResults))
	}
	r := out.MetricDataResults[0]
	if got := series(r); got != "1:50 0:400 " || aws.ToString(r.Label) != "in" {
		t.Errorf("got %q label %q: minute 3 is past EndTime, StartTime rounds down to minute 0", got, aws.ToString(r.Label))
	}
	if c := out.MetricDataResults[1]; aws.ToString(c.Label) != "IncomingRecords" || len(c.Values) != 0 {
		t.Errorf("c: label %q values %v", aws.ToString(c.Label), c.Values)
	}
}

func TestPagingWithSDKPaginator(t *testing.T) {
	src := &fakeSource{series: map[seriesKey][]Bucket{}}
	var queries []types.MetricDataQuery
	want := map[string]string{}
	for s := range 7 {
		stream := fmt.Sprintf("s%d", s)
		var bs []Bucket
		w := ""
		for i := range 5 + s {
			bs = append(bs, bucket(i, float64(s*100+i)))
			w = fmt.Sprintf("%d:%d ", i, s*100+i) + w
		}
		src.series[seriesKey{stream, "", "IncomingRecords"}] = bs
		id := fmt.Sprintf("q%d", s)
		queries = append(queries, msq(id, stream, "", "IncomingRecords", "Sum", 60))
		want[id] = w
	}
	cw := serve(t, src, Options{Now: func() time.Time { return t0.Add(time.Hour) }})
	for _, maxPoints := range []int32{1, 4, 9, 100} {
		p := cloudwatch.NewGetMetricDataPaginator(cw, &cloudwatch.GetMetricDataInput{
			MetricDataQueries: queries, MaxDatapoints: aws.Int32(maxPoints),
			StartTime: aws.Time(t0), EndTime: aws.Time(t0.Add(time.Hour)),
		})
		got := map[string]string{}
		pages := 0
		for p.HasMorePages() {
			out, err := p.NextPage(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			pages++
			n := 0
			for _, r := range out.MetricDataResults {
				got[aws.ToString(r.Id)] += series(r)
				n += len(r.Values)
			}
			if n > int(maxPoints) {
				t.Errorf("max %d: a page holds %d points", maxPoints, n)
			}
		}
		for id, w := range want {
			if got[id] != w {
				t.Errorf("max %d: %s = %q, want %q", maxPoints, id, got[id], w)
			}
		}
		total := 0
		for s := range 7 {
			total += 5 + s
		}
		if wantPages := (total + int(maxPoints) - 1) / int(maxPoints); pages != wantPages {
			t.Errorf("max %d: %d pages, want %d", maxPoints, pages, wantPages)
		}
	}
}

func TestErrorsWithSDK(t *testing.T) {
	many := make([]types.MetricDataQuery, 501)
	for i := range many {
		many[i] = msq(fmt.Sprintf("m%d", i), "orders", "", "IncomingBytes", "Sum", 60)
	}
	expr := types.MetricDataQuery{Id: aws.String("e1"), Expression: aws.String("SUM(METRICS())")}
	tests := []struct {
		name     string
		in       cloudwatch.GetMetricDataInput
		wantCode string
	}{
		{"501 queries", cloudwatch.GetMetricDataInput{MetricDataQueries: many}, "ValidationError"},
		{"expression", cloudwatch.GetMetricDataInput{MetricDataQueries: []types.MetricDataQuery{expr}}, "ValidationError"},
		{"id with capital", cloudwatch.GetMetricDataInput{MetricDataQueries: []types.MetricDataQuery{msq("Bad", "o", "", "IncomingBytes", "Sum", 60)}}, "ValidationError"},
		{"id with dash", cloudwatch.GetMetricDataInput{MetricDataQueries: []types.MetricDataQuery{msq("a-b", "o", "", "IncomingBytes", "Sum", 60)}}, "ValidationError"},
		{"duplicate ids", cloudwatch.GetMetricDataInput{MetricDataQueries: []types.MetricDataQuery{msq("a", "o", "", "IncomingBytes", "Sum", 60), msq("a", "o", "", "IncomingRecords", "Sum", 60)}}, "ValidationError"},
		{"period 7", cloudwatch.GetMetricDataInput{MetricDataQueries: []types.MetricDataQuery{msq("a", "o", "", "IncomingBytes", "Sum", 7)}}, "ValidationError"},
		{"period 90", cloudwatch.GetMetricDataInput{MetricDataQueries: []types.MetricDataQuery{msq("a", "o", "", "IncomingBytes", "Sum", 90)}}, "ValidationError"},
		{"percentile", cloudwatch.GetMetricDataInput{MetricDataQueries: []types.MetricDataQuery{msq("a", "o", "", "IncomingBytes", "p99", 60)}}, "ValidationError"},
		{"bad token", cloudwatch.GetMetricDataInput{MetricDataQueries: []types.MetricDataQuery{msq("a", "o", "", "IncomingBytes", "Sum", 60)}, NextToken: aws.String("djEuMC4tLnh4")}, "InvalidNextToken"},
		{"start after end", cloudwatch.GetMetricDataInput{MetricDataQueries: []types.MetricDataQuery{msq("a", "o", "", "IncomingBytes", "Sum", 60)}, StartTime: aws.Time(t0.Add(time.Hour))}, "ValidationError"},
	}
	cw := serve(t, newFixture(), Options{})
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := tt.in
			if in.StartTime == nil {
				in.StartTime = aws.Time(t0)
			}
			in.EndTime = aws.Time(t0.Add(10 * time.Minute))
			_, err := cw.GetMetricData(context.Background(), &in)
			var api smithy.APIError
			if !errors.As(err, &api) || api.ErrorCode() != tt.wantCode {
				t.Fatalf("err = %v, want code %s", err, tt.wantCode)
			}
			if api.ErrorMessage() == "" {
				t.Error("no message")
			}
		})
	}
	_, err := cw.GetMetricData(context.Background(), &cloudwatch.GetMetricDataInput{
		MetricDataQueries: []types.MetricDataQuery{msq("a", "o", "", "IncomingBytes", "Sum", 60)},
		StartTime:         aws.Time(t0), EndTime: aws.Time(t0.Add(time.Minute)), NextToken: aws.String("!!"),
	})
	var typed *types.InvalidNextToken
	if !errors.As(err, &typed) {
		t.Errorf("bad token: %v is not *types.InvalidNextToken", err)
	}
}

func TestNotGetMetricData(t *testing.T) {
	srv := httptest.NewServer(New(newFixture(), Options{}))
	defer srv.Close()
	tests := []struct {
		method, path string
		want         int
	}{
		{http.MethodGet, Path, http.StatusMethodNotAllowed},
		{http.MethodPost, PathPrefix + "PutMetricData", http.StatusNotFound},
		{http.MethodPost, "/", http.StatusNotFound},
	}
	for _, tt := range tests {
		req, _ := http.NewRequest(tt.method, srv.URL+tt.path, nil)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		code, _ := errorBody(t, resp)
		if resp.StatusCode != tt.want || code != "UnknownOperationException" {
			t.Errorf("%s %s: %d %s", tt.method, tt.path, resp.StatusCode, code)
		}
	}
}

func TestSortedIDsStable(t *testing.T) {
	// The fixture's keys must not rely on map order anywhere: results come
	// in query order whatever the order of the source's series.
	cw := serve(t, newFixture(), Options{Now: func() time.Time { return t0.Add(time.Hour) }})
	ids := []string{"z9", "a1", "m5"}
	var qs []types.MetricDataQuery
	for _, id := range ids {
		qs = append(qs, msq(id, "orders", "", "IncomingBytes", "Sum", 60))
	}
	out, err := cw.GetMetricData(context.Background(), &cloudwatch.GetMetricDataInput{MetricDataQueries: qs, StartTime: aws.Time(t0), EndTime: aws.Time(t0.Add(time.Hour))})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, r := range out.MetricDataResults {
		got = append(got, aws.ToString(r.Id))
	}
	if !slices.Equal(got, ids) {
		t.Errorf("ids %v, want %v", got, ids)
	}
	if !sort.SliceIsSorted(out.MetricDataResults[0].Timestamps, func(i, j int) bool {
		return out.MetricDataResults[0].Timestamps[i].After(out.MetricDataResults[0].Timestamps[j])
	}) {
		t.Error("not descending")
	}
}
