// Package cwserver is the CloudWatch half of kinspect's built-in endpoint:
// GetMetricData for namespace AWS/Kinesis in Smithy RPC v2 CBOR (the wire
// format of service/cloudwatch v1.75), computed from one-minute buckets that
// a Source keeps of the endpoint's own traffic.
//
// It serves MetricStat queries (Period a multiple of 60; Stat Sum, Average,
// Maximum, Minimum or SampleCount) at stream level (dimension StreamName)
// and, as AWS does, at shard level (StreamName + ShardId) only for the
// metrics enhanced monitoring has turned on. Metric math expressions are
// refused with a ValidationError that says so. Malformed input is answered
// with a CBOR error body, never a panic.
//
// A Handler holds no mutable state: it is safe for concurrent use, and the
// Source must be too.
package cwserver

import (
	"errors"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/aws/smithy-go/encoding/cbor"
)

// Path is the URL path of GetMetricData; PathPrefix is that of every
// CloudWatch operation in RPC v2 CBOR.
const (
	PathPrefix = "/service/GraniteServiceVersion20100801/operation/"
	Path       = PathPrefix + "GetMetricData"
)

// maxBody caps a request body: 500 queries with long names fit in far less.
const maxBody = 4 << 20

// Bucket is one minute of one metric. Its fields are those of
// local.Bucket, so a slice converts element by element with Bucket(b).
type Bucket struct {
	Start       time.Time // the minute, truncated
	Sum         float64
	SampleCount float64
	Min, Max    float64
}

// Source is where the numbers come from: the local endpoint's traffic.
type Source interface {
	// MetricBuckets returns the buckets of one metric with Start in
	// [from, to), oldest first; minutes without data are absent. shardID ""
	// is the stream level.
	MetricBuckets(stream, shardID, metric string, from, to time.Time) []Bucket
	// EnhancedMonitoring returns the shard-level metrics turned on for a
	// stream (possibly "ALL"); empty when off.
	EnhancedMonitoring(stream string) []string
	// MetricSeries lists the metrics with data, in any order.
	MetricSeries() []Series
}

// Series is one metric the Source has data for: stream level when ShardID
// is "". Last is the start of its newest minute.
type Series struct {
	Stream, ShardID, Metric string
	Last                    time.Time
}

// Funcs adapts two functions to a Source, so the endpoint can mount a
// Handler without a named adapter type.
type Funcs struct {
	Buckets    func(stream, shardID, metric string, from, to time.Time) []Bucket
	Monitoring func(stream string) []string
	Series     func() []Series
}

// MetricSeries calls f.Series (nil: no metrics).
func (f Funcs) MetricSeries() []Series {
	if f.Series == nil {
		return nil
	}
	return f.Series()
}

// MetricBuckets calls f.Buckets (nil: no data).
func (f Funcs) MetricBuckets(stream, shardID, metric string, from, to time.Time) []Bucket {
	if f.Buckets == nil {
		return nil
	}
	return f.Buckets(stream, shardID, metric, from, to)
}

// EnhancedMonitoring calls f.Monitoring (nil: off).
func (f Funcs) EnhancedMonitoring(stream string) []string {
	if f.Monitoring == nil {
		return nil
	}
	return f.Monitoring(stream)
}

// bucketLike is a bucket type with Bucket's fields (local.Bucket).
type bucketLike interface {
	~struct {
		Start       time.Time
		Sum         float64
		SampleCount float64
		Min, Max    float64
	}
}

// BucketsOf adapts a MetricBuckets method whose bucket type has Bucket's
// fields (local.Bucket) to Funcs.Buckets.
func BucketsOf[B bucketLike](f func(stream, shardID, metric string, from, to time.Time) []B) func(stream, shardID, metric string, from, to time.Time) []Bucket {
	return func(stream, shardID, metric string, from, to time.Time) []Bucket {
		bs := f(stream, shardID, metric, from, to)
		out := make([]Bucket, len(bs))
		for i, b := range bs {
			out[i] = Bucket(b)
		}
		return out
	}
}

// Endpoint is what Mount needs of the local endpoint (*local.Server with
// B = local.Bucket): its per-minute metrics, its monitoring state and a way
// to serve another protocol on its port.
type Endpoint[B bucketLike] interface {
	MetricBuckets(stream, shardID, metric string, from, to time.Time) []B
	EnhancedMonitoring(stream string) []string
	MetricSeries() []Series
	Handle(prefix string, h http.Handler)
}

// Mount serves CloudWatch GetMetricData on the endpoint's own port, under
// PathPrefix, computed from its traffic:
//
//	srv := local.New(local.Options{})
//	cwserver.Mount[local.Bucket](srv, cwserver.Options{Delay: 2 * time.Minute})
func Mount[B bucketLike](e Endpoint[B], opts Options) *Handler {
	h := New(Funcs{Buckets: BucketsOf(e.MetricBuckets), Monitoring: e.EnhancedMonitoring, Series: e.MetricSeries}, opts)
	e.Handle(PathPrefix, h)
	return h
}

// Options configure a Handler.
type Options struct {
	// Delay is the publication lag: a minute is served only once
	// now-Delay has reached its start, as CloudWatch publishes minutes one
	// to three minutes late. Zero serves even the current minute.
	Delay time.Duration
	// Now is the clock (default time.Now).
	Now func() time.Time
}

// Handler serves CloudWatch GetMetricData over a Source.
type Handler struct {
	src  Source
	opts Options
}

// New returns a Handler over src.
func New(src Source, opts Options) *Handler {
	if opts.Now == nil {
		opts.Now = time.Now
	}
	return &Handler{src: src, opts: opts}
}

// ServeHTTP answers one RPC v2 CBOR request.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	defer func() {
		if v := recover(); v != nil {
			if v == http.ErrAbortHandler { //nolint:errorlint // sentinel value
				panic(v)
			}
			writeError(w, errInternal("internal error"))
		}
	}()
	if r.Method != http.MethodPost {
		writeError(w, &apiError{status: http.StatusMethodNotAllowed, code: "UnknownOperationException", msg: "only POST is supported"})
		return
	}
	op, ok := strings.CutPrefix(r.URL.Path, PathPrefix)
	if !ok || op != "GetMetricData" {
		writeError(w, &apiError{status: http.StatusNotFound, code: "UnknownOperationException",
			msg: "the local endpoint's CloudWatch serves only GetMetricData, not " + r.URL.Path})
		return
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxBody))
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			writeError(w, errValidation("request body exceeds %d bytes", maxBody))
			return
		}
		writeError(w, errSerialization("read request body: %v", err))
		return
	}
	out, aerr := h.getMetricData(body)
	if aerr != nil {
		writeError(w, aerr)
		return
	}
	writeCBOR(w, http.StatusOK, out)
}

// getMetricData decodes, validates and answers one request body.
func (h *Handler) getMetricData(body []byte) (cbor.Value, *apiError) {
	req, aerr := decodeRequest(body)
	if aerr != nil {
		return nil, aerr
	}
	return h.answer(req)
}

func writeCBOR(w http.ResponseWriter, status int, v cbor.Value) {
	w.Header().Set("Content-Type", "application/cbor")
	w.Header().Set("Smithy-Protocol", "rpc-v2-cbor")
	w.WriteHeader(status)
	_, _ = w.Write(cbor.Encode(v))
}
