package payload

import (
	"bytes"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
)

func TestPreview(t *testing.T) {
	bigJSON := []byte(`{"items":[` + strings.Repeat(`{"k": "v"}, `, 20000) + `{}]}`)
	tests := []struct {
		name  string
		in    []byte
		width int
		want  string
	}{
		{"empty", nil, 20, "(empty)"},
		{"zero width", []byte("abc"), 0, ""},
		{"negative width", []byte("abc"), -3, ""},
		{"fits", []byte("hello"), 5, "hello"},
		{"cut", []byte("hello world"), 8, "hello w…"},
		{"width one", []byte("hello"), 1, "…"},
		{"newlines and tabs escaped", []byte("a\tb\r\nc"), 20, `a\tb\r\nc`},
		{"escape sequence escaped", []byte("\x1b[31mred"), 20, `\x1b[31mred`},
		{"json compacted", []byte("{\n  \"a\": 1,\n  \"b\": \"x y\"\n}"), 40, `{"a":1,"b":"x y"}`},
		{"json newline in string stays escaped", []byte(`["a\nb"]`), 40, `["a\nb"]`},
		{"big json is cut", bigJSON, 30, `{"items":[{"k":"v"},{"k":"v"}…`},
		{"wide runes", []byte("鍵鍵鍵鍵鍵鍵"), 10, "鍵鍵鍵鍵…"},
		{"wide runes odd width", []byte("鍵鍵鍵鍵鍵鍵"), 9, "鍵鍵鍵鍵…"},
		{"wide rune fits exactly", []byte("鍵鍵"), 4, "鍵鍵"},
		{"emoji", []byte("🚀🚀🚀"), 5, "🚀🚀…"},
		{"binary", []byte{0, 1, 0xab, 0xff}, 20, "0x0001abff"},
		{"binary cut", []byte{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, 10, "0x0001020…"},
		{"gzip text", gz(t, []byte("inside")), 30, "gzip: inside"},
		{"gzip json", gz(t, []byte("{ \"a\" : [1, 2] }")), 30, `gzip: {"a":[1,2]}`},
		{"cloudwatch logs", gz(t, []byte(cwLogs)), 200, `gzip: logs /aws/lambda/orders 2026/11/26/[$LATEST]0f1e2d3c (2 events): START RequestId: 1b2c Version: $LATEST\n`},
		{"cloudwatch logs cut", gz(t, []byte(cwLogs)), 30, `gzip: logs /aws/lambda/orders…`},
		{"cloudwatch control", gz(t, []byte(cwControl)), 60, `gzip: logs control: CWL CONTROL MESSAGE: Checking health of…`},
		{"base64 json", []byte(b64(`{"a": 1}`)), 30, `base64: {"a":1}`},
		{"base64 cloudwatch logs", []byte(b64(string(gz(t, []byte(cwControl))))), 40, `base64: gzip: logs control: CWL CONTROL…`},
		{"base64 text stays", []byte(b64("hello there")), 30, "aGVsbG8gdGhlcmU="},
		{"gzip cut short", gz(t, []byte("some text here"))[:15], 40, "gzip: some…"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Preview(tt.in, tt.width)
			if got != tt.want {
				t.Errorf("Preview = %q, want %q", got, tt.want)
			}
			if w := ansi.StringWidth(got); w > max(tt.width, 0) {
				t.Errorf("width %d > %d", w, tt.width)
			}
		})
	}
}

// TestPreviewLargeGzipPrefix checks that a gzip payload inflating past
// scanLimit is previewed from its prefix and marked as cut.
func TestPreviewLargeGzipPrefix(t *testing.T) {
	text := bytes.Repeat([]byte("abcdefgh"), scanLimit) // 8 x scanLimit
	got := Preview(gz(t, text), 20)
	if got != "gzip: abcdefghabcde…" {
		t.Errorf("Preview = %q", got)
	}
}

// TestFitASCIIMatchesAnsi checks the ASCII fast path of fit against the
// grapheme-aware path it replaces.
func TestFitASCIIMatchesAnsi(t *testing.T) {
	for _, s := range []string{"", "a", "abc", "hello world", `{"a":1}`} {
		for _, cut := range []bool{false, true} {
			for width := 1; width <= 13; width++ {
				want := s
				if cut {
					want += ellipsis
				}
				want = ansi.Truncate(want, width, ellipsis)
				if got := fit(s, cut, width); got != want {
					t.Errorf("fit(%q, %v, %d) = %q, want %q", s, cut, width, got, want)
				}
			}
		}
	}
}
