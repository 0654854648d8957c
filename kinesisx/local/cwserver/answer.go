package cwserver

import (
	"encoding/base64"
	"encoding/binary"
	"fmt"
	"hash/fnv"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/aws/smithy-go/encoding/cbor"
)

// Namespace is the only namespace with data here.
const Namespace = "AWS/Kinesis"

// point is one period of one query.
type point struct {
	t time.Time
	v float64
}

// answer computes one page of results. Pages hold at most MaxPoints data
// points; a query cut short is PartialData and NextToken resumes it after
// its last timestamp, so minutes published between pages are not repeated.
func (h *Handler) answer(req request) (cbor.Value, *apiError) {
	tok, aerr := parseToken(req)
	if aerr != nil {
		return nil, aerr
	}
	cutoff := h.opts.Now().Add(-h.opts.Delay)
	// CloudWatch rounds a StartTime under 15 days old down to the minute
	// and aligns periods to it.
	start := req.Start.Truncate(time.Minute)
	budget := req.MaxPoints
	results := cbor.List{}
	next := ""
	for qi := tok.query; qi < len(req.Queries); qi++ {
		q := req.Queries[qi]
		if !q.ReturnData {
			continue
		}
		pts := h.points(q, start, req.End, cutoff, req.Ascending)
		if qi == tok.query && tok.hasCursor {
			pts = afterCursor(pts, tok.cursor, req.Ascending)
		}
		if budget == 0 && len(pts) > 0 {
			next = makeToken(req, qi, false, time.Time{})
			break
		}
		status := "Complete"
		if len(pts) > budget {
			pts = pts[:budget]
			status = "PartialData"
			next = makeToken(req, qi, true, pts[len(pts)-1].t)
		}
		budget -= len(pts)
		results = append(results, encodeResult(q, pts, status))
		if next != "" {
			break
		}
	}
	out := cbor.Map{"MetricDataResults": results, "Messages": cbor.List{}}
	if next != "" {
		out["NextToken"] = cbor.String(next)
	}
	return out, nil
}

// periodBucket is the samples of one period.
type periodBucket struct {
	t time.Time
	b Bucket
}

// aggregate returns the query's periods with data within [start, end),
// oldest first: minutes after cutoff are not yet published, and a period
// CloudWatch does not keep for data as old as start gives nothing.
func (h *Handler) aggregate(q query, start, end, cutoff time.Time) []periodBucket {
	stream, shard, ok := h.target(q)
	if !ok || !periodServes(q.Period, start, h.opts.Now()) {
		return nil
	}
	period := time.Duration(q.Period) * time.Second
	var out []periodBucket
	var accIdx int64 = -1
	for _, b := range h.src.MetricBuckets(stream, shard, q.MetricName, start, end) {
		if b.Start.Before(start) || !b.Start.Before(end) || b.Start.After(cutoff) || b.SampleCount <= 0 {
			continue
		}
		idx := int64(b.Start.Sub(start) / period)
		if idx != accIdx {
			accIdx = idx
			out = append(out, periodBucket{t: start.Add(time.Duration(idx) * period), b: b})
			continue
		}
		acc := &out[len(out)-1].b
		acc.Sum += b.Sum
		acc.SampleCount += b.SampleCount
		acc.Min = min(acc.Min, b.Min)
		acc.Max = max(acc.Max, b.Max)
	}
	return out
}

// periodServes applies CloudWatch's rule on periods and the age of the
// data: from a StartTime over 3 hours ago the period must be a multiple of
// 60 s, over 15 days of 300 s, over 63 days of 3600 s, or no data points
// come back.
func periodServes(period int64, start, now time.Time) bool {
	age := now.Sub(start)
	switch {
	case age > 63*24*time.Hour:
		return period%3600 == 0
	case age > 15*24*time.Hour:
		return period%300 == 0
	case age > 3*time.Hour:
		return period%60 == 0
	}
	return true
}

// points returns the query's data points within [start, end), oldest
// first unless descending.
func (h *Handler) points(q query, start, end, cutoff time.Time, ascending bool) []point {
	pbs := h.aggregate(q, start, end, cutoff)
	pts := make([]point, len(pbs))
	for i, pb := range pbs {
		pts[i] = point{t: pb.t, v: stat(q.Stat, pb.b)}
	}
	if !ascending {
		slices.Reverse(pts)
	}
	return pts
}

// target maps a query's dimensions to a stream and shard ("" for the
// stream level); ok is false where CloudWatch would have no such metric,
// including shard-level metrics that enhanced monitoring has not turned on.
func (h *Handler) target(q query) (stream, shard string, ok bool) {
	if q.Namespace != Namespace || (q.Unit != "" && q.Unit != unitOf(q.MetricName)) {
		return "", "", false
	}
	stream, hasStream := q.Dimensions["StreamName"]
	shard, hasShard := q.Dimensions["ShardId"]
	switch {
	case hasStream && len(q.Dimensions) == 1:
		return stream, "", true
	case hasStream && hasShard && len(q.Dimensions) == 2:
		return stream, shard, h.visible(Series{Stream: stream, ShardID: shard, Metric: q.MetricName})
	}
	return "", "", false
}

