package cwserver

import (
	"bytes"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/aws/smithy-go/encoding/cbor"
)

// errorBody decodes a CBOR error body and returns __type and message.
func errorBody(t *testing.T, resp *http.Response) (code, msg string) {
	t.Helper()
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	if ct := resp.Header.Get("Content-Type"); ct != "application/cbor" {
		t.Errorf("Content-Type %q", ct)
	}
	v, err := cbor.Decode(b)
	if err != nil {
		t.Fatalf("error body is not CBOR: %v (%x)", err, b)
	}
	m, ok := v.(cbor.Map)
	if !ok {
		t.Fatalf("error body %T", v)
	}
	c, _ := m["__type"].(cbor.String)
	s, _ := m["message"].(cbor.String)
	return string(c), string(s)
}

// validQuery is a well-formed MetricDataQuery as a CBOR map.
func validQuery() cbor.Map {
	return cbor.Map{"Id": cbor.String("a"), "MetricStat": cbor.Map{
		"Metric": cbor.Map{"Namespace": cbor.String(Namespace), "MetricName": cbor.String("IncomingBytes"),
			"Dimensions": cbor.List{cbor.Map{"Name": cbor.String("StreamName"), "Value": cbor.String("orders")}}},
		"Period": cbor.Uint(60), "Stat": cbor.String("Sum"),
	}}
}

func validRequest() cbor.Map {
	return cbor.Map{"MetricDataQueries": cbor.List{validQuery()}, "StartTime": epoch(t0), "EndTime": epoch(t0.Add(time.Hour))}
}

func TestMalformedBodies(t *testing.T) {
	with := func(edit func(m cbor.Map)) []byte {
		m := validRequest()
		edit(m)
		return cbor.Encode(m)
	}
	withQuery := func(edit func(q cbor.Map)) []byte {
		q := validQuery()
		edit(q)
		m := validRequest()
		m["MetricDataQueries"] = cbor.List{q}
		return cbor.Encode(m)
	}
	tests := []struct {
		name string
		body []byte
		code string
		msg  string
	}{
		{"empty body", nil, "SerializationException", "malformed CBOR"},
		{"JSON", []byte(`{"MetricDataQueries":[]}`), "SerializationException", "malformed CBOR"},
		{"truncated map", cbor.Encode(validRequest())[:20], "SerializationException", "malformed CBOR"},
		{"top-level list", cbor.Encode(cbor.List{}), "SerializationException", "want a CBOR map"},
		{"queries not a list", with(func(m cbor.Map) { m["MetricDataQueries"] = cbor.String("x") }), "SerializationException", "MetricDataQueries"},
		{"query not a map", with(func(m cbor.Map) { m["MetricDataQueries"] = cbor.List{cbor.Uint(1)} }), "SerializationException", "MetricDataQueries[0]"},
		{"time not tagged", with(func(m cbor.Map) { m["StartTime"] = cbor.Uint(5) }), "SerializationException", "StartTime"},
		{"time NaN", with(func(m cbor.Map) { m["EndTime"] = &cbor.Tag{ID: 1, Value: cbor.Float64(nan())} }), "SerializationException", "EndTime"},
		{"period a string", withQuery(func(q cbor.Map) { q["MetricStat"].(cbor.Map)["Period"] = cbor.String("60") }), "SerializationException", "Period"},
		{"negative period", withQuery(func(q cbor.Map) { q["MetricStat"].(cbor.Map)["Period"] = cbor.NegInt(60) }), "ValidationError", "Period"},
		{"huge period", withQuery(func(q cbor.Map) { q["MetricStat"].(cbor.Map)["Period"] = cbor.Uint(1 << 62) }), "ValidationError", "Period"},
		{"dimension not a map", withQuery(func(q cbor.Map) {
			q["MetricStat"].(cbor.Map)["Metric"].(cbor.Map)["Dimensions"] = cbor.List{cbor.String("x")}
		}), "SerializationException", "Dimensions[0]"},
		{"repeated dimension", withQuery(func(q cbor.Map) {
			d := cbor.Map{"Name": cbor.String("StreamName"), "Value": cbor.String("o")}
			q["MetricStat"].(cbor.Map)["Metric"].(cbor.Map)["Dimensions"] = cbor.List{d, d}
		}), "ValidationError", "repeated"},
		{"no metric stat", withQuery(func(q cbor.Map) { delete(q, "MetricStat") }), "ValidationError", "MetricStat is required"},
		{"both stat and expression", withQuery(func(q cbor.Map) { q["Expression"] = cbor.String("m1*2") }), "ValidationError", "not both"},
		{"no queries", with(func(m cbor.Map) { delete(m, "MetricDataQueries") }), "ValidationError", "at least one"},
		{"no start", with(func(m cbor.Map) { delete(m, "StartTime") }), "ValidationError", "StartTime"},
		{"bad ScanBy", with(func(m cbor.Map) { m["ScanBy"] = cbor.String("Sideways") }), "ValidationError", "ScanBy"},
		{"zero MaxDatapoints", with(func(m cbor.Map) { m["MaxDatapoints"] = cbor.Uint(0) }), "ValidationError", "MaxDatapoints"},
		{"deep nesting", bytes.Repeat([]byte{0x81}, 10000), "SerializationException", "malformed CBOR"},
	}
	srv := httptest.NewServer(New(newFixture(), Options{}))
	defer srv.Close()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, err := http.Post(srv.URL+Path, "application/cbor", bytes.NewReader(tt.body))
			if err != nil {
				t.Fatal(err)
			}
			code, msg := errorBody(t, resp)
			if resp.StatusCode != http.StatusBadRequest || code != tt.code || !strings.Contains(msg, tt.msg) {
				t.Errorf("%d %s %q, want 400 %s containing %q", resp.StatusCode, code, msg, tt.code, tt.msg)
			}
		})
	}
}

func TestOversizedBody(t *testing.T) {
	srv := httptest.NewServer(New(newFixture(), Options{}))
	defer srv.Close()
	resp, err := http.Post(srv.URL+Path, "application/cbor", bytes.NewReader(make([]byte, maxBody+1)))
	if err != nil {
		t.Fatal(err)
	}
	if code, _ := errorBody(t, resp); resp.StatusCode != http.StatusBadRequest || code != "ValidationError" {
		t.Errorf("%d %s", resp.StatusCode, code)
	}
}

func bytesReader(b []byte) *bytes.Reader { return bytes.NewReader(b) }
