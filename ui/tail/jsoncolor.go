package tail

import (
	"strings"

	"github.com/kinspect/kinspect/ui/theme"
)

// jsonClass is the kind of token a byte of a JSON line belongs to.
type jsonClass uint8

const (
	jsonNone jsonClass = iota // whitespace, or what is not JSON
	jsonKey
	jsonString
	jsonNumber
	jsonLiteral // true, false, null
	jsonPunct
)

// classifyJSON finds the token class of every byte of one line of a
// pretty-printed JSON document. A pretty-printer never breaks a string
// across lines, so each line can be read on its own; a string followed by
// a colon is a key.
func classifyJSON(line string) []jsonClass {
	cls := make([]jsonClass, len(line))
	for i := 0; i < len(line); {
		c := line[i]
		switch {
		case c == '"':
			j := i + 1
			for j < len(line) && line[j] != '"' {
				if line[j] == '\\' {
					j++
				}
				j++
			}
			j = min(j+1, len(line))
			k := jsonString
			if rest := strings.TrimLeft(line[j:], " "); strings.HasPrefix(rest, ":") {
				k = jsonKey
			}
			fill(cls[i:j], k)
			i = j
		case strings.IndexByte("{}[],:", c) >= 0:
			cls[i] = jsonPunct
			i++
		case c == '-' || c >= '0' && c <= '9':
			j := i + 1
			for j < len(line) && strings.IndexByte("0123456789.eE+-", line[j]) >= 0 {
				j++
			}
			fill(cls[i:j], jsonNumber)
			i = j
		case c >= 'a' && c <= 'z':
			j := i + 1
			for j < len(line) && line[j] >= 'a' && line[j] <= 'z' {
				j++
			}
			if w := line[i:j]; w == "true" || w == "false" || w == "null" {
				fill(cls[i:j], jsonLiteral)
			}
			i = j
		default:
			i++
		}
	}
	return cls
}

func fill(cls []jsonClass, k jsonClass) {
	for i := range cls {
		cls[i] = k
	}
}

// paintJSON paints text, whose bytes have the classes cls, a run of one
// class at a time.
func paintJSON(js theme.JSONInks, text string, cls []jsonClass) string {
	inks := [...]theme.FastStyle{jsonKey: js.Key, jsonString: js.String, jsonNumber: js.Number, jsonLiteral: js.Literal, jsonPunct: js.Punct}
	var b strings.Builder
	for i := 0; i < len(text); {
		j := i + 1
		for j < len(text) && cls[j] == cls[i] {
			j++
		}
		b.WriteString(inks[cls[i]].Paint(text[i:j]))
		i = j
	}
	return b.String()
}
