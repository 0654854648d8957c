package cwserver

import (
	"net/http"
	"testing"
	"time"

	"github.com/aws/smithy-go/encoding/cbor"
)

func TestEncodeResultListLengths(t *testing.T) {
	for _, n := range []int{0, 1, 23, 24, 255, 256, 65535, 65536} {
		pts := make([]point, n)
		for i := range pts {
			pts[i] = point{t: t0.Add(time.Duration(i) * time.Minute), v: float64(i) + 0.5}
		}
		v, err := cbor.Decode(cbor.Encode(encodeResult(query{ID: "a", Label: "L"}, pts, "Complete")))
		if err != nil {
			t.Fatalf("n=%d: %v", n, err)
		}
		m := v.(cbor.Map)
		ts, vs := m["Timestamps"].(cbor.List), m["Values"].(cbor.List)
		if len(ts) != n || len(vs) != n {
			t.Fatalf("n=%d: %d timestamps, %d values", n, len(ts), len(vs))
		}
		if n == 0 {
			continue
		}
		last, err := cbor.AsTime(ts[n-1])
		if err != nil || !last.Equal(pts[n-1].t) || vs[n-1] != cbor.Float64(float64(n-1)+0.5) {
			t.Errorf("n=%d: last point %v %v (%v)", n, last, vs[n-1], err)
		}
	}
}

// fakeEndpoint stands in for *local.Server in Mount.
type fakeEndpoint struct {
	*fakeSource
	prefix string
	h      http.Handler
	match  func(*http.Request) bool
}

func (e *fakeEndpoint) MetricBuckets(stream, shard, metric string, from, to time.Time) []Bucket {
	return e.fakeSource.MetricBuckets(stream, shard, metric, from, to)
}

func (e *fakeEndpoint) Handle(prefix string, h http.Handler) { e.prefix, e.h = prefix, h }

func (e *fakeEndpoint) HandleIf(match func(*http.Request) bool, h http.Handler) { e.match = match }

func TestMountAndFuncs(t *testing.T) {
	e := &fakeEndpoint{fakeSource: newFixture()}
	h := Mount[Bucket](e, Options{Now: func() time.Time { return t0.Add(time.Hour) }})
	if e.prefix != PathPrefix || e.h != h {
		t.Fatalf("mounted %q", e.prefix)
	}
	out, aerr := h.getMetricData(cbor.Encode(validRequest()))
	if aerr != nil {
		t.Fatal(aerr)
	}
	r := out.(cbor.Map)["MetricDataResults"].(cbor.List)[0].(cbor.Map)
	if v, err := cbor.Decode(cbor.Encode(r["Values"])); err != nil || len(v.(cbor.List)) != 3 {
		t.Errorf("mounted handler values %v (%v)", v, err)
	}
	// The zero Funcs is a source with no data and monitoring off.
	out, aerr = New(Funcs{}, Options{}).getMetricData(cbor.Encode(validRequest()))
	if aerr != nil {
		t.Fatal(aerr)
	}
	r = out.(cbor.Map)["MetricDataResults"].(cbor.List)[0].(cbor.Map)
	if v, _ := cbor.Decode(cbor.Encode(r["Values"])); len(v.(cbor.List)) != 0 {
		t.Errorf("zero Funcs gave %v", v)
	}
}
