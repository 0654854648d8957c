package payload

import (
	"encoding/base64"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/charmbracelet/x/ansi"
)

// seeds are payloads of every kind for the fuzzers; more are committed in
// testdata/fuzz.
func seeds(tb testing.TB) [][]byte {
	return [][]byte{
		nil,
		[]byte("plain text"),
		[]byte("\x1b[31mred\x1b[0m\r\n\u202e"),
		[]byte(`{"a":[1,2,{"b":"c\n"}]}`),
		[]byte("[\"\xff\"]"),
		[]byte{0, 1, 2, 0xfe, 0xff},
		[]byte("鍵🔑 データ"),
		gz(tb, []byte(cwLogs)),
		gz(tb, []byte(cwControl)),
		gz(tb, gz(tb, []byte("twice"))),
		{0x1f, 0x8b, 8},
		[]byte(base64.StdEncoding.EncodeToString([]byte(`{"k":"v"}`))),
	}
}

// checkSafeText fails if s holds a character that a terminal would act on
// (beyond newline and tab when multiline).
func checkSafeText(t *testing.T, what, s string, multiline bool) {
	t.Helper()
	if !utf8.ValidString(s) {
		t.Fatalf("%s is not valid UTF-8: %q", what, s)
	}
	for _, r := range s {
		if (multiline && (r == '\n' || r == '\t')) || !(isControl(r) || isInvisibleControl(r)) {
			continue
		}
		t.Fatalf("%s holds control character %U: %q", what, r, s)
	}
}

func FuzzDecode(f *testing.F) {
	for _, s := range seeds(f) {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		d := Decode(b)
		for depth := 0; ; depth++ {
			checkSafeText(t, "Text", d.Text, true)
			if d.Kind == Gzip || d.Kind == Base64 {
				if d.Inner == nil || depth >= maxDepth {
					t.Fatalf("%v layer %d: inner %v", d.Kind, depth, d.Inner)
				}
				d = *d.Inner
				continue
			}
			if d.Inner != nil {
				t.Fatalf("%v with an inner payload", d.Kind)
			}
			break
		}
		data, enc := JSONString(b)
		var back []byte
		switch enc {
		case "utf8":
			back = []byte(data)
		case "base64":
			var err error
			if back, err = base64.StdEncoding.DecodeString(data); err != nil {
				t.Fatal(err)
			}
		default:
			t.Fatalf("encoding %q", enc)
		}
		if string(back) != string(b) {
			t.Fatalf("JSONString round trip: %q -> %q", b, back)
		}
		if pretty, ok := Pretty(b); ok {
			if again, ok := Pretty(pretty); !ok || string(again) != string(pretty) {
				t.Fatalf("Pretty is not idempotent")
			}
		}
		if dump := HexDump(b); len(b) > 0 && !strings.HasSuffix(dump, "\n") {
			t.Fatalf("hex dump does not end in a newline")
		}
	})
}

func FuzzPreview(f *testing.F) {
	for i, s := range seeds(f) {
		f.Add(s, i*7)
	}
	f.Fuzz(func(t *testing.T, b []byte, width int) {
		width %= 300
		p := Preview(b, width)
		if w := ansi.StringWidth(p); w > max(width, 0) {
			t.Fatalf("preview %q is %d cells wide, limit %d", p, w, width)
		}
		checkSafeText(t, "preview", p, false)
		if width >= 8 && len(b) > 0 && p == "" {
			t.Fatalf("empty preview at width %d", width)
		}
	})
}
