package cmd

import (
	"bytes"
	"context"
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kinesis"
	ktypes "github.com/aws/aws-sdk-go-v2/service/kinesis/types"

	"github.com/kinspect/kinspect/internal/testenv"
	"github.com/kinspect/kinspect/kinesisx/local"
	"github.com/kinspect/kinspect/kinesisx/local/localtest"
)

func TestMetricsFlags(t *testing.T) {
	tests := []flagCase{
		{args: []string{"s"}, want: "s 15m0s table"},
		{args: []string{"s", "--since", "1h", "-o", "json"}, want: "s 1h0m0s json"},
		{args: []string{"s", "--since", "30s"}, wantErr: "want between 1m and 3h"},
		{args: []string{"s", "--since", "3h1m"}, wantErr: "want between 1m and 3h"},
		{args: []string{"s", "--since", "3h"}, want: "s 3h0m0s table"},
		{args: []string{"s", "-o", "yaml"}, wantErr: "want one of table, json"},
		{args: []string{}, wantErr: "accepts 1 arg"},
	}
	checkFlags(t, tests, func(got *string) *cobraCommand {
		return newMetricsCmdWith(newFactory(Stdio{}), func(_ context.Context, o *metricsOptions) error {
			*got = strings.Join([]string{o.Stream, o.Since.String(), o.Output}, " ")
			return nil
		})
	})
}

// metricsEnv is the built-in endpoint with its CloudWatch on one URL, a
// stream of two shards and 30 MiB put onto shard 0 in the current minute.
type metricsEnv struct {
	url, stream string
	clock       time.Time // when the records were put
	srv         *local.Server
	sdk         *kinesis.Client
}

func newMetricsEnv(t *testing.T, monitoring bool) *metricsEnv {
	t.Helper()
	clock := time.Now().Truncate(time.Minute).Add(10 * time.Second)
	now := func() time.Time { return clock }
	srv, url := localtest.Start(t, local.Options{Now: now})
	e := &metricsEnv{url: url, stream: testenv.StreamName(t), clock: clock, srv: srv, sdk: testenv.KinesisClient(t, url)}
	testenv.CreateStream(t, e.sdk, e.stream, 2)
	ctx := context.Background()
	if monitoring {
		if _, err := e.sdk.EnableEnhancedMonitoring(ctx, &kinesis.EnableEnhancedMonitoringInput{
			StreamName: aws.String(e.stream), ShardLevelMetrics: []ktypes.MetricsName{ktypes.MetricsNameAll},
		}); err != nil {
			t.Fatal(err)
		}
	}
	for range 6 {
		var entries []ktypes.PutRecordsRequestEntry
		for range 5 { // 1 MiB each, key included
			entries = append(entries, ktypes.PutRecordsRequestEntry{PartitionKey: aws.String("k"), ExplicitHashKey: aws.String("0"), Data: make([]byte, 1<<20-1)})
		}
		out, err := e.sdk.PutRecords(ctx, &kinesis.PutRecordsInput{StreamName: aws.String(e.stream), Records: entries})
		if err != nil || aws.ToInt32(out.FailedRecordCount) != 0 {
			t.Fatalf("put: %v", err)
		}
	}
	return e
}

// run runs `kinspect metrics` against the env a minute after the puts
// (their minute has ended) and returns stdout.
func (e *metricsEnv) run(t *testing.T, args ...string) string {
	t.Helper()
	return e.runAt(t, e.clock.Add(time.Minute), args...)
}

// runAt runs `kinspect metrics` with its clock at now.
func (e *metricsEnv) runAt(t *testing.T, now time.Time, args ...string) string {
	t.Helper()
	var out, errb bytes.Buffer
	f := newFactory(Stdio{In: strings.NewReader(""), Out: &out, Err: &errb})
	f.EndpointURL, f.Region = e.url, "us-east-1"
	c := newMetricsCmdWith(f, func(ctx context.Context, o *metricsOptions) error {
		o.now = func() time.Time { return now }
		return runMetrics(ctx, o)
	})
	c.SetArgs(args)
	c.SetOut(&out)
	c.SetErr(&errb)
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	if err := c.ExecuteContext(ctx); err != nil {
		t.Fatalf("metrics %v: %v\n%s", args, err, errb.String())
	}
	return out.String()
}

