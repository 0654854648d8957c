package local

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

// maxValidationErrors is how many constraint violations AWS lists in one
// ValidationException.
const maxValidationErrors = 10

// check validates a request body of op against the model: every member's
// JSON type (SerializationException, in the words of AWS's Java front
// end), then required members, ranges, lengths, patterns and enums (one
// ValidationException listing up to ten violations). Unknown members and
// null values are ignored, as AWS ignores them. An operation the model does
// not know passes.
func (m *apiModel) check(op string, body []byte) error {
	name, ok := m.Operations[op]
	if !ok {
		return nil
	}
	if len(bytes.TrimSpace(body)) == 0 {
		body = []byte("{}")
	}
	d := json.NewDecoder(bytes.NewReader(body))
	d.UseNumber()
	var v any
	if err := d.Decode(&v); err != nil {
		return newErr(400, "SerializationException", "malformed JSON request body: %v", err)
	}
	if d.More() {
		return newErr(400, "SerializationException", "malformed JSON request body: data after the top-level value")
	}
	if err := m.typeCheck(name, v); err != nil {
		return err
	}
	var errs []string
	m.constraints(name, "", v, &errs)
	switch n := len(errs); {
	case n == 1:
		return errValidation("1 validation error detected: %s", errs[0])
	case n > 1:
		return errValidation("%d validation errors detected: %s", n, strings.Join(errs, "; "))
	}
	return nil
}

func serializationErr(format string, a ...any) error {
	return newErr(400, "SerializationException", format, a...)
}

// typeCheck checks that v has the JSON type of shape name.
func (m *apiModel) typeCheck(name string, v any) error {
	if v == nil {
		return nil
	}
	s := m.Shapes[name]
	javaClass := func() string {
		switch v.(type) {
		case bool:
			return "class java.lang.Boolean"
		case json.Number:
			return "class java.math.BigDecimal"
		}
		return "class java.lang.String"
	}
	if _, isList := v.([]any); isList && s.Type != "list" {
		return serializationErr("Start of list found where not expected")
	}
	if _, isObj := v.(map[string]any); isObj && s.Type != "structure" && s.Type != "map" {
		return serializationErr("Start of structure or map found where not expected.")
	}
	switch s.Type {
	case "structure":
		obj, ok := v.(map[string]any)
		if !ok {
			return serializationErr("Expected null")
		}
		for k, ms := range s.Members {
			if err := m.typeCheck(ms, obj[k]); err != nil {
				return err
			}
		}
	case "list":
		arr, ok := v.([]any)
		if !ok {
			return serializationErr("Expected list or null")
		}
		for _, e := range arr {
			if err := m.typeCheck(s.Member, e); err != nil {
				return err
			}
		}
	case "map":
		obj, ok := v.(map[string]any)
		if !ok {
			return serializationErr("Expected map or null")
		}
		for _, e := range obj {
			if err := m.typeCheck(s.Value, e); err != nil {
				return err
			}
		}
	case "string":
		if _, ok := v.(string); !ok {
			return serializationErr("%s can not be converted to an String", javaClass())
		}
	case "blob":
		// Its base64 is checked once, where the operation decodes it.
		if _, ok := v.(string); !ok {
			return serializationErr("%s can not be converted to a Blob", javaClass())
		}
	case "boolean":
		if _, ok := v.(bool); !ok {
			return serializationErr("%s can not be converted to an Boolean", javaClass())
		}
	case "integer", "long":
		num, ok := v.(json.Number)
		if !ok {
			return serializationErr("%s can not be converted to an %s", javaClass(), javaInt(s.Type))
		}
		bits := 32
		if s.Type == "long" {
			bits = 64
		}
		if _, err := strconv.ParseInt(num.String(), 10, bits); err != nil {
			return serializationErr("Value %s can not be converted to an %s: it is not a whole number in range", num, javaInt(s.Type))
		}
	case "timestamp", "double", "float":
		num, ok := v.(json.Number)
		if !ok {
			return serializationErr("%s can not be converted to a Timestamp", javaClass())
		}
		if f, err := num.Float64(); err != nil || math.IsInf(f, 0) {
			return serializationErr("Value %s can not be converted to a Timestamp", num)
		}
	}
	return nil
}

func javaInt(t string) string {
	if t == "long" {
		return "Long"
	}
	return "Integer"
}

