package payload

import "regexp"

// Plain returns what a search should look in: the payload with its
// wrappings undone (see Unwrap), or the payload itself.
func Plain(b []byte) []byte {
	if in, ok := Unwrap(b); ok {
		return in
	}
	return b
}

// Unwrap undoes a payload's wrappings as Decode finds them, up to its
// nesting depth: gzip inflated (at most MaxDecompressed bytes) and base64
// of JSON or gzip decoded. ok is false when there was nothing to undo.
func Unwrap(b []byte) (inner []byte, ok bool) {
	for depth := 0; depth < maxDepth; depth++ {
		switch {
		case isGzip(b):
			out, _, _ := gunzip(b, MaxDecompressed)
			if out == nil {
				return b, ok
			}
			b, ok = out, true
		case isText(b):
			out, decoded := unbase64(b)
			if !decoded {
				return b, ok
			}
			b, ok = out, true
		default:
			return b, ok
		}
	}
	return b, ok
}

// Match reports whether re matches the payload as it is or with its
// wrappings undone: what the TUI's filter and kinspect find look for.
func Match(re *regexp.Regexp, b []byte) bool {
	if re.Match(b) {
		return true
	}
	inner, ok := Unwrap(b)
	return ok && re.Match(inner)
}
