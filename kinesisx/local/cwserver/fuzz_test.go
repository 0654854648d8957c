package cwserver

import (
	"math"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/aws/smithy-go/encoding/cbor"
)

func nan() float64 { return math.NaN() }

// FuzzGetMetricData feeds arbitrary bodies to the handler: every answer is
// a 200 with a CBOR result or a 4xx with a CBOR error body, never a panic
// (the handler's recover would turn one into a 500, which fails here).
// The seed corpus under testdata/fuzz holds bodies the real SDK sent.
func FuzzGetMetricData(f *testing.F) {
	f.Add(cbor.Encode(validRequest()))
	paged := validRequest()
	paged["MaxDatapoints"] = cbor.Uint(1)
	paged["ScanBy"] = cbor.String("TimestampAscending")
	f.Add(cbor.Encode(paged))
	f.Add([]byte{0xbf, 0xff})
	h := New(newFixture(), Options{Now: func() time.Time { return t0.Add(time.Hour) }})
	f.Fuzz(func(t *testing.T, body []byte) {
		out, aerr := h.getMetricData(body)
		if aerr != nil {
			if aerr.status >= 500 || aerr.code == "" || aerr.msg == "" {
				t.Fatalf("error %+v", aerr)
			}
			return
		}
		if _, err := cbor.Decode(cbor.Encode(out)); err != nil {
			t.Fatalf("response does not round-trip: %v", err)
		}
		// The same body through HTTP answers the same way.
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest(http.MethodPost, Path, bytesReader(body)))
		if rec.Code != http.StatusOK {
			t.Fatalf("HTTP %d for a body getMetricData accepted", rec.Code)
		}
	})
}