func TestMetricsJSONShape(t *testing.T) {
	e := newMetricsEnv(t, true)
	out := e.run(t, e.stream, "-o", "json")
	var got map[string]any
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if got["stream"] != e.stream || got["periodSeconds"] != 60.0 || got["enhancedMonitoring"] != true {
		t.Fatalf("header %v", got)
	}
	shards, _ := got["shards"].([]any)
	if len(shards) != 2 {
		t.Fatalf("shards %v", got["shards"])
	}
	keys := []string{"id", "minute", "incomingBytesPerSec", "incomingRecordsPerSec", "outgoingBytesPerSec", "iteratorAgeMs",
		"writeThrottled", "readThrottled", "incomingBytesUtilisation", "incomingRecordsUtilisation", "outgoingBytesUtilisation"}
	for i, s := range shards {
		m := s.(map[string]any)
		var have []string
		for k := range m {
			have = append(have, k)
		}
		slices.Sort(have)
		want := slices.Clone(keys)
		slices.Sort(want)
		if !slices.Equal(have, want) {
			t.Errorf("shard %d keys %v, want %v", i, have, want)
		}
	}
	s0, s1 := shards[0].(map[string]any), shards[1].(map[string]any)
	if s0["id"] != "shardId-000000000000" || s0["incomingBytesUtilisation"] != 0.5 || s0["incomingBytesPerSec"] != float64(512<<10) {
		t.Errorf("shard 0: %v", s0)
	}
	if _, err := time.Parse(time.RFC3339, s0["minute"].(string)); err != nil {
		t.Errorf("minute %v: %v", s0["minute"], err)
	}
	for _, k := range keys[1:] {
		if s1[k] != nil {
			t.Errorf("shard 1 %s = %v, want null", k, s1[k])
		}
	}
}

func TestMetricsTable(t *testing.T) {
	on := newMetricsEnv(t, true)
	out := on.run(t, on.stream)
	t.Logf("monitoring on:\n%s", out)
	for _, want := range []string{"shardId-000000000000", "512.0 KiB/s", "50%", "ITERATOR AGE", "total"} {
		if !strings.Contains(out, want) {
			t.Errorf("table lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "are off") {
		t.Errorf("says off while on:\n%s", out)
	}
	off := newMetricsEnv(t, false)
	out = off.run(t, off.stream)
	t.Logf("monitoring off:\n%s", out)
	for _, want := range []string{"Shard-level metrics are off", "kinspect monitoring " + off.stream + " on", "charges", "512.0 KiB/s", "25%"} {
		if !strings.Contains(out, want) {
			t.Errorf("table (monitoring off) lacks %q:\n%s", want, out)
		}
	}
}

// TestMetricsWithoutCloudWatch: against an endpoint that serves Kinesis
// only (as kinesis-mock and moto's Kinesis port do for CloudWatch's CBOR
// protocol), `metrics` says so on one line and exits 1.
func TestMetricsWithoutCloudWatch(t *testing.T) {
	e := newWriteEnv(t, local.Options{NoCloudWatch: true})
	stream := e.stream(1)
	r := e.run("", false, "metrics", stream)
	wantExit(t, r, 1, "does not serve CloudWatch")
	if strings.Contains(r.stderr, "minor value") || strings.Count(strings.TrimSpace(r.stderr), "\n") != 0 {
		t.Errorf("stderr %q: want one line without the decoder's words", r.stderr)
	}
}

// TestMetricsOpenMinuteIsNotShown: while the minute of the puts is still
// open, its partial Sum is no shard's figure; once it has ended it is.
func TestMetricsOpenMinuteIsNotShown(t *testing.T) {
	e := newMetricsEnv(t, true)
	shard0 := func(out string) map[string]any {
		var got metricsJSON
		if err := json.Unmarshal([]byte(out), &got); err != nil {
			t.Fatalf("%v\n%s", err, out)
		}
		b, _ := json.Marshal(got.Shards[0])
		var m map[string]any
		_ = json.Unmarshal(b, &m)
		return m
	}
	open := shard0(e.runAt(t, e.clock.Add(40*time.Second), e.stream, "-o", "json"))
	if open["minute"] != nil || open["incomingBytesPerSec"] != nil {
		t.Errorf("in the open minute: %v, want no figure yet", open)
	}
	done := shard0(e.run(t, e.stream, "-o", "json"))
	if done["minute"] != e.clock.Truncate(time.Minute).UTC().Format(time.RFC3339) || done["incomingBytesPerSec"] != float64(512<<10) {
		t.Errorf("after the minute: %v, want its figures", done)
	}
}
