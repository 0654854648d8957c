package local

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"
)

const (
	targetPrefix = "Kinesis_20131202."
	jsonType     = "application/x-amz-json-1.1"
	// maxBody caps a request body. PutRecords may carry 10 MiB of data,
	// which is about 13.4 MiB once base64 encoded, plus keys and syntax.
	maxBody = 16 << 20
)

// call is one request as the operations see it.
type call struct {
	op    string
	body  []byte
	model *apiModel
	now   time.Time
	w     http.ResponseWriter
	r     *http.Request
	// throttleAll fails every entry of a PutRecords (injected fault).
	throttleAll bool
	// resetAfterFirst aborts a SubscribeToShard after its first event
	// (injected fault).
	resetAfterFirst bool
	// cbor says the client speaks CBOR (cborType): body is the request
	// transcoded to JSON, and the answer is transcoded back.
	cbor bool
}

// decode checks the request body against the model and unmarshals it into
// v, mapping JSON errors to the exceptions AWS gives for them.
func (c *call) decode(v any) error {
	if c.model != nil {
		if err := c.model.check(c.op, c.body); err != nil {
			return err
		}
	}
	body := c.body
	if len(bytes.TrimSpace(body)) == 0 {
		body = []byte("{}")
	}
	if err := json.Unmarshal(body, v); err != nil {
		var te *json.UnmarshalTypeError
		if errors.As(err, &te) {
			return newErr(400, "SerializationException", "field %s: expected %s, got JSON %s", te.Field, te.Type, te.Value)
		}
		return newErr(400, "SerializationException", "malformed JSON request body: %v", err)
	}
	return nil
}

func (s *Server) serveHTTP(w http.ResponseWriter, r *http.Request) {
	useCBOR := false
	// writeError answers in the client's protocol (JSON 1.1 or CBOR).
	writeError := func(w http.ResponseWriter, err error) { writeErrorAs(w, err, useCBOR) }
	defer func() {
		if v := recover(); v != nil {
			if v == http.ErrAbortHandler { //nolint:errorlint // sentinel value
				panic(v) // a deliberate abort (reset fault)
			}
			writeError(w, errInternal("internal error: %v", v))
		}
	}()
	w.Header().Set("x-amzn-RequestId", strconv.FormatUint(s.requests.Add(1), 16)+"-local")
	if h := s.route(r); h != nil {
		h.ServeHTTP(w, r)
		return
	}
	useCBOR = isCBOR(r.Header.Get("Content-Type"))
	if r.Method != http.MethodPost {
		writeError(w, newErr(400, "UnknownOperationException", "only POST is supported, got %s", r.Method))
		return
	}
	target := r.Header.Get("X-Amz-Target")
	op, ok := strings.CutPrefix(target, targetPrefix)
	handler := s.operation(op)
	if !ok || handler == nil {
		writeError(w, newErr(400, "UnknownOperationException", "unknown operation %q", target))
		return
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxBody))
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			writeError(w, errValidation("request body exceeds %d bytes", maxBody))
			return
		}
		writeError(w, newErr(400, "SerializationException", "read request body: %v", err))
		return
	}
	if useCBOR {
		if body, err = cborToJSON(body); err != nil {
			writeError(w, err)
			return
		}
	}
	c := &call{op: op, body: body, model: s.store.model, now: s.opts.Now(), w: w, r: r, cbor: useCBOR}
	if dataPlane(op) {
		switch s.faults.draw() {
		case faultThrottle:
			if op == "PutRecords" {
				c.throttleAll = true
			} else if op == "SubscribeToShard" {
				writeError(w, errLimit("Rate exceeded for consumer and shard (injected fault)"))
				return
			} else {
				s.metricThrottle(op, body, c.now)
				writeError(w, errThroughput("Rate exceeded for shard (injected fault)"))
				return
			}
		case faultInternal:
			writeError(w, errInternal("injected internal failure"))
			return
		case faultReset:
			if op == "SubscribeToShard" {
				c.resetAfterFirst = true
			} else {
				resetConnection(w)
				return
			}
		}
	}
	out, err := handler(c)
	if err != nil {
		writeError(w, err)
		return
	}
	if out == nil { // the operation wrote its own response
		return
	}
	if useCBOR {
		writeCBOR(w, out)
		return
	}
	writeJSON(w, out)
}

// resetConnection drops the connection mid-exchange, after the request was
// read and before a response: over HTTP/1.1 it closes the socket (the
// client sees EOF, a retryable transport error); over HTTP/2 it resets the
// stream.
func resetConnection(w http.ResponseWriter) {
	if hj, ok := w.(http.Hijacker); ok {
		if conn, _, err := hj.Hijack(); err == nil {
			_ = conn.Close()
			return
		}
	}
	panic(http.ErrAbortHandler)
}

// writeError writes an AWS-shaped error body in JSON.
func writeError(w http.ResponseWriter, err error) { writeErrorAs(w, err, false) }

// writeErrorAs writes an AWS-shaped error body, in CBOR if useCBOR.
func writeErrorAs(w http.ResponseWriter, err error, useCBOR bool) {
	ae := wireError(err)
	var b []byte
	ct := jsonType
	if useCBOR {
		b, ct = cborError(ae), cborType
	} else {
		b, _ = json.Marshal(map[string]string{"__type": ae.code, "message": ae.msg})
	}
	h := w.Header()
	h.Set("Content-Type", ct)
	h.Set("X-Amzn-ErrorType", ae.code)
	h.Set("Content-Length", strconv.Itoa(len(b)))
	w.WriteHeader(ae.status)
	_, _ = w.Write(b)
}

// rawJSON is a response body already encoded.
type rawJSON []byte

