package cwserver

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"math"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/aws/smithy-go/encoding/cbor"
)

// protocol is one of the three wire protocols CloudWatch speaks. Every one
// decodes its input to the same CBOR value tree, so an operation is written
// once; the answer, also a tree, is encoded back in the caller's protocol.
type protocol int

const (
	protoCBOR  protocol = iota // Smithy RPC v2 CBOR (aws-sdk-go-v2)
	protoJSON                  // JSON 1.0 with X-Amz-Target (botocore, the AWS CLI)
	protoQuery                 // the Query protocol: a form in, XML out (older SDKs, Grafana)
)

// TargetPrefix is the X-Amz-Target prefix of CloudWatch's JSON 1.0
// protocol, as in "GraniteServiceVersion20100801.GetMetricStatistics".
const TargetPrefix = "GraniteServiceVersion20100801."

// xmlNamespace is the namespace of CloudWatch's Query protocol answers.
const xmlNamespace = "http://monitoring.amazonaws.com/doc/2010-08-01/"

// Matches reports whether r is a CloudWatch request in the JSON 1.0 or
// Query protocol (RPC v2 CBOR is told by its path, PathPrefix): the local
// endpoint routes these to the Handler. Kinesis's own requests never match.
func Matches(r *http.Request) bool {
	if strings.HasPrefix(r.Header.Get("X-Amz-Target"), TargetPrefix) {
		return true
	}
	return isForm(r)
}

// protocolOf tells a request's protocol and operation name.
func protocolOf(r *http.Request) (protocol, string) {
	if op, ok := strings.CutPrefix(r.URL.Path, PathPrefix); ok {
		return protoCBOR, op
	}
	if op, ok := strings.CutPrefix(r.Header.Get("X-Amz-Target"), TargetPrefix); ok {
		return protoJSON, op
	}
	if isForm(r) {
		return protoQuery, ""
	}
	return protoCBOR, r.URL.Path // no operation of ours: answered in CBOR, this handler's own
}

// isForm reports whether r is in the Query protocol: a form posted, or a
// GET with an Action.
func isForm(r *http.Request) bool {
	return strings.HasPrefix(r.Header.Get("Content-Type"), "application/x-www-form-urlencoded") ||
		(r.Method == http.MethodGet && r.URL.Query().Has("Action"))
}

// decodeJSON turns a JSON 1.0 body into the value tree; StartTime and
// EndTime, epoch seconds on this wire, become CBOR epoch times.
func decodeJSON(body []byte) (cbor.Map, *apiError) {
	if len(bytes.TrimSpace(body)) == 0 {
		return cbor.Map{}, nil
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, errSerialization("malformed JSON request body: %v", err)
	}
	m, ok := fromJSON("", v).(cbor.Map)
	if !ok {
		return nil, errSerialization("request body: want a JSON object")
	}
	return m, nil
}

func fromJSON(key string, v any) cbor.Value {
	switch v := v.(type) {
	case map[string]any:
		m := make(cbor.Map, len(v))
		for k, e := range v {
			m[k] = fromJSON(k, e)
		}
		return m
	case []any:
		l := make(cbor.List, len(v))
		for i, e := range v {
			l[i] = fromJSON("", e)
		}
		return l
	case string:
		return cbor.String(v)
	case bool:
		return cbor.Bool(v)
	case json.Number:
		if isTimeField(key) {
			f, err := v.Float64()
			if err != nil {
				return cbor.String(v)
			}
			return &cbor.Tag{ID: 1, Value: cbor.Float64(f)}
		}
		if n, err := v.Int64(); err == nil {
			return cborInt(n)
		}
		f, _ := v.Float64()
		return cbor.Float64(f)
	}
	return &cbor.Nil{}
}

func isTimeField(key string) bool { return key == "StartTime" || key == "EndTime" }

func cborInt(n int64) cbor.Value {
	if n < 0 {
		return cbor.NegInt(uint64(-n))
	}
	return cbor.Uint(uint64(n))
}

