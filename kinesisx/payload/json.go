package payload

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"unicode/utf8"
)

// Pretty returns b indented with two spaces if it is a JSON object or
// array in valid UTF-8, and false otherwise. Numbers, key order and string
// escapes are kept as they are; HTML characters are not escaped.
func Pretty(b []byte) ([]byte, bool) {
	if first := firstNonSpace(b); first != '{' && first != '[' {
		return nil, false
	}
	if !utf8.Valid(b) {
		return nil, false
	}
	var out bytes.Buffer
	out.Grow(len(b) + len(b)/2)
	if err := json.Indent(&out, bytes.TrimSpace(b), "", "  "); err != nil {
		return nil, false
	}
	return out.Bytes(), true
}

// JSONString returns the payload as `tail -o json` writes it: the bytes as
// a string with encoding "utf8" when they are valid UTF-8, else standard
// base64 with encoding "base64".
func JSONString(b []byte) (data string, encoding string) {
	if utf8.Valid(b) {
		return string(b), "utf8"
	}
	return base64.StdEncoding.EncodeToString(b), "base64"
}

// compactPrefix removes JSON whitespace outside strings from b, stopping
// once the output reaches n bytes. It works on a prefix of a document, so
// it needs no validity; for valid JSON it agrees with json.Compact.
func compactPrefix(b []byte, n int) []byte {
	out := make([]byte, 0, min(len(b), n))
	inString, escaped := false, false
	for _, c := range b {
		if len(out) >= n {
			break
		}
		switch {
		case inString:
			switch {
			case escaped:
				escaped = false
			case c == '\\':
				escaped = true
			case c == '"':
				inString = false
			}
		case c == '"':
			inString = true
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			continue
		}
		out = append(out, c)
	}
	return out
}

// minBase64 is the shortest text that unbase64 considers: shorter strings
// are too often words that happen to be valid base64.
const minBase64 = 8

// unbase64 decodes b if it is standard base64 (padded, no whitespace) of
// a JSON document or a gzip stream. Random text is valid base64 often
// enough that a decoding to anything else is not trusted.
func unbase64(b []byte) ([]byte, bool) {
	if len(b) < minBase64 || len(b)%4 != 0 {
		return nil, false
	}
	for _, c := range b {
		isAlpha := c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9'
		if !isAlpha && c != '+' && c != '/' && c != '=' {
			return nil, false
		}
	}
	out := make([]byte, base64.StdEncoding.DecodedLen(len(b)))
	n, err := base64.StdEncoding.Strict().Decode(out, b)
	if err != nil {
		return nil, false
	}
	out = out[:n]
	if k := classify(out, true); k != JSON && k != Gzip {
		return nil, false
	}
	return out, true
}