// visible reports whether a series is served: stream-level ones always,
// shard-level ones while enhanced monitoring is on for their metric.
func (h *Handler) visible(s Series) bool {
	if s.ShardID == "" {
		return true
	}
	for _, m := range h.src.EnhancedMonitoring(s.Stream) {
		if strings.EqualFold(m, s.Metric) || strings.EqualFold(m, "ALL") {
			return true
		}
	}
	return false
}

// unitOf is the unit Kinesis publishes a metric in; CloudWatch returns no
// data for a query that asks for another unit.
func unitOf(metric string) string {
	switch {
	case strings.HasSuffix(metric, "Bytes"):
		return "Bytes"
	case strings.HasSuffix(metric, "Latency"), strings.HasSuffix(metric, "Milliseconds"), strings.HasSuffix(metric, "MillisBehindLatest"):
		return "Milliseconds"
	default:
		return "Count"
	}
}

func stat(name string, b Bucket) float64 {
	switch name {
	case "Sum":
		return b.Sum
	case "Average":
		return b.Sum / b.SampleCount
	case "Maximum":
		return b.Max
	case "Minimum":
		return b.Min
	default: // SampleCount; decodeQuery admits no other
		return b.SampleCount
	}
}

func afterCursor(pts []point, cursor time.Time, ascending bool) []point {
	for i, p := range pts {
		if (ascending && p.t.After(cursor)) || (!ascending && p.t.Before(cursor)) {
			return pts[i:]
		}
	}
	return nil
}

// encodeResult encodes one MetricDataResult. The two lists are encoded
// straight to bytes: a Value per data point would cost three allocations.
func encodeResult(q query, pts []point, status string) cbor.Value {
	ts := listHeader(len(pts), 10)
	vs := listHeader(len(pts), 9)
	for _, p := range pts {
		ts = append(ts, 0xc1) // tag 1: epoch seconds
		ts = appendFloat64(ts, float64(p.t.UnixMilli())/1e3)
		vs = appendFloat64(vs, p.v)
	}
	return cbor.Map{
		"Id": cbor.String(q.ID), "Label": cbor.String(q.Label), "StatusCode": cbor.String(status),
		"Timestamps": cbor.EncodeRaw(ts), "Values": cbor.EncodeRaw(vs),
	}
}

// listHeader starts a definite-length CBOR list (major type 4) of n items
// of about itemSize bytes each.
func listHeader(n, itemSize int) []byte {
	b := make([]byte, 0, 9+n*itemSize)
	switch {
	case n < 24:
		return append(b, 0x80|byte(n))
	case n <= math.MaxUint8:
		return append(b, 0x98, byte(n))
	case n <= math.MaxUint16:
		return binary.BigEndian.AppendUint16(append(b, 0x99), uint16(n))
	default:
		return binary.BigEndian.AppendUint32(append(b, 0x9a), uint32(n))
	}
}

func appendFloat64(b []byte, v float64) []byte {
	return binary.BigEndian.AppendUint64(append(b, 0xfb), math.Float64bits(v))
}

// pageToken is a decoded NextToken: resume at query index query, after
// cursor when hasCursor.
type pageToken struct {
	query     int
	hasCursor bool
	cursor    time.Time
}

// fingerprint binds a token to the request that produced it.
func fingerprint(req request) string {
	h := fnv.New32a()
	fmt.Fprintf(h, "%d|%d|%t|%d", req.Start.UnixNano(), req.End.UnixNano(), req.Ascending, len(req.Queries))
	for _, q := range req.Queries {
		fmt.Fprintf(h, "|%s", q.ID)
	}
	return strconv.FormatUint(uint64(h.Sum32()), 36)
}

func makeToken(req request, qi int, hasCursor bool, cursor time.Time) string {
	c := "-"
	if hasCursor {
		c = strconv.FormatInt(cursor.UnixMilli(), 10)
	}
	raw := fmt.Sprintf("v1.%d.%s.%s", qi, c, fingerprint(req))
	return base64.RawURLEncoding.EncodeToString([]byte(raw))
}

func parseToken(req request) (pageToken, *apiError) {
	if req.NextToken == "" {
		return pageToken{}, nil
	}
	bad := errNextToken("NextToken is not valid for this request")
	raw, err := base64.RawURLEncoding.DecodeString(req.NextToken)
	if err != nil {
		return pageToken{}, bad
	}
	parts := strings.Split(string(raw), ".")
	if len(parts) != 4 || parts[0] != "v1" || parts[3] != fingerprint(req) {
		return pageToken{}, bad
	}
	qi, err := strconv.Atoi(parts[1])
	if err != nil || qi < 0 || qi >= len(req.Queries) {
		return pageToken{}, bad
	}
	tok := pageToken{query: qi}
	if parts[2] != "-" {
		ms, err := strconv.ParseInt(parts[2], 10, 64)
		if err != nil {
			return pageToken{}, bad
		}
		tok.hasCursor, tok.cursor = true, time.UnixMilli(ms)
	}
	return tok, nil
}
