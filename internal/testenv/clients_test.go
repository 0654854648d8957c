package testenv

import (
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch/types"
	"github.com/aws/aws-sdk-go-v2/service/kinesis"
	"github.com/aws/smithy-go"
	"github.com/aws/smithy-go/encoding/cbor"
)

func TestCheckEndpoint(t *testing.T) {
	tests := []struct {
		endpoint string
		ok       bool
	}{
		{"http://127.0.0.1:4567", true},
		{"https://kinesis.us-east-1.amazonaws.com", true},
		{"", false},
		{"127.0.0.1:4567", false},
		{"ftp://127.0.0.1", false},
		{"http://", false},
		{"http://[::1", false},
	}
	for _, tt := range tests {
		if err := checkEndpoint(tt.endpoint); (err == nil) != tt.ok {
			t.Errorf("checkEndpoint(%q) = %v, want ok %v", tt.endpoint, err, tt.ok)
		}
	}
}

// request is what a test server saw of one request.
type request struct {
	target, path, auth, contentType string
	close                           bool
}

// requests is what a test server saw, safe for concurrent use.
type requests struct {
	mu   sync.Mutex
	list []request
}

func (rs *requests) add(r request) int {
	rs.mu.Lock()
	defer rs.mu.Unlock()
	rs.list = append(rs.list, r)
	return len(rs.list)
}

func (rs *requests) all() []request {
	rs.mu.Lock()
	defer rs.mu.Unlock()
	return slices.Clone(rs.list)
}

// recordingServer answers the first failures requests with a 500
// InternalFailure and later ones with status 200 and body, recording each.
func recordingServer(t *testing.T, failures int, contentType string, body []byte) (*httptest.Server, *requests) {
	t.Helper()
	seen := &requests{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		n := seen.add(request{
			target: r.Header.Get("X-Amz-Target"), path: r.URL.Path, auth: r.Header.Get("Authorization"),
			contentType: r.Header.Get("Content-Type"), close: r.Close,
		})
		w.Header().Set("Content-Type", contentType)
		if n <= failures {
			w.Header().Set("Content-Type", "application/x-amz-json-1.1")
			w.WriteHeader(http.StatusInternalServerError)
			_, _ = io.WriteString(w, `{"__type":"InternalFailure","message":"injected"}`)
			return
		}
		_, _ = w.Write(body)
	}))
	t.Cleanup(srv.Close)
	return srv, seen
}

func TestKinesisClient(t *testing.T) {
	tests := []struct {
		name      string
		failures  int
		optFns    []func(*kinesis.Options)
		wantCalls int
		wantErr   bool
	}{
		{name: "answers at once", wantCalls: 1},
		{name: "two server errors are retried", failures: 2, wantCalls: 3},
		{name: "three server errors fail", failures: 3, wantCalls: 3, wantErr: true},
		{name: "RetryMaxAttempts 1 shows the first error", failures: 1, wantCalls: 1, wantErr: true,
			optFns: []func(*kinesis.Options){func(o *kinesis.Options) { o.RetryMaxAttempts = 1 }}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv, seen := recordingServer(t, tt.failures, "application/x-amz-json-1.1", []byte(`{"StreamNames":["a"],"HasMoreStreams":false}`))
			c := KinesisClient(t, srv.URL, tt.optFns...)
			start := time.Now()
			out, err := c.ListStreams(t.Context(), &kinesis.ListStreamsInput{})
			if d := time.Since(start); d > 2*time.Second {
				t.Errorf("ListStreams took %s; retries must be fast in tests", d)
			}
			var apiErr smithy.APIError
			switch {
			case tt.wantErr && (!errors.As(err, &apiErr) || apiErr.ErrorCode() != "InternalFailure"):
				t.Errorf("error = %v, want InternalFailure", err)
			case !tt.wantErr && err != nil:
				t.Fatalf("ListStreams: %v", err)
			case !tt.wantErr && (len(out.StreamNames) != 1 || out.StreamNames[0] != "a"):
				t.Errorf("StreamNames = %v, want [a]", out.StreamNames)
			}
			if len(seen.all()) != tt.wantCalls {
				t.Errorf("server saw %d requests, want %d", len(seen.all()), tt.wantCalls)
			}
			for _, r := range seen.all() {
				if r.target != "Kinesis_20131202.ListStreams" {
					t.Errorf("X-Amz-Target = %q", r.target)
				}
				if !strings.Contains(r.auth, "/"+Region+"/kinesis/aws4_request") {
					t.Errorf("Authorization %q is not signed for %s kinesis", r.auth, Region)
				}
				if r.close {
					t.Error("request asked for Connection: close: test clients keep their connections and close them at cleanup")
				}
			}
		})
	}
}

func TestCloudWatchClient(t *testing.T) {
	body := cbor.Encode(cbor.Map{"MetricDataResults": cbor.List{cbor.Map{
		"Id": cbor.String("m1"), "StatusCode": cbor.String("Complete"),
		"Timestamps": cbor.List{&cbor.Tag{ID: 1, Value: cbor.Uint(1700000040)}},
		"Values":     cbor.List{cbor.Float64(60)},
	}}})
	srv, seen := recordingServer(t, 1, "application/cbor", body)
	c := CloudWatchClient(t, srv.URL)
	out, err := c.GetMetricData(t.Context(), &cloudwatch.GetMetricDataInput{
		StartTime: aws.Time(time.Unix(1700000000, 0)), EndTime: aws.Time(time.Unix(1700000120, 0)),
		MetricDataQueries: []types.MetricDataQuery{{
			Id: aws.String("m1"),
			MetricStat: &types.MetricStat{
				Metric: &types.Metric{Namespace: aws.String("AWS/Kinesis"), MetricName: aws.String("IncomingBytes"),
					Dimensions: []types.Dimension{{Name: aws.String("StreamName"), Value: aws.String("s")}}},
				Period: aws.Int32(60), Stat: aws.String("Sum"),
			},
		}},
	})
	if err != nil {
		t.Fatalf("GetMetricData: %v", err)
	}
	if len(out.MetricDataResults) != 1 || len(out.MetricDataResults[0].Values) != 1 || out.MetricDataResults[0].Values[0] != 60 {
		t.Errorf("results = %+v, want one value 60", out.MetricDataResults)
	}
	if len(seen.all()) != 2 {
		t.Fatalf("server saw %d requests, want 2 (one retried error)", len(seen.all()))
	}
	for _, r := range seen.all() {
		if r.path != "/service/GraniteServiceVersion20100801/operation/GetMetricData" || r.contentType != "application/cbor" {
			t.Errorf("request %s (%s), want the rpc-v2-cbor GetMetricData path", r.path, r.contentType)
		}
		if !strings.Contains(r.auth, "/"+Region+"/monitoring/aws4_request") || r.close {
			t.Errorf("Authorization %q, close %v: want signed for %s monitoring, without Connection: close", r.auth, r.close, Region)
		}
	}
}
