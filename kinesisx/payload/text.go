package payload

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// isControl reports whether r is a C0 or C1 control character or DEL.
func isControl(r rune) bool {
	return r < 0x20 || (r >= 0x7f && r < 0xa0)
}

// isInvisibleControl reports whether r changes how the text around it is
// laid out without being seen: bidirectional overrides and isolates, and
// the Unicode line and paragraph separators.
func isInvisibleControl(r rune) bool {
	switch {
	case r == 0x200e || r == 0x200f, r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069:
		return true
	case r == 0x2028 || r == 0x2029:
		return true
	}
	return false
}

// escape returns s with control characters written as Go escapes (\r,
// \x1b, \u202e), so that it is safe to print to a terminal. Newlines and
// tabs are kept when multiline is true. Invalid UTF-8 bytes are written
// as \xNN.
func escape(s string, multiline bool) string {
	clean := utf8.ValidString(s)
	for _, r := range s {
		if needsEscape(r, multiline) {
			clean = false
			break
		}
	}
	if clean {
		return s
	}
	var sb strings.Builder
	sb.Grow(len(s) + 16)
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			fmt.Fprintf(&sb, `\x%02x`, s[i])
		case !needsEscape(r, multiline):
			sb.WriteString(s[i : i+size])
		case r == '\n':
			sb.WriteString(`\n`)
		case r == '\t':
			sb.WriteString(`\t`)
		case r == '\r':
			sb.WriteString(`\r`)
		case r < 0x80:
			fmt.Fprintf(&sb, `\x%02x`, r)
		default:
			fmt.Fprintf(&sb, `\u%04x`, r)
		}
		i += size
	}
	return sb.String()
}

// needsEscape reports whether escape rewrites r.
func needsEscape(r rune, multiline bool) bool {
	if multiline && (r == '\n' || r == '\t') {
		return false
	}
	return isControl(r) || isInvisibleControl(r)
}

// cutRunes returns at most n bytes of b, cut at a rune boundary when b is
// longer, and whether anything was cut.
func cutRunes(b []byte, n int) ([]byte, bool) {
	if len(b) <= n {
		return b, false
	}
	b = b[:n]
	// Drop an incomplete rune at the end (at most 3 bytes).
	for i := 1; i <= utf8.UTFMax-1 && i <= len(b); i++ {
		c := b[len(b)-i]
		if utf8.RuneStart(c) {
			if !utf8.FullRune(b[len(b)-i:]) {
				b = b[:len(b)-i]
			}
			break
		}
	}
	return b, true
}
