package kinesisx

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"
	"time"
)

// Template generates record payloads from a text with placeholders, e.g.
// `{"id":{{seq}},"ts":"{{now}}","user":"{{pick ann bob}}"}`. The
// placeholders are:
//
//	{{seq}}         the record's number, counting from 1
//	{{now}}         the time of sending, RFC 3339 with nanoseconds, UTC
//	{{unix}}        the time of sending in Unix seconds
//	{{uuid}}        a random version 4 UUID
//	{{rand N}}      a random integer in [0, N)
//	{{randstr N}}   N random letters and digits
//	{{pick a b c}}  one of the words, at random ("quoted words" may hold spaces)
//	{{key}}         the record's partition key
//
// Spaces inside the braces are optional. Every "{{" starts a placeholder;
// an unknown name or a bad argument is an error when the template is
// parsed, before anything is sent. A Template is immutable and safe for
// concurrent use; randomness comes from the caller's generator.
type Template struct {
	parts []tmplPart
}

type tmplPart struct {
	lit  string
	fn   string // empty for a literal
	n    int
	args []string
}

// maxRandStr bounds {{randstr N}}, the largest record Kinesis accepts.
const maxRandStr = 10 << 20

// ParseTemplate parses a payload template.
func ParseTemplate(text string) (*Template, error) {
	t := &Template{}
	rest := text
	for rest != "" {
		i := strings.Index(rest, "{{")
		if i < 0 {
			t.parts = append(t.parts, tmplPart{lit: rest})
			break
		}
		if i > 0 {
			t.parts = append(t.parts, tmplPart{lit: rest[:i]})
		}
		j := strings.Index(rest[i+2:], "}}")
		if j < 0 {
			return nil, fmt.Errorf("template: %q at offset %d has no closing }}", "{{", len(text)-len(rest)+i)
		}
		inner := rest[i+2 : i+2+j]
		p, err := parsePlaceholder(inner)
		if err != nil {
			return nil, fmt.Errorf("template: {{%s}}: %w", inner, err)
		}
		t.parts = append(t.parts, p)
		rest = rest[i+2+j+2:]
	}
	return t, nil
}

func parsePlaceholder(inner string) (tmplPart, error) {
	words, err := splitWords(inner)
	if err != nil {
		return tmplPart{}, err
	}
	if len(words) == 0 {
		return tmplPart{}, errors.New("empty placeholder")
	}
	p := tmplPart{fn: words[0], args: words[1:]}
	switch p.fn {
	case "seq", "now", "unix", "uuid", "key":
		if len(p.args) != 0 {
			return tmplPart{}, fmt.Errorf("%s takes no argument", p.fn)
		}
	case "rand", "randstr":
		if len(p.args) != 1 {
			return tmplPart{}, fmt.Errorf("%s takes one number, e.g. {{%s 100}}", p.fn, p.fn)
		}
		n, err := strconv.Atoi(p.args[0])
		if err != nil || n < 1 {
			return tmplPart{}, fmt.Errorf("%s: %q is not a positive integer", p.fn, p.args[0])
		}
		if p.fn == "randstr" && n > maxRandStr {
			return tmplPart{}, fmt.Errorf("randstr: %d is longer than the largest record (%d)", n, maxRandStr)
		}
		p.n = n
	case "pick":
		if len(p.args) == 0 {
			return tmplPart{}, errors.New("pick needs at least one word, e.g. {{pick red green}}")
		}
	default:
		return tmplPart{}, fmt.Errorf("unknown placeholder %q (known: seq, now, unix, uuid, rand N, randstr N, pick a b, key)", p.fn)
	}
	return p, nil
}

// splitWords splits on spaces; a word in double quotes may hold spaces and
// Go escapes.
func splitWords(s string) ([]string, error) {
	var words []string
	for {
		s = strings.TrimLeft(s, " \t")
		if s == "" {
			return words, nil
		}
		if s[0] == '"' {
			q, err := strconv.QuotedPrefix(s)
			if err != nil {
				return nil, fmt.Errorf("bad quoted word in %s", s)
			}
			w, _ := strconv.Unquote(q)
			words = append(words, w)
			s = s[len(q):]
			continue
		}
		end := strings.IndexAny(s, " \t")
		if end < 0 {
			end = len(s)
		}
		words = append(words, s[:end])
		s = s[end:]
	}
}

// Render produces the payload of one record.
func (t *Template) Render(info RecordInfo, rnd *rand.Rand) []byte {
	var b []byte
	for _, p := range t.parts {
		switch p.fn {
		case "":
			b = append(b, p.lit...)
		case "seq":
			b = strconv.AppendInt(b, int64(info.Seq), 10)
		case "now":
			b = info.Now.UTC().AppendFormat(b, time.RFC3339Nano)
		case "unix":
			b = strconv.AppendInt(b, info.Now.Unix(), 10)
		case "uuid":
			b = appendUUID(b, rnd)
		case "rand":
			b = strconv.AppendInt(b, rnd.Int64N(int64(p.n)), 10)
		case "randstr":
			b = appendRandString(b, p.n, rnd)
		case "pick":
			b = append(b, p.args[rnd.IntN(len(p.args))]...)
		case "key":
			b = append(b, info.Key...)
		}
	}
	return b
}

// Source returns a never-ending RecordSource over the template. A nil rnd
// means a generator seeded at random.
func (t *Template) Source(rnd *rand.Rand) RecordSource {
	if rnd == nil {
		rnd = rand.New(rand.NewPCG(rand.Uint64(), rand.Uint64()))
	}
	return SourceFunc(func(info RecordInfo) ([]byte, error) {
		return t.Render(info, rnd), nil
	})
}

const randAlphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"

func appendRandString(b []byte, n int, rnd *rand.Rand) []byte {
	for range n {
		b = append(b, randAlphabet[rnd.IntN(len(randAlphabet))])
	}
	return b
}

func appendUUID(b []byte, rnd *rand.Rand) []byte {
	var u [16]byte
	for i := 0; i < 16; i += 8 {
		v := rnd.Uint64()
		for k := range 8 {
			u[i+k] = byte(v >> (8 * k))
		}
	}
	u[6] = u[6]&0x0f | 0x40 // version 4
	u[8] = u[8]&0x3f | 0x80 // RFC 4122 variant
	const hexd = "0123456789abcdef"
	for i, x := range u {
		if i == 4 || i == 6 || i == 8 || i == 10 {
			b = append(b, '-')
		}
		b = append(b, hexd[x>>4], hexd[x&0x0f])
	}
	return b
}