// lowerFirst is a member's name as AWS's messages give it.
func lowerFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToLower(s[:1]) + s[1:]
}

// constraints appends the violations of v (of shape name, at path) to errs.
// v has passed typeCheck.
func (m *apiModel) constraints(name, path string, v any, errs *[]string) {
	s := m.Shapes[name]
	add := func(msg string) {
		if len(*errs) < maxValidationErrors {
			*errs = append(*errs, fmt.Sprintf("Value %s at '%s' failed to satisfy constraint: %s", m.valueString(s, v), path, msg))
		}
	}
	switch s.Type {
	case "structure":
		obj := v.(map[string]any)
		members := make([]string, 0, len(s.Members))
		for k := range s.Members {
			members = append(members, k)
		}
		slices.Sort(members)
		for _, k := range members {
			p := lowerFirst(k)
			if path != "" {
				p = path + "." + p
			}
			mv, present := obj[k]
			if !present || mv == nil {
				if slices.Contains(s.Required, k) && len(*errs) < maxValidationErrors {
					*errs = append(*errs, fmt.Sprintf("Value null at '%s' failed to satisfy constraint: Member must not be null", p))
				}
				continue
			}
			m.constraints(s.Members[k], p, mv, errs)
		}
		return
	case "list":
		arr := v.([]any)
		m.lengths(s, int64(len(arr)), add)
		if !m.isScalar(s.Member) {
			for i, e := range arr {
				if e != nil {
					m.constraints(s.Member, fmt.Sprintf("%s.%d.member", path, i+1), e, errs)
				}
			}
			return
		}
		// AWS reports a list's scalar members once, at the list, with all
		// of the member shape's constraints.
		if slices.ContainsFunc(arr, func(e any) bool { return e != nil && !m.scalarOK(s.Member, e) }) {
			add("Member must satisfy constraint: " + m.allConstraints(s.Member))
		}
		return
	case "map":
		obj := v.(map[string]any)
		m.lengths(s, int64(len(obj)), add)
		keys := make([]string, 0, len(obj))
		for k := range obj {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		// As for lists: keys, and scalar values, are reported at the map.
		if slices.ContainsFunc(keys, func(k string) bool { return !m.scalarOK(s.Key, k) }) {
			add("Map keys must satisfy constraint: " + m.allConstraints(s.Key))
		}
		if !m.isScalar(s.Value) {
			for _, k := range keys {
				if obj[k] != nil {
					m.constraints(s.Value, path+"."+k+".member", obj[k], errs)
				}
			}
		} else if slices.ContainsFunc(keys, func(k string) bool { return obj[k] != nil && !m.scalarOK(s.Value, obj[k]) }) {
			add("Map value must satisfy constraint: " + m.allConstraints(s.Value))
		}
		return
	case "string":
		str := v.(string)
		m.lengths(s, int64(utf8.RuneCountInString(str)), add)
		if s.re != nil && !s.re.MatchString(str) {
			add("Member must satisfy regular expression pattern: " + s.Pattern)
		}
		if len(s.Enum) > 0 && !slices.Contains(s.Enum, str) {
			add("Member must satisfy enum value set: [" + strings.Join(s.Enum, ", ") + "]")
		}
	case "blob":
		m.lengths(s, int64(blobLen(v.(string))), add)
	case "integer", "long":
		n, _ := strconv.ParseInt(v.(json.Number).String(), 10, 64)
		if s.Min != nil && n < *s.Min {
			add(fmt.Sprintf("Member must have value greater than or equal to %d", *s.Min))
		}
		if s.Max != nil && n > *s.Max {
			add(fmt.Sprintf("Member must have value less than or equal to %d", *s.Max))
		}
	}
}

// blobLen is the length of the bytes base64 text s encodes.
func blobLen(s string) int {
	n := base64.StdEncoding.DecodedLen(len(s))
	for i := len(s) - 1; i >= 0 && i >= len(s)-2 && s[i] == '='; i-- {
		n--
	}
	return n
}

// lengths checks a length against the shape's min and max.
func (m *apiModel) lengths(s *shapeDef, n int64, add func(string)) {
	if s.Min != nil && n < *s.Min {
		add(fmt.Sprintf("Member must have length greater than or equal to %d", *s.Min))
	}
	if s.Max != nil && n > *s.Max {
		add(fmt.Sprintf("Member must have length less than or equal to %d", *s.Max))
	}
}

// isScalar says whether shape name is neither a structure nor a collection.
func (m *apiModel) isScalar(name string) bool {
	switch m.Shapes[name].Type {
	case "structure", "list", "map":
		return false
	}
	return true
}

// scalarOK says whether v satisfies the constraints of scalar shape name.
func (m *apiModel) scalarOK(name string, v any) bool {
	var errs []string
	m.constraints(name, "", v, &errs)
	return len(errs) == 0
}

// allConstraints lists the constraints of scalar shape name as AWS lists
// a collection member's: maximum, minimum, pattern, enum.
func (m *apiModel) allConstraints(name string) string {
	s := m.Shapes[name]
	word := "length"
	if s.Type == "integer" || s.Type == "long" {
		word = "value"
	}
	var out []string
	if s.Max != nil {
		out = append(out, fmt.Sprintf("Member must have %s less than or equal to %d", word, *s.Max))
	}
	if s.Min != nil {
		out = append(out, fmt.Sprintf("Member must have %s greater than or equal to %d", word, *s.Min))
	}
	if s.Pattern != "" {
		out = append(out, "Member must satisfy regular expression pattern: "+s.Pattern)
	}
	if len(s.Enum) > 0 {
		out = append(out, "Member must satisfy enum value set: ["+strings.Join(s.Enum, ", ")+"]")
	}
	return "[" + strings.Join(out, ", ") + "]"
}

// putRecordsOK says whether a PutRecords request decoded by the fast path
// meets the model. When it does not, the caller decodes the request again
// with check, which reports AWS's errors. (The fast path leaves StreamName
// and StreamARN empty only when they are absent.)
func (m *apiModel) putRecordsOK(in *putRecordsInput) bool {
	s := m.Shapes[m.Operations["PutRecords"]]
	if in.StreamName != "" && !m.scalarOK(s.Members["StreamName"], in.StreamName) ||
		in.StreamARN != "" && !m.scalarOK(s.Members["StreamARN"], in.StreamARN) {
		return false
	}
	list := m.Shapes[s.Members["Records"]]
	if n := int64(len(in.Records)); in.Records == nil || list.Min != nil && n < *list.Min || list.Max != nil && n > *list.Max {
		return false
	}
	e := m.Shapes[list.Member]
	data := m.Shapes[e.Members["Data"]]
	for i := range in.Records {
		r := &in.Records[i]
		if r.Data == nil || r.PartitionKey == nil || !m.scalarOK(e.Members["PartitionKey"], *r.PartitionKey) ||
			r.ExplicitHashKey != nil && !m.scalarOK(e.Members["ExplicitHashKey"], *r.ExplicitHashKey) ||
			data.Max != nil && int64(len(r.Data)) > *data.Max {
			return false
		}
	}
	return true
}

// quoteWhole is how many characters of a string a message quotes; AWS
// quotes a 257-character partition key whole.
const quoteWhole = 4096

// javaString renders a list or map element as Java's toString does; a
// structure's identity hash, which no one can reproduce, is left out.
func (m *apiModel) javaString(shape string, v any) string {
	switch x := v.(type) {
	case string:
		return x
	case json.Number:
		return x.String()
	case bool:
		return strconv.FormatBool(x)
	case nil:
		return "null"
	}
	return "com.amazonaws.kinesis.v20131202." + shape
}

// valueString renders a value as AWS's messages quote it.
func (m *apiModel) valueString(s *shapeDef, v any) string {
	switch x := v.(type) {
	case string:
		if s.Type == "blob" {
			n := blobLen(x)
			return fmt.Sprintf("'java.nio.HeapByteBuffer[pos=0 lim=%d cap=%d]'", n, n)
		}
		if utf8.RuneCountInString(x) > quoteWhole {
			x = string([]rune(x)[:quoteWhole]) + "…"
		}
		return "'" + x + "'"
	case json.Number:
		return "'" + x.String() + "'"
	case []any:
		parts := make([]string, len(x))
		for i, e := range x {
			parts[i] = m.javaString(s.Member, e)
		}
		return "'[" + strings.Join(parts, ", ") + "]'"
	case map[string]any:
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		for i, k := range keys {
			keys[i] = k + "=" + m.javaString(s.Value, x[k])
		}
		return "'{" + strings.Join(keys, ", ") + "}'"
	}
	return "null"
}
