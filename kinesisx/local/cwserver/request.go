package cwserver

import (
	"fmt"
	"math"
	"regexp"
	"time"

	"github.com/aws/smithy-go/encoding/cbor"
)

// Limits of GetMetricData (botocore cloudwatch model and API reference).
const (
	maxQueries       = 500
	defaultMaxPoints = 100800
	maxIDLen         = 255
	maxDimensions    = 30
	maxPeriodSeconds = 86400 * 455
)

var idPattern = regexp.MustCompile(`^[a-z][a-zA-Z0-9_]*$`)

// request is a decoded GetMetricData input.
type request struct {
	Queries    []query
	Start, End time.Time
	NextToken  string
	Ascending  bool // ScanBy TimestampAscending
	MaxPoints  int
}

// query is one MetricDataQuery with a MetricStat.
type query struct {
	ID, Label  string
	ReturnData bool
	Namespace  string
	MetricName string
	Dimensions map[string]string
	Period     int64 // seconds
	Stat       string
	Unit       string // "" for any
}

// decodeCBORMap decodes a CBOR body that must be a map
// (SerializationException otherwise).
func decodeCBORMap(body []byte) (cbor.Map, *apiError) {
	v, err := cbor.Decode(body)
	if err != nil {
		return nil, errSerialization("malformed CBOR request body: %v", err)
	}
	m, ok := v.(cbor.Map)
	if !ok {
		return nil, errSerialization("request body: want a CBOR map, got %T", v)
	}
	return m, nil
}

// decodeRequest turns an input into a request: wrong types are
// SerializationException, constraint violations ValidationError.
func decodeRequest(m cbor.Map) (request, *apiError) {
	var req request
	d := &decoder{}
	qs := d.list(m, "MetricDataQueries")
	req.Start = d.time(m, "StartTime")
	req.End = d.time(m, "EndTime")
	req.NextToken = d.str(m, "NextToken")
	scanBy := d.str(m, "ScanBy")
	maxPoints, hasMax := d.int(m, "MaxDatapoints")
	if d.err != nil {
		return req, d.err
	}
	for i, qv := range qs {
		qm, ok := qv.(cbor.Map)
		if !ok {
			return req, errSerialization("MetricDataQueries[%d]: want a map, got %T", i, qv)
		}
		q, aerr := decodeQuery(qm, i)
		if aerr != nil {
			return req, aerr
		}
		req.Queries = append(req.Queries, q)
	}
	switch scanBy {
	case "", "TimestampDescending":
	case "TimestampAscending":
		req.Ascending = true
	default:
		return req, errValidation("ScanBy %q: want TimestampDescending or TimestampAscending", scanBy)
	}
	req.MaxPoints = defaultMaxPoints
	if hasMax {
		if maxPoints <= 0 {
			return req, errValidation("MaxDatapoints %d: want a positive number", maxPoints)
		}
		req.MaxPoints = int(min(maxPoints, defaultMaxPoints))
	}
	return req, validate(req, m)
}

func decodeQuery(m cbor.Map, i int) (query, *apiError) {
	d := &decoder{path: fmt.Sprintf("MetricDataQueries[%d].", i)}
	q := query{ID: d.str(m, "Id"), Label: d.str(m, "Label"), ReturnData: true}
	if rd, ok := d.bool(m, "ReturnData"); ok {
		q.ReturnData = rd
	}
	expr := d.str(m, "Expression")
	ms := d.mapOf(m, "MetricStat")
	if d.err != nil {
		return q, d.err
	}
	switch {
	case !idPattern.MatchString(q.ID) || len(q.ID) > maxIDLen:
		return q, errValidation("%sId %q: must start with a lowercase letter and hold only letters, digits and _ (at most %d characters)", d.path, q.ID, maxIDLen)
	case expr != "" && ms != nil:
		return q, errValidation("query %s: give a MetricStat or an Expression, not both", q.ID)
	case expr != "":
		return q, errValidation("query %s: kinspect's local endpoint does not evaluate metric math or Metrics Insights expressions; use MetricStat queries", q.ID)
	case ms == nil:
		return q, errValidation("query %s: a MetricStat is required", q.ID)
	}
	metric := d.mapOf(ms, "Metric")
	period, hasPeriod := d.int(ms, "Period")
	q.Stat = d.str(ms, "Stat")
	q.Unit = d.str(ms, "Unit")
	q.Namespace = d.str(metric, "Namespace")
	q.MetricName = d.str(metric, "MetricName")
	dims := d.list(metric, "Dimensions")
	if d.err != nil {
		return q, d.err
	}
	q.Dimensions, d.err = d.dimensions(dims, "MetricStat.Metric.Dimensions", errValidation)
	if d.err != nil {
		return q, d.err
	}
	switch {
	case q.MetricName == "" || q.Namespace == "":
		return q, errValidation("query %s: MetricStat.Metric needs a Namespace and a MetricName", q.ID)
	case !hasPeriod || !validPeriod(period):
		return q, errValidation("query %s: Period %d: want 1, 5, 10, 20, 30 or a multiple of 60 seconds", q.ID, period)
	case !knownStat(q.Stat):
		return q, errValidation("query %s: Stat %q: this endpoint serves Sum, Average, Maximum, Minimum and SampleCount", q.ID, q.Stat)
	}
	q.Period = period
	if q.Label == "" {
		q.Label = q.MetricName
	}
	return q, nil
}