// streamedJSON is a response body written straight to the connection.
type streamedJSON interface {
	size() int // the exact length writeBody writes
	writeBody(w io.Writer) error
}

func writeJSON(w http.ResponseWriter, v any) {
	if s, ok := v.(streamedJSON); ok {
		h := w.Header()
		h.Set("Content-Type", jsonType)
		h.Set("Content-Length", strconv.Itoa(s.size()))
		w.WriteHeader(http.StatusOK)
		_ = s.writeBody(w) // a failed write is a client gone: nothing to tell it
		return
	}
	b, err := answerJSON(v)
	if err != nil {
		writeError(w, errInternal("encode response: %v", err))
		return
	}
	writeBody(w, jsonType, b)
}

// answerJSON encodes an operation's answer as JSON 1.1.
func answerJSON(v any) ([]byte, error) {
	switch v := v.(type) {
	case rawJSON:
		return v, nil
	case streamedJSON:
		var buf bytes.Buffer
		buf.Grow(v.size())
		err := v.writeBody(&buf)
		return buf.Bytes(), err
	}
	return json.Marshal(v)
}

// writeCBOR writes an operation's answer in CBOR: the JSON answer,
// transcoded (the CBOR path shares the operations and their encoders).
func writeCBOR(w http.ResponseWriter, v any) {
	b, err := answerJSON(v)
	if err == nil {
		b, err = jsonToCBOR(b)
	}
	if err != nil {
		writeErrorAs(w, errInternal("encode response: %v", err), true)
		return
	}
	writeBody(w, cborType, b)
}

func writeBody(w http.ResponseWriter, contentType string, b []byte) {
	h := w.Header()
	h.Set("Content-Type", contentType)
	h.Set("Content-Length", strconv.Itoa(len(b)))
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(b)
}

// dataPlane reports whether faults apply to op.
func dataPlane(op string) bool {
	switch op {
	case "PutRecord", "PutRecords", "GetRecords", "SubscribeToShard":
		return true
	}
	return false
}

type opFunc func(*call) (any, error)

// operation returns the handler of op, or nil.
func (s *Server) operation(op string) opFunc {
	switch op {
	case "CreateStream":
		return s.createStream
	case "DeleteStream":
		return s.deleteStream
	case "ListStreams":
		return s.listStreams
	case "DescribeStream":
		return s.describeStream
	case "DescribeStreamSummary":
		return s.describeStreamSummary
	case "ListShards":
		return s.listShards
	case "PutRecord":
		return s.putRecord
	case "PutRecords":
		return s.putRecords
	case "GetShardIterator":
		return s.getShardIterator
	case "GetRecords":
		return s.getRecords
	case "SplitShard":
		return s.splitShard
	case "MergeShards":
		return s.mergeShards
	case "UpdateShardCount":
		return s.updateShardCount
	case "RegisterStreamConsumer":
		return s.registerConsumer
	case "DescribeStreamConsumer":
		return s.describeConsumer
	case "ListStreamConsumers":
		return s.listConsumers
	case "DeregisterStreamConsumer":
		return s.deregisterConsumer
	case "SubscribeToShard":
		return s.subscribeToShard
	case "EnableEnhancedMonitoring":
		return s.enableMonitoring
	case "DisableEnhancedMonitoring":
		return s.disableMonitoring
	case "ListTagsForStream":
		return s.listTags
	case "AddTagsToStream":
		return s.addTags
	case "RemoveTagsFromStream":
		return s.removeTags
	case "TagResource":
		return s.tagResource
	case "UntagResource":
		return s.untagResource
	case "ListTagsForResource":
		return s.listTagsForResource
	case "IncreaseStreamRetentionPeriod":
		return s.increaseRetention
	case "DecreaseStreamRetentionPeriod":
		return s.decreaseRetention
	case "DescribeLimits":
		return s.describeLimits
	case "DescribeAccountSettings":
		return s.describeAccountSettings
	case "UpdateAccountSettings":
		return s.updateAccountSettings
	case "PutResourcePolicy":
		return s.putResourcePolicy
	case "GetResourcePolicy":
		return s.getResourcePolicy
	case "DeleteResourcePolicy":
		return s.deleteResourcePolicy
	case "StartStreamEncryption":
		return s.startStreamEncryption
	case "StopStreamEncryption":
		return s.stopStreamEncryption
	case "UpdateStreamMode":
		return s.updateStreamMode
	case "UpdateMaxRecordSize":
		return s.updateMaxRecordSize
	case "UpdateStreamWarmThroughput":
		return s.updateStreamWarmThroughput
	}
	return nil
}

// epoch renders t as the JSON 1.1 timestamp AWS sends: epoch seconds with
// millisecond precision.
type epoch time.Time

func (e epoch) MarshalJSON() ([]byte, error) {
	return appendEpochMillis(nil, time.Time(e).UnixMilli()), nil
}

func appendEpochMillis(b []byte, ms int64) []byte {
	b = strconv.AppendInt(b, ms/1000, 10)
	frac := ms % 1000
	b = append(b, '.', byte('0'+frac/100), byte('0'+frac/10%10), byte('0'+frac%10))
	return b
}

// fromEpoch converts a JSON timestamp (epoch seconds) to a time. A value
// beyond what milliseconds since 1970 can hold in an int64 (about 9.2e15
// seconds) is held at ±9e15 seconds rather than wrapping around.
func fromEpoch(sec float64) time.Time {
	const limit = 9e15
	switch {
	case sec >= limit:
		return time.UnixMilli(limit * 1000)
	case sec <= -limit:
		return time.UnixMilli(-limit * 1000)
	}
	return time.UnixMilli(int64(sec * 1000))
}