// decodeForm turns a Query-protocol form into the value tree:
// "A.member.2.B=x" is A[1].B, numbers and booleans are typed by the name of
// their field, timestamps (ISO 8601) become CBOR epoch times.
func decodeForm(form url.Values) (cbor.Map, *apiError) {
	root := map[string]any{}
	for key, vals := range form {
		if key == "Action" || key == "Version" || len(vals) == 0 {
			continue
		}
		if !setPath(root, strings.Split(key, "."), vals[0]) {
			return nil, &apiError{status: http.StatusBadRequest, code: "MalformedQueryString", queryCode: "MalformedQueryString",
				fault: "Sender", msg: "parameter " + key + " does not fit the others"}
		}
	}
	return fromForm("", root).(cbor.Map), nil
}

// setPath stores val at parts in node: false when the parts clash with
// values stored before.
func setPath(node map[string]any, parts []string, val string) bool {
	name := parts[0]
	if len(parts) == 1 {
		_, taken := node[name]
		node[name] = val
		return !taken
	}
	if parts[1] == "member" && len(parts) >= 3 {
		idx, err := strconv.Atoi(parts[2])
		if err != nil || idx < 1 {
			return false
		}
		list, ok := node[name].(map[int]any)
		if !ok {
			if _, taken := node[name]; taken {
				return false
			}
			list = map[int]any{}
			node[name] = list
		}
		if len(parts) == 3 {
			list[idx] = val
			return true
		}
		el, ok := list[idx].(map[string]any)
		if !ok {
			el = map[string]any{}
			list[idx] = el
		}
		return setPath(el, parts[3:], val)
	}
	child, ok := node[name].(map[string]any)
	if !ok {
		if _, taken := node[name]; taken {
			return false
		}
		child = map[string]any{}
		node[name] = child
	}
	return setPath(child, parts[1:], val)
}

func fromForm(key string, v any) cbor.Value {
	switch v := v.(type) {
	case map[string]any:
		m := make(cbor.Map, len(v))
		for k, e := range v {
			m[k] = fromForm(k, e)
		}
		return m
	case map[int]any:
		idx := make([]int, 0, len(v))
		for i := range v {
			idx = append(idx, i)
		}
		slices.Sort(idx)
		l := make(cbor.List, len(idx))
		for j, i := range idx {
			l[j] = fromForm("", v[i])
		}
		return l
	}
	s := v.(string)
	switch {
	case isTimeField(key):
		if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
			return &cbor.Tag{ID: 1, Value: cbor.Float64(float64(t.UnixNano()) / 1e9)}
		}
	case key == "Period" || key == "MaxDatapoints":
		if n, err := strconv.ParseInt(s, 10, 64); err == nil {
			return cborInt(n)
		}
	case key == "ReturnData" || key == "IncludeLinkedAccounts":
		if b, err := strconv.ParseBool(s); err == nil {
			return cbor.Bool(b)
		}
	}
	return cbor.String(s)
}

// toJSON turns an answer tree into values encoding/json writes; epoch
// times become seconds, as JSON 1.0 sends them.
func toJSON(v cbor.Value) any {
	switch v := v.(type) {
	case cbor.Map:
		m := make(map[string]any, len(v))
		for k, e := range v {
			m[k] = toJSON(e)
		}
		return m
	case cbor.List:
		l := make([]any, len(v))
		for i, e := range v {
			l[i] = toJSON(e)
		}
		return l
	case cbor.String:
		return string(v)
	case cbor.Bool:
		return bool(v)
	case cbor.Uint:
		return uint64(v)
	case cbor.Float64:
		return float64(v)
	case *cbor.Tag:
		return toJSON(v.Value)
	case cbor.EncodeRaw:
		d, err := cbor.Decode(v)
		if err != nil {
			return nil
		}
		return toJSON(d)
	}
	return nil
}

