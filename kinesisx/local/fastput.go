package local

import (
	"encoding/base64"
	"unicode/utf8"
)

// decodePutRecordsFast parses the PutRecords request the SDKs send, a
// strict subset of JSON: an object with StreamName, StreamARN and Records,
// each record an object of Data, PartitionKey and ExplicitHashKey, strings
// without escapes. It reports ok=false for anything else, and the caller
// falls back to encoding/json, which gives the same result for the subset
// and the proper errors outside it. encoding/json's scanner was half of
// the endpoint's CPU time under PutRecords load.
func decodePutRecordsFast(b []byte) (in putRecordsInput, ok bool) {
	p := fastParser{b: b}
	if !p.byte('{') {
		return in, false
	}
	if p.peek('}') {
		return in, p.end()
	}
	for {
		key, ok := p.str()
		if !ok || !p.byte(':') {
			return in, false
		}
		switch string(key) {
		case "StreamName", "StreamARN":
			v, ok := p.str()
			if !ok || len(v) == 0 || !utf8.Valid(v) {
				return in, false // an empty name is checked the slow way
			}
			if string(key) == "StreamName" {
				in.StreamName = string(v)
			} else {
				in.StreamARN = string(v)
			}
		case "Records":
			recs, ok := p.records()
			if !ok {
				return in, false
			}
			in.Records = recs
		default:
			return in, false
		}
		if p.peek('}') {
			return in, p.end()
		}
		if !p.byte(',') {
			return in, false
		}
	}
}

type fastParser struct {
	b []byte
	i int
}

func (p *fastParser) skip() {
	for p.i < len(p.b) {
		switch p.b[p.i] {
		case ' ', '\t', '\n', '\r':
			p.i++
		default:
			return
		}
	}
}

// byte consumes c after optional whitespace.
func (p *fastParser) byte(c byte) bool {
	p.skip()
	if p.i < len(p.b) && p.b[p.i] == c {
		p.i++
		return true
	}
	return false
}

// peek consumes c if it comes next.
func (p *fastParser) peek(c byte) bool { return p.byte(c) }

// end reports whether only whitespace is left.
func (p *fastParser) end() bool {
	p.skip()
	return p.i == len(p.b)
}

// str reads a string without escapes or control characters.
func (p *fastParser) str() ([]byte, bool) {
	if !p.byte('"') {
		return nil, false
	}
	start := p.i
	for p.i < len(p.b) {
		c := p.b[p.i]
		switch {
		case c == '"':
			s := p.b[start:p.i]
			p.i++
			return s, true
		case c == '\\' || c < 0x20:
			return nil, false
		}
		p.i++
	}
	return nil, false
}

func (p *fastParser) records() ([]putEntry, bool) {
	if !p.byte('[') {
		return nil, false
	}
	recs := make([]putEntry, 0, 500)
	if p.peek(']') {
		return recs, true
	}
	for {
		e, ok := p.record()
		if !ok {
			return nil, false
		}
		recs = append(recs, e)
		if p.peek(']') {
			return recs, true
		}
		if !p.byte(',') {
			return nil, false
		}
	}
}

func (p *fastParser) record() (e putEntry, ok bool) {
	if !p.byte('{') {
		return e, false
	}
	if p.peek('}') {
		return e, true
	}
	for {
		key, ok := p.str()
		if !ok || !p.byte(':') {
			return e, false
		}
		v, ok := p.str()
		if !ok {
			return e, false
		}
		switch string(key) {
		case "Data":
			d := make([]byte, base64.StdEncoding.DecodedLen(len(v)))
			n, err := base64.StdEncoding.Decode(d, v)
			if err != nil {
				return e, false
			}
			e.Data = d[:n:n]
		case "PartitionKey", "ExplicitHashKey":
			if !utf8.Valid(v) {
				return e, false
			}
			s := string(v)
			if string(key) == "PartitionKey" {
				e.PartitionKey = &s
			} else {
				e.ExplicitHashKey = &s
			}
		default:
			return e, false
		}
		if p.peek('}') {
			return e, true
		}
		if !p.byte(',') {
			return e, false
		}
	}
}
