package local

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"math"
	"strconv"
	"strings"

	"github.com/aws/smithy-go/encoding/cbor"
)

// cborType is the content type of Kinesis over CBOR, the AWS SDK for
// Java's default (and so the KCL's): the same operations, members and
// X-Amz-Target as JSON 1.1, the body a CBOR map. Blobs are CBOR byte
// strings; timestamps are CBOR tag 1 holding integer epoch milliseconds
// (not the seconds RFC 8949 gives tag 1: AWS's Java SDKs write and read
// milliseconds, aws-sdk-java-v2 SdkCborGenerator and
// AwsCborProtocolFactory's UNIX_TIMESTAMP_MILLIS).
const cborType = "application/x-amz-cbor-1.1"

// cborTimeMembers are the members of Kinesis's model (requests and answers)
// whose shape is a timestamp; "Data" is its only blob member. Member names
// tell the two apart because no name is used with another type.
var cborTimeMembers = map[string]bool{
	"ApproximateArrivalTimestamp": true,
	"ConsumerCreationTimestamp":   true,
	"StreamCreationTimestamp":     true,
	"Timestamp":                   true,
	"EarliestAllowedEndAt":        true,
	"EndedAt":                     true,
	"StartedAt":                   true,
}

const cborBlobMember = "Data"

// isCBOR reports whether a request's Content-Type is AWS's CBOR 1.1
// (parameters aside). It does not allocate: every request asks.
func isCBOR(contentType string) bool {
	mt, _, _ := strings.Cut(contentType, ";")
	return strings.EqualFold(strings.TrimSpace(mt), cborType)
}

// cborToJSON transcodes a CBOR request body to the JSON 1.1 body the
// operations decode and the model checks: byte strings become base64,
// timestamps (epoch milliseconds, tagged or not) epoch seconds.
func cborToJSON(body []byte) ([]byte, error) {
	if len(body) == 0 {
		return []byte("{}"), nil
	}
	v, err := cbor.Decode(body)
	if err != nil {
		return nil, serializationErr("malformed CBOR request body: %v", err)
	}
	if _, ok := v.(cbor.Map); !ok {
		return nil, serializationErr("request body: want a CBOR map, got %T", v)
	}
	j, err := fromCBOR("", v)
	if err != nil {
		return nil, err
	}
	return json.Marshal(j)
}

func fromCBOR(key string, v cbor.Value) (any, error) {
	switch v := v.(type) {
	case cbor.Map:
		m := make(map[string]any, len(v))
		for k, e := range v {
			j, err := fromCBOR(k, e)
			if err != nil {
				return nil, err
			}
			m[k] = j
		}
		return m, nil
	case cbor.List:
		l := make([]any, len(v))
		for i, e := range v {
			j, err := fromCBOR("", e)
			if err != nil {
				return nil, err
			}
			l[i] = j
		}
		return l, nil
	case cbor.String:
		return string(v), nil
	case cbor.Slice:
		if key != cborBlobMember {
			return nil, serializationErr("field %s: unexpected CBOR byte string", key)
		}
		return base64.StdEncoding.EncodeToString(v), nil
	case cbor.Bool:
		return bool(v), nil
	case *cbor.Nil, *cbor.Undefined:
		return nil, nil
	case *cbor.Tag:
		if v.ID != 1 {
			return nil, serializationErr("field %s: unsupported CBOR tag %d", key, v.ID)
		}
		return cborMillis(key, v.Value)
	}
	if cborTimeMembers[key] {
		return cborMillis(key, v)
	}
	return cborNumber(key, v)
}

// cborMillis turns epoch milliseconds into the JSON epoch seconds the
// operations read.
func cborMillis(key string, v cbor.Value) (any, error) {
	n, err := cborNumber(key, v)
	if err != nil {
		return nil, err
	}
	f, err := n.Float64()
	if err != nil {
		return nil, serializationErr("field %s: timestamp %s out of range", key, n)
	}
	ms := math.Round(f)
	if math.Abs(ms) > 9e18 {
		return nil, serializationErr("field %s: timestamp %s out of range", key, n)
	}
	neg := ms < 0
	b := []byte{}
	if neg {
		b = append(b, '-')
		ms = -ms
	}
	return json.Number(appendEpochMillis(b, int64(ms))), nil
}

// cborNumber renders a CBOR number as JSON.
func cborNumber(key string, v cbor.Value) (json.Number, error) {
	switch v := v.(type) {
	case cbor.Uint:
		return json.Number(strconv.FormatUint(uint64(v), 10)), nil
	case cbor.NegInt:
		if v == 0 { // -2^64: no operation takes it
			return "", serializationErr("field %s: number out of range", key)
		}
		return json.Number("-" + strconv.FormatUint(uint64(v), 10)), nil
	case cbor.Float32:
		return floatNumber(key, float64(v))
	case cbor.Float64:
		return floatNumber(key, float64(v))
	}
	return "", serializationErr("field %s: unexpected CBOR value %T", key, v)
}

func floatNumber(key string, f float64) (json.Number, error) {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return "", serializationErr("field %s: number out of range", key)
	}
	return json.Number(strconv.FormatFloat(f, 'g', -1, 64)), nil
}

// jsonToCBOR transcodes an answer the operations wrote as JSON 1.1 to
// CBOR: "Data" back to a byte string, timestamps to tag 1 epoch
// milliseconds, integers to CBOR integers.
func jsonToCBOR(b []byte) ([]byte, error) {
	d := json.NewDecoder(bytes.NewReader(b))
	d.UseNumber()
	var v any
	if err := d.Decode(&v); err != nil {
		return nil, err
	}
	c, err := toCBOR("", v)
	if err != nil {
		return nil, err
	}
	return cbor.Encode(c), nil
}

func toCBOR(key string, v any) (cbor.Value, error) {
	switch v := v.(type) {
	case map[string]any:
		m := make(cbor.Map, len(v))
		for k, e := range v {
			c, err := toCBOR(k, e)
			if err != nil {
				return nil, err
			}
			m[k] = c
		}
		return m, nil
	case []any:
		l := make(cbor.List, len(v))
		for i, e := range v {
			c, err := toCBOR("", e)
			if err != nil {
				return nil, err
			}
			l[i] = c
		}
		return l, nil
	case string:
		if key == cborBlobMember {
			data, err := base64.StdEncoding.DecodeString(v)
			if err != nil {
				return nil, err
			}
			return cbor.Slice(data), nil
		}
		return cbor.String(v), nil
	case bool:
		return cbor.Bool(v), nil
	case json.Number:
		if cborTimeMembers[key] {
			f, err := v.Float64()
			if err != nil {
				return nil, err
			}
			return &cbor.Tag{ID: 1, Value: cborInt(int64(math.Round(f * 1000)))}, nil
		}
		if n, err := v.Int64(); err == nil {
			return cborInt(n), nil
		}
		f, err := v.Float64()
		if err != nil {
			return nil, err
		}
		return cbor.Float64(f), nil
	}
	return &cbor.Nil{}, nil
}

func cborInt(n int64) cbor.Value {
	if n < 0 {
		return cbor.NegInt(uint64(-n))
	}
	return cbor.Uint(uint64(n))
}

// cborError is the CBOR body of an error, as the Java SDK reads it.
func cborError(ae *apiError) []byte {
	return cbor.Encode(cbor.Map{"__type": cbor.String(ae.code), "message": cbor.String(ae.msg)})
}