// writeXML writes an answer tree as the Query protocol's XML: a map's keys
// as elements (sorted), a list's items as <member>, times in ISO 8601.
func writeXML(b *bytes.Buffer, v cbor.Value) {
	switch v := v.(type) {
	case cbor.Map:
		keys := make([]string, 0, len(v))
		for k := range v {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		for _, k := range keys {
			b.WriteString("<" + k + ">")
			writeXML(b, v[k])
			b.WriteString("</" + k + ">")
		}
	case cbor.List:
		for _, e := range v {
			b.WriteString("<member>")
			writeXML(b, e)
			b.WriteString("</member>")
		}
	case cbor.String:
		_ = xml.EscapeText(b, []byte(v))
	case cbor.Bool:
		b.WriteString(strconv.FormatBool(bool(v)))
	case cbor.Uint:
		b.WriteString(strconv.FormatUint(uint64(v), 10))
	case cbor.Float64:
		b.WriteString(strconv.FormatFloat(float64(v), 'f', -1, 64))
	case *cbor.Tag:
		if f, err := cbor.AsFloat64(v.Value); err == nil && !math.IsNaN(f) {
			sec, frac := math.Modf(f)
			b.WriteString(time.Unix(int64(sec), int64(frac*1e9)).UTC().Format("2006-01-02T15:04:05.000Z"))
		}
	case cbor.EncodeRaw:
		if d, err := cbor.Decode(v); err == nil {
			writeXML(b, d)
		}
	}
}

// writeAnswer writes a successful answer in protocol p.
func writeAnswer(w http.ResponseWriter, p protocol, op string, out cbor.Value) {
	switch p {
	case protoCBOR:
		writeCBOR(w, http.StatusOK, out)
	case protoJSON:
		writeJSON(w, http.StatusOK, toJSON(out))
	default:
		var b bytes.Buffer
		b.WriteString(xml.Header + "<" + op + `Response xmlns="` + xmlNamespace + `"><` + op + "Result>")
		writeXML(&b, out)
		b.WriteString("</" + op + "Result><ResponseMetadata><RequestId>")
		_ = xml.EscapeText(&b, []byte(requestID(w)))
		b.WriteString("</RequestId></ResponseMetadata></" + op + "Response>")
		writeBody(w, http.StatusOK, "text/xml", b.Bytes())
	}
}

// writeProtocolError writes e in protocol p's error shape.
func writeProtocolError(w http.ResponseWriter, p protocol, e *apiError) {
	switch p {
	case protoCBOR:
		writeError(w, e)
	case protoJSON:
		if e.queryCode != "" {
			w.Header().Set("X-Amzn-Query-Error", e.queryCode+";"+e.fault)
		}
		writeJSON(w, e.status, map[string]string{"__type": e.code, "message": e.msg})
	default:
		code := e.queryCode
		if code == "" {
			code = e.code[strings.LastIndex(e.code, "#")+1:]
		}
		fault := e.fault
		if fault == "" {
			fault = "Sender"
		}
		var b bytes.Buffer
		b.WriteString(xml.Header + `<ErrorResponse xmlns="` + xmlNamespace + `"><Error><Type>` + fault + "</Type><Code>")
		_ = xml.EscapeText(&b, []byte(code))
		b.WriteString("</Code><Message>")
		_ = xml.EscapeText(&b, []byte(e.msg))
		b.WriteString("</Message></Error><RequestId>")
		_ = xml.EscapeText(&b, []byte(requestID(w)))
		b.WriteString("</RequestId></ErrorResponse>")
		writeBody(w, e.status, "text/xml", b.Bytes())
	}
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	body, err := json.Marshal(v)
	if err != nil {
		status, body = http.StatusInternalServerError, []byte(`{"__type":"InternalFailure","message":"encode answer"}`)
	}
	writeBody(w, status, "application/x-amz-json-1.0", body)
}

func writeBody(w http.ResponseWriter, status int, contentType string, body []byte) {
	w.Header().Set("Content-Type", contentType)
	w.WriteHeader(status)
	_, _ = w.Write(body)
}

// requestID is the request ID the endpoint gave the answer, or "local".
func requestID(w http.ResponseWriter) string {
	if id := w.Header().Get("x-amzn-RequestId"); id != "" {
		return id
	}
	return "local"
}
