package latency_test

import (
	"context"
	"errors"
	"math"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/kinspect/kinspect/internal/testenv"
	"github.com/kinspect/kinspect/kinesisx"
	"github.com/kinspect/kinspect/kinesisx/latency"
	"github.com/kinspect/kinspect/kinesisx/local"
	"github.com/kinspect/kinspect/kinesisx/local/localtest"
)

func startLocal(t *testing.T, opts local.Options) string {
	t.Helper()
	return localtest.URL(t, opts)
}

// nearestRank is the percentile definition, computed independently of
// latency.Percentile.
func nearestRank(sorted []time.Duration, p float64) time.Duration {
	return sorted[int(math.Ceil(p/100*float64(len(sorted))))-1]
}

// Against the built-in endpoint with the Kinesis limits on, the lab shows
// the shape AWS shows: EFO delivers the whole run before polling does; and
// every figure of the report follows from its per-probe samples.
func TestLabOnLocalEndpointWithLimits(t *testing.T) {
	url := startLocal(t, local.Options{Limits: true})
	sdk := testenv.KinesisClient(t, url)
	stream := testenv.StreamName(t)
	testenv.CreateStream(t, sdk, stream, 2)
	c := kinesisx.New(sdk)
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()

	var phases []string
	rep, err := latency.Run(ctx, c, latency.Options{
		Stream: stream, Records: 1500, // at the default rate: what the 2 shards take
		Progress: func(p latency.Progress) {
			if len(phases) == 0 || phases[len(phases)-1] != p.Phase {
				phases = append(phases, p.Phase)
			}
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Sent != 1500 || rep.PutFailed != 0 || len(rep.Shards) != 2 || len(rep.Modes) != 2 || rep.RunID == "" || rep.Rate != 2000 {
		t.Fatalf("report %+v", rep)
	}
	if !strings.Contains(strings.Join(phases, ","), "putting") {
		t.Errorf("progress phases %v", phases)
	}
	// 1,500 probes at 2,000/s take about 0.75 s to put.
	if rep.PutDuration < 700*time.Millisecond || rep.PutDuration > 5*time.Second {
		t.Errorf("put duration %v", rep.PutDuration)
	}
	byMode := map[kinesisx.Mode]latency.ModeReport{}
	for _, m := range rep.Modes {
		byMode[m.Mode] = m
		if m.Seen != 1500 || !m.Complete() || m.Err != "" {
			t.Errorf("%s: seen %d missing %d duplicates %d err %q", m.Mode, m.Seen, m.Missing, m.Duplicates, m.Err)
		}
		checkConsistent(t, rep, m)
	}
	poll, efo := byMode[kinesisx.ModePolling], byMode[kinesisx.ModeEFO]
	t.Logf("polling: last %v p50 %v p99 %v max %v behind %d ms", poll.LastArrival, poll.P50, poll.P99, poll.Max, poll.MaxMillisBehindLatest)
	t.Logf("efo:     last %v p50 %v p99 %v max %v behind %d ms", efo.LastArrival, efo.P50, efo.P99, efo.Max, efo.MaxMillisBehindLatest)
	if efo.LastArrival >= poll.LastArrival {
		t.Errorf("EFO's last probe arrived after polling's: %v >= %v", efo.LastArrival, poll.LastArrival)
	}
	if efo.P50 >= poll.P50 {
		t.Errorf("EFO p50 %v not below polling's %v", efo.P50, poll.P50)
	}
	// The EFO consumer was the lab's own, and it is gone.
	st, err := c.DescribeStream(ctx, stream)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(efo.Consumer, "kinspect-") {
		t.Errorf("EFO consumer %q", efo.Consumer)
	}
	cons, err := c.ListConsumers(ctx, st.ARN)
	if err != nil {
		t.Fatal(err)
	}
	for _, cn := range cons {
		if cn.ARN == efo.Consumer && cn.Status != "DELETING" {
			t.Errorf("consumer %s left %s", cn.Name, cn.Status)
		}
	}
}

// checkConsistent recomputes a mode's figures from its samples.
func checkConsistent(t *testing.T, rep latency.Report, m latency.ModeReport) {
	t.Helper()
	if len(m.Samples) != m.Seen {
		t.Fatalf("%s: %d samples for %d seen", m.Mode, len(m.Samples), m.Seen)
	}
	var lat []time.Duration
	var sum time.Duration
	var firstPut, lastPut, lastRecv time.Time
	for i, s := range m.Samples {
		if i > 0 && s.Index <= m.Samples[i-1].Index {
			t.Fatalf("%s: samples out of order", m.Mode)
		}
		d := s.ReceivedAt.Sub(s.PutAt)
		if d < 0 {
			t.Errorf("%s: probe %d received before it was put", m.Mode, s.Index)
		}
		lat = append(lat, d)
		sum += d
		if firstPut.IsZero() || s.PutAt.Before(firstPut) {
			firstPut = s.PutAt
		}
		if s.PutAt.After(lastPut) {
			lastPut = s.PutAt
		}
		if s.ReceivedAt.After(lastRecv) {
			lastRecv = s.ReceivedAt
		}
	}
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	want := map[string][2]time.Duration{
		"min":  {m.Min, lat[0]},
		"max":  {m.Max, lat[len(lat)-1]},
		"p50":  {m.P50, nearestRank(lat, 50)},
		"p90":  {m.P90, nearestRank(lat, 90)},
		"p99":  {m.P99, nearestRank(lat, 99)},
		"mean": {m.Mean, sum / time.Duration(len(lat))},
		"last": {m.LastArrival, lastRecv.Sub(rep.Started)},
	}
	for name, v := range want {
		if v[0] != v[1] {
			t.Errorf("%s %s: report %v, samples give %v", m.Mode, name, v[0], v[1])
		}
	}
	// Every probe was seen, so the samples span the whole put.
	if !firstPut.Equal(rep.Started) || lastPut.Sub(firstPut) != rep.PutDuration {
		t.Errorf("%s: samples put from %v to %v; report %v for %v", m.Mode, firstPut, lastPut, rep.Started, rep.PutDuration)
	}
	if !(m.Min <= m.P50 && m.P50 <= m.P90 && m.P90 <= m.P99 && m.P99 <= m.Max) {
		t.Errorf("%s: percentiles out of order", m.Mode)
	}
}

func TestLabRefusals(t *testing.T) {
	url := startLocal(t, local.Options{})
	sdk := testenv.KinesisClient(t, url)
	stream := testenv.StreamName(t)
	testenv.CreateStream(t, sdk, stream, 1)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	tests := []struct {
		name string
		c    *kinesisx.Client
		opts latency.Options
		want string
	}{
		{"read-only", kinesisx.New(sdk, kinesisx.WithReadOnly(true)), latency.Options{Stream: stream}, "read-only mode refused it"},
		{"unknown shard", kinesisx.New(sdk), latency.Options{Stream: stream, Shards: []string{"shardId-000000000009"}}, "has no shard shardId-000000000009"},
		{"unknown stream", kinesisx.New(sdk), latency.Options{Stream: stream + "-nope"}, "latency lab"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := latency.Run(ctx, tt.c, tt.opts)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err = %v, want %q", err, tt.want)
			}
			if tt.name == "read-only" && !errors.Is(err, kinesisx.ErrReadOnly) {
				t.Errorf("not ErrReadOnly: %v", err)
			}
		})
	}
	// A read-only refusal put nothing: the shard is empty.
	t2, err := kinesisx.New(sdk).Tail(ctx, kinesisx.TailOptions{Stream: stream, From: kinesisx.StartPosition{Type: kinesisx.PositionTrimHorizon}})
	if err != nil {
		t.Fatal(err)
	}
	defer t2.Close()
	for b := range t2.Batches() {
		if len(b.Records) > 0 {
			t.Fatalf("records were put: %d", len(b.Records))
		}
		if b.CaughtUp {
			break
		}
	}
}
