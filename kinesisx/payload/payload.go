// Package payload decodes record payloads for display: text, JSON, gzip
// (CloudWatch Logs subscription data among others) and binary, with
// one-line previews for lists, pretty JSON and hex dumps for detail views,
// and the string form used by `tail -o json`.
//
// Everything here is a pure function of its input: no state, safe for
// concurrent use, and no panic on any input. Text meant for a terminal has
// its control characters escaped, so a payload cannot move the cursor or
// change colours.
package payload

import (
	"encoding/json"
	"unicode/utf8"
)

// MaxDecompressed caps how many bytes Decode inflates from a gzip payload,
// so that a small compression bomb cannot exhaust memory.
const MaxDecompressed = 16 << 20

// MaxHexDump caps how many bytes of a binary payload Decode dumps in hex.
const MaxHexDump = 1 << 20

// maxDepth is how many gzip layers Decode unwraps (gzip of gzip of ...).
const maxDepth = 3

// Kind is what a payload was found to be.
type Kind int

// Kinds of payload, from the most to the least specific.
const (
	// Binary is anything that is not one of the other kinds.
	Binary Kind = iota
	// Empty is a zero-length payload.
	Empty
	// Text is valid UTF-8 without NULs and with few control characters.
	Text
	// JSON is a valid JSON object or array in valid UTF-8.
	JSON
	// Gzip is a gzip stream; Decoded.Inner says what it inflates to.
	Gzip
	// Base64 is text in standard base64 that decodes to JSON or gzip (a
	// payload encoded twice, as happens with the AWS CLI's default binary
	// format); Decoded.Inner is the decoded payload.
	Base64
)

// String returns the kind's lower-case name.
func (k Kind) String() string {
	switch k {
	case Empty:
		return "empty"
	case Text:
		return "text"
	case JSON:
		return "json"
	case Gzip:
		return "gzip"
	case Base64:
		return "base64"
	default:
		return "binary"
	}
}

// Decoded is a payload made ready for a detail view.
type Decoded struct {
	// Kind is what the payload is.
	Kind Kind
	// Text is what to show, safe for a terminal (control characters other
	// than newline and tab are escaped): the text for Text and for Base64
	// (the base64 itself; Inner is what it decodes to), the pretty-printed
	// document for JSON, a hex dump for Binary, and empty for Empty and
	// Gzip (see Inner).
	Text string
	// Size is the payload's length in bytes.
	Size int
	// Inner is what a Gzip payload inflates to, or what a Base64 payload
	// decodes to; nil for the other kinds.
	Inner *Decoded
	// Truncated says that Text or Inner covers only a prefix: the gzip
	// stream inflated to more than MaxDecompressed bytes or ended early,
	// or a binary payload is longer than MaxHexDump.
	Truncated bool
	// Err says why a gzip stream could not be read to its end.
	Err error
	// Logs is set when a JSON payload is a CloudWatch Logs subscription
	// message.
	Logs *Logs
}

// Decode finds out what b is and prepares it for display. It never fails:
// what cannot be decoded is Binary.
func Decode(b []byte) Decoded {
	return decode(b, 0, MaxDecompressed)
}

// decode is Decode with the gzip nesting depth and the inflation cap.
func decode(b []byte, depth int, limit int64) Decoded {
	d := Decoded{Kind: classify(b, true), Size: len(b)}
	if d.Kind == Gzip && depth >= maxDepth {
		d.Kind = Binary
	}
	switch d.Kind {
	case Gzip:
		out, truncated, err := gunzip(b, limit)
		if out == nil && err != nil {
			d.Kind = Binary // not really gzip: a bad header
			d.Text, d.Truncated = hexDumpCapped(b)
			return d
		}
		inner := decode(out, depth+1, limit)
		d.Inner, d.Truncated, d.Err = &inner, truncated, err
	case Text:
		if inner, ok := unbase64(b); ok && depth < maxDepth {
			in := decode(inner, depth+1, limit)
			d.Kind, d.Inner = Base64, &in
		}
		d.Text = escape(string(b), true)
	case JSON:
		pretty, _ := Pretty(b)
		d.Text = escape(string(pretty), true)
		d.Logs = parseLogs(b)
	case Binary:
		d.Text, d.Truncated = hexDumpCapped(b)
	}
	return d
}

// hexDumpCapped dumps at most MaxHexDump bytes of b.
func hexDumpCapped(b []byte) (string, bool) {
	if len(b) > MaxHexDump {
		return HexDump(b[:MaxHexDump]), true
	}
	return HexDump(b), false
}

// isGzip reports whether b starts with the gzip magic and the deflate
// method (RFC 1952).
func isGzip(b []byte) bool {
	return len(b) >= 3 && b[0] == 0x1f && b[1] == 0x8b && b[2] == 8
}

// classify tells the kind of b. When complete is false, b is a prefix of
// the payload (already cut at a rune boundary): JSON is then judged by its
// first character, since the document cannot be validated.
func classify(b []byte, complete bool) Kind {
	switch {
	case len(b) == 0:
		return Empty
	case isGzip(b):
		return Gzip
	case !isText(b):
		return Binary
	}
	if first := firstNonSpace(b); first == '{' || first == '[' {
		if !complete || json.Valid(b) {
			return JSON
		}
	}
	return Text
}

// firstNonSpace returns the first byte of b that is not JSON whitespace,
// or 0.
func firstNonSpace(b []byte) byte {
	i := 0
	for i < len(b) && (b[i] == ' ' || b[i] == '\t' || b[i] == '\n' || b[i] == '\r') {
		i++
	}
	if i == len(b) {
		return 0
	}
	return b[i]
}

// isText reports whether b reads as text: valid UTF-8, no NUL, and at most
// one control character (other than tab, newline, carriage return, form
// feed and escape) in 32 runes.
func isText(b []byte) bool {
	runes, controls := 0, 0
	for i := 0; i < len(b); {
		c := b[i]
		if c < utf8.RuneSelf { // ASCII fast path
			i++
			runes++
			if c == 0 {
				return false
			}
			if c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f' && c != 0x1b || c == 0x7f {
				controls++
			}
			continue
		}
		r, size := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && size == 1 {
			return false
		}
		i += size
		runes++
		if isControl(r) {
			controls++
		}
	}
	return controls*32 <= runes
}
