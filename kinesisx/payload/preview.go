package payload

import (
	"encoding/hex"

	"github.com/charmbracelet/x/ansi"
)

// scanLimit is how much of a payload (after inflating) Preview looks at.
// Payloads up to this size are classified exactly as Decode does; longer
// ones by this prefix, so a preview costs the same for 1 KiB and 10 MiB.
const scanLimit = 64 << 10

// ellipsis marks a preview that was cut.
const ellipsis = "…"

// Preview returns b on one line of at most width terminal cells (East
// Asian wide characters count two): JSON compacted, text with control
// characters and newlines escaped, gzip as "gzip: " and a preview of what
// it inflates to (a CloudWatch Logs message as its group, stream, event
// count and first message), base64 text that holds JSON or gzip as
// "base64: " and a preview of that, binary as "0x" and hex, and "(empty)".
// A cut preview ends with "…".
func Preview(b []byte, width int) string {
	if width <= 0 {
		return ""
	}
	s, cut := previewOf(b, false, width, 0)
	return fit(s, cut, width)
}

// fit cuts s to width cells, ending it with "…" if it was cut before or
// here. Printable ASCII, the common case, is one cell a byte and skips
// the grapheme-aware measuring.
func fit(s string, cut bool, width int) string {
	if isPrintableASCII(s) {
		switch {
		case len(s) > width || (cut && len(s) == width):
			return s[:width-1] + ellipsis
		case cut:
			return s + ellipsis
		default:
			return s
		}
	}
	if cut {
		s += ellipsis
	}
	return ansi.Truncate(s, width, ellipsis)
}

// isPrintableASCII reports whether s has only bytes 0x20 to 0x7e.
func isPrintableASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < 0x20 || s[i] > 0x7e {
			return false
		}
	}
	return true
}

// previewOf returns the unfitted preview of b, long enough to fill width
// cells when b is, and whether the payload has more than it shows. more
// says that b is already only a prefix of the payload.
func previewOf(b []byte, more bool, width, depth int) (string, bool) {
	if isGzip(b) && depth < maxDepth {
		// A prefix of a gzip stream reads as a broken stream, so more
		// carries over to the inflated bytes by itself.
		inner, innerMore := gunzipPrefix(b, scanLimit)
		if inner != nil {
			if !innerMore && classify(inner, true) == JSON {
				if l := parseLogs(inner); l != nil {
					return "gzip: " + escape(l.preview(), false), false
				}
			}
			s, cut := previewOf(inner, innerMore, width, depth+1)
			return "gzip: " + s, cut
		}
	}
	// Enough bytes to fill width cells: a cell takes at most 4 bytes of
	// UTF-8, and escapes only make the text wider.
	budget := 4*width + 16
	scan, partial := cutRunes(b, scanLimit)
	partial = partial || more
	switch classify(scan, !partial) {
	case Empty:
		return "(empty)", partial
	case JSON:
		c := compactPrefix(scan, budget)
		return escape(string(c), false), partial || len(c) >= budget
	case Text:
		if inner, ok := unbase64(scan); ok && !partial && depth < maxDepth {
			s, cut := previewOf(inner, false, width, depth+1)
			return "base64: " + s, cut
		}
		t, cut := cutRunes(scan, budget)
		return escape(string(t), false), partial || cut
	default: // binary, or gzip nested too deep or with a broken header
		n := min(len(b), width/2+1)
		return "0x" + hex.EncodeToString(b[:n]), more || n < len(b)
	}
}
