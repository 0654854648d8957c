// Package cwserver is the CloudWatch half of kinspect's built-in endpoint:
// GetMetricData, GetMetricStatistics and ListMetrics for namespace
// AWS/Kinesis in the three protocols CloudWatch speaks (Smithy RPC v2 CBOR,
// the wire format of aws-sdk-go-v2's service/cloudwatch v1.75; JSON 1.0,
// botocore's and the AWS CLI's; the Query protocol, older SDKs' and
// Grafana's), computed from one-minute buckets that a Source keeps of the
// endpoint's own traffic. Other operations are answered with each
// protocol's error for an operation the service does not have.
//
// It serves MetricStat queries (Period 1, 5, 10, 20, 30 or a multiple of
// 60, as CloudWatch allows; the data is per minute, as Kinesis publishes
// it, so a high-resolution period holds one minute's point; Stat Sum, Average,
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
	HandleIf(match func(*http.Request) bool, h http.Handler)
}

// Mount serves CloudWatch on the endpoint's own port (RPC v2 CBOR under
// PathPrefix, JSON 1.0 and Query where Matches), computed from its traffic:
//
//	srv := local.New(local.Options{})
//	cwserver.Mount[local.Bucket](srv, cwserver.Options{Delay: 2 * time.Minute})
func Mount[B bucketLike](e Endpoint[B], opts Options) *Handler {
	h := New(Funcs{Buckets: BucketsOf(e.MetricBuckets), Monitoring: e.EnhancedMonitoring, Series: e.MetricSeries}, opts)
	e.Handle(PathPrefix, h)
	e.HandleIf(Matches, h)
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

// Handler serves CloudWatch's metric reads over a Source.
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

// ServeHTTP answers one CloudWatch request in whichever protocol it came:
// RPC v2 CBOR (by path), JSON 1.0 (by X-Amz-Target) or Query (a form).
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	p, op := protocolOf(r)
	defer func() {
		if v := recover(); v != nil {
			if v == http.ErrAbortHandler { //nolint:errorlint // sentinel value
				panic(v)
			}
			writeProtocolError(w, p, errInternal("internal error"))
		}
	}()
	if r.Method != http.MethodPost && p != protoQuery {
		writeProtocolError(w, p, &apiError{status: http.StatusMethodNotAllowed, code: "UnknownOperationException", msg: "only POST is supported"})
		return
	}
	in, op, aerr := readInput(w, r, p, op)
	if aerr != nil {
		writeProtocolError(w, p, aerr)
		return
	}
	var fn func(cbor.Map) (cbor.Value, *apiError)
	switch op {
	case "GetMetricData":
		fn = h.getMetricDataMap
	case "GetMetricStatistics":
		fn = h.getMetricStatistics
	case "ListMetrics":
		fn = h.listMetrics
	default:
		writeProtocolError(w, p, errUnsupported(p, op))
		return
	}
	out, aerr := fn(in)
	if aerr != nil {
		writeProtocolError(w, p, aerr)
		return
	}
	writeAnswer(w, p, op, out)
}

// readInput reads a request's input as a value tree, and for the Query
// protocol its operation (Action).
func readInput(w http.ResponseWriter, r *http.Request, p protocol, op string) (cbor.Map, string, *apiError) {
	r.Body = http.MaxBytesReader(w, r.Body, maxBody)
	if p == protoQuery {
		if err := r.ParseForm(); err != nil {
			return nil, "", errMalformedQuery("read the form: %v", err)
		}
		in, aerr := decodeForm(r.Form)
		return in, r.Form.Get("Action"), aerr
	}
	body, err := io.ReadAll(r.Body)
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return nil, op, errValidation("request body exceeds %d bytes", maxBody)
		}
		return nil, op, errSerialization("read request body: %v", err)
	}
	if p == protoJSON {
		in, aerr := decodeJSON(body)
		return in, op, aerr
	}
	if op != "GetMetricData" && op != "GetMetricStatistics" && op != "ListMetrics" {
		return nil, op, errUnsupported(p, op) // before decoding a body it does not take
	}
	in, aerr := decodeCBORMap(body)
	return in, op, aerr
}

// getMetricData decodes, validates and answers one CBOR request body.
func (h *Handler) getMetricData(body []byte) (cbor.Value, *apiError) {
	m, aerr := decodeCBORMap(body)
	if aerr != nil {
		return nil, aerr
	}
	return h.getMetricDataMap(m)
}

// getMetricDataMap validates and answers one GetMetricData input.
func (h *Handler) getMetricDataMap(m cbor.Map) (cbor.Value, *apiError) {
	req, aerr := decodeRequest(m)
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