func validate(req request, m cbor.Map) *apiError {
	if _, ok := m["MetricDataQueries"]; !ok || len(req.Queries) == 0 {
		return errValidation("MetricDataQueries: at least one query is required")
	}
	if len(req.Queries) > maxQueries {
		return errValidation("MetricDataQueries: %d queries, at most %d per call", len(req.Queries), maxQueries)
	}
	if _, ok := m["StartTime"]; !ok {
		return errValidation("StartTime is required")
	}
	if _, ok := m["EndTime"]; !ok {
		return errValidation("EndTime is required")
	}
	if !req.Start.Before(req.End) {
		return errValidation("the parameter StartTime must be less than the parameter EndTime")
	}
	seen := make(map[string]bool, len(req.Queries))
	for _, q := range req.Queries {
		if seen[q.ID] {
			return errValidation("duplicate query Id %q", q.ID)
		}
		seen[q.ID] = true
	}
	return nil
}

// validPeriod reports whether CloudWatch takes a period: 1, 5, 10, 20 or
// 30 seconds (high resolution) or a multiple of 60.
func validPeriod(p int64) bool {
	switch p {
	case 1, 5, 10, 20, 30:
		return true
	}
	return p >= 60 && p%60 == 0 && p <= maxPeriodSeconds
}

// dimensions decodes a list of {Name, Value}: a name empty or repeated, or
// more than maxDimensions, is refused with invalid.
func (d *decoder) dimensions(dims cbor.List, path string, invalid func(string, ...any) *apiError) (map[string]string, *apiError) {
	if len(dims) > maxDimensions {
		return nil, invalid("%s%s: at most %d dimensions", d.path, path, maxDimensions)
	}
	out := make(map[string]string, len(dims))
	for j, dv := range dims {
		dm, ok := dv.(cbor.Map)
		if !ok {
			return nil, errSerialization("%s%s[%d]: want a map, got %T", d.path, path, j, dv)
		}
		name, value := d.str(dm, "Name"), d.str(dm, "Value")
		if d.err != nil {
			return nil, d.err
		}
		if _, dup := out[name]; dup || name == "" {
			return nil, invalid("%s%s: dimension name %q is empty or repeated", d.path, path, name)
		}
		out[name] = value
	}
	return out, nil
}

func knownStat(s string) bool {
	switch s {
	case "Sum", "Average", "Maximum", "Minimum", "SampleCount":
		return true
	}
	return false
}

// decoder reads typed fields of CBOR maps, keeping the first error.
type decoder struct {
	path string
	err  *apiError
}

func (d *decoder) field(m cbor.Map, key string) (cbor.Value, bool) {
	if d.err != nil || m == nil {
		return nil, false
	}
	v, ok := m[key]
	if _, null := v.(*cbor.Nil); null {
		return nil, false
	}
	return v, ok
}

func (d *decoder) fail(key, want string, v cbor.Value) {
	d.err = errSerialization("%s%s: want %s, got %T", d.path, key, want, v)
}

func (d *decoder) str(m cbor.Map, key string) string {
	v, ok := d.field(m, key)
	if !ok {
		return ""
	}
	s, ok := v.(cbor.String)
	if !ok {
		d.fail(key, "a text string", v)
	}
	return string(s)
}

func (d *decoder) bool(m cbor.Map, key string) (bool, bool) {
	v, ok := d.field(m, key)
	if !ok {
		return false, false
	}
	b, ok := v.(cbor.Bool)
	if !ok {
		d.fail(key, "a boolean", v)
	}
	return bool(b), ok
}

func (d *decoder) int(m cbor.Map, key string) (int64, bool) {
	v, ok := d.field(m, key)
	if !ok {
		return 0, false
	}
	n, err := cbor.AsInt64(v)
	if err != nil {
		d.fail(key, "an integer", v)
		return 0, false
	}
	return n, true
}

func (d *decoder) time(m cbor.Map, key string) time.Time {
	v, ok := d.field(m, key)
	if !ok {
		return time.Time{}
	}
	if tag, isTag := v.(*cbor.Tag); isTag {
		if f, err := cbor.AsFloat64(tag.Value); err == nil && (math.IsNaN(f) || math.IsInf(f, 0) || math.Abs(f) > 1e12) {
			d.fail(key, "an epoch time within reach", v)
			return time.Time{}
		}
	}
	t, err := cbor.AsTime(v)
	if err != nil {
		d.fail(key, "an epoch timestamp (tag 1)", v)
	}
	return t
}

func (d *decoder) list(m cbor.Map, key string) cbor.List {
	v, ok := d.field(m, key)
	if !ok {
		return nil
	}
	l, ok := v.(cbor.List)
	if !ok {
		d.fail(key, "a list", v)
	}
	return l
}

func (d *decoder) mapOf(m cbor.Map, key string) cbor.Map {
	v, ok := d.field(m, key)
	if !ok {
		return nil
	}
	mm, ok := v.(cbor.Map)
	if !ok {
		d.fail(key, "a map", v)
	}
	return mm
}
