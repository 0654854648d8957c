package payload

import (
	"bytes"
	"compress/gzip"
	"encoding/base64"
	"fmt"
	"strings"
	"testing"
)

func TestDecode(t *testing.T) {
	deep := []byte("deep")
	for range maxDepth + 1 {
		deep = gz(t, deep)
	}
	var lines bytes.Buffer
	for i := range 2000 {
		fmt.Fprintf(&lines, "line %d of a log that was cut\n", i*7919%10007)
	}
	broken := gz(t, lines.Bytes())
	tests := []struct {
		name      string
		in        []byte
		kind      Kind
		text      string // "" means: not checked
		innerKind Kind
		truncated bool
	}{
		{name: "empty", in: nil, kind: Empty},
		{name: "text", in: []byte("hello\tworld\nline 2"), kind: Text, text: "hello\tworld\nline 2"},
		{name: "text with escapes", in: []byte("red \x1b[31mX\x1b[0m\r\n"), kind: Text, text: `red \x1b[31mX\x1b[0m\r` + "\n"},
		{name: "text with bidi override", in: []byte("abc\u202edef"), kind: Text, text: `abc\u202edef`},
		{name: "unicode text", in: []byte("データ 🚀 ключ"), kind: Text, text: "データ 🚀 ключ"},
		{name: "json object", in: []byte(`{"a":1,"b":[true,null]}`), kind: JSON, text: "{\n  \"a\": 1,\n  \"b\": [\n    true,\n    null\n  ]\n}"},
		{name: "json array with space", in: []byte(" [1, 2] "), kind: JSON, text: "[\n  1,\n  2\n]"},
		{name: "json scalar is text", in: []byte("42"), kind: Text, text: "42"},
		{name: "broken json is text", in: []byte(`{"a":`), kind: Text, text: `{"a":`},
		{name: "json with invalid utf8", in: []byte("[\"\xff\"]"), kind: Binary},
		{name: "nul", in: []byte("ab\x00cd"), kind: Binary, text: "00000000  61 62 00 63 64                                    |ab.cd|\n00000005\n"},
		{name: "many controls", in: []byte("\x01\x02\x03abc"), kind: Binary},
		{name: "gzip json", in: gz(t, []byte(`{"x":"y"}`)), kind: Gzip, innerKind: JSON},
		{name: "gzip text", in: gz(t, []byte("plain")), kind: Gzip, innerKind: Text},
		{name: "gzip binary", in: gz(t, []byte{0, 1, 2, 0xff}), kind: Gzip, innerKind: Binary},
		{name: "gzip empty", in: gz(t, nil), kind: Gzip, innerKind: Empty},
		{name: "gzip of gzip", in: gz(t, gz(t, []byte("x"))), kind: Gzip, innerKind: Gzip},
		{name: "gzip cut short", in: broken[:len(broken)/2], kind: Gzip, innerKind: Text, truncated: true},
		{name: "gzip magic then garbage", in: []byte{0x1f, 0x8b, 8, 0xff, 0xff}, kind: Binary},
		{name: "gzip nested too deep", in: deep, kind: Gzip, innerKind: Gzip},
		{name: "base64 json", in: []byte(b64(`{"id":7}`)), kind: Base64, text: b64(`{"id":7}`), innerKind: JSON},
		{name: "base64 gzip", in: []byte(b64(string(gz(t, []byte("z"))))), kind: Base64, innerKind: Gzip},
		{name: "base64 text stays text", in: []byte(b64("plain words")), kind: Text, text: b64("plain words")},
		{name: "word that is base64", in: []byte("abcdefgh"), kind: Text, text: "abcdefgh"},
		{name: "base64 json unpadded", in: []byte("eyJhIjoxfQ"), kind: Text, text: "eyJhIjoxfQ"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := Decode(tt.in)
			if d.Kind != tt.kind {
				t.Fatalf("kind %v, want %v", d.Kind, tt.kind)
			}
			if d.Size != len(tt.in) {
				t.Errorf("size %d, want %d", d.Size, len(tt.in))
			}
			if tt.text != "" && d.Text != tt.text {
				t.Errorf("text %q, want %q", d.Text, tt.text)
			}
			if d.Truncated != tt.truncated {
				t.Errorf("truncated %v (err %v), want %v", d.Truncated, d.Err, tt.truncated)
			}
			if tt.kind == Gzip || tt.kind == Base64 {
				if d.Inner == nil {
					t.Fatal("no inner")
				}
				if d.Inner.Kind != tt.innerKind {
					t.Errorf("inner kind %v, want %v", d.Inner.Kind, tt.innerKind)
				}
				if tt.kind == Gzip && tt.truncated == (d.Err == nil) {
					t.Errorf("err %v with truncated %v", d.Err, tt.truncated)
				}
			}
		})
	}
}

// TestDecodeNestingStops checks that gzip layers past maxDepth are shown as
// binary instead of being inflated.
func TestDecodeNestingStops(t *testing.T) {
	b := []byte("core")
	for range maxDepth + 1 {
		b = gz(t, b)
	}
	d := Decode(b)
	for range maxDepth {
		if d.Kind != Gzip || d.Inner == nil {
			t.Fatalf("kind %v, want gzip", d.Kind)
		}
		d = *d.Inner
	}
	if d.Kind != Binary {
		t.Errorf("layer %d: kind %v, want binary", maxDepth+1, d.Kind)
	}
}

func TestDecodeCloudWatchLogs(t *testing.T) {
	d := Decode(gz(t, []byte(cwLogs)))
	if d.Kind != Gzip || d.Inner == nil || d.Inner.Kind != JSON {
		t.Fatalf("got %v / %+v, want gzip of JSON", d.Kind, d.Inner)
	}
	want := Logs{MessageType: "DATA_MESSAGE", Owner: "123456789012", LogGroup: "/aws/lambda/orders",
		LogStream: "2026/11/26/[$LATEST]0f1e2d3c", Events: 2, FirstMessage: "START RequestId: 1b2c Version: $LATEST\n"}
	if d.Inner.Logs == nil || *d.Inner.Logs != want {
		t.Errorf("logs %+v, want %+v", d.Inner.Logs, want)
	}
	if !strings.Contains(d.Inner.Text, "\n  \"logEvents\": [\n    {\n") {
		t.Errorf("inner text is not pretty JSON:\n%s", d.Inner.Text)
	}
	if l := Decode([]byte(`{"messageType":"x"}`)).Logs; l != nil {
		t.Errorf("object without logEvents read as logs: %+v", l)
	}
}

// TestGzipBomb inflates 20 MiB of zeros packed into 25 KB: Decode must
// stop at MaxDecompressed and say so.
func TestGzipBomb(t *testing.T) {
	var buf bytes.Buffer
	zw, err := gzip.NewWriterLevel(&buf, gzip.BestSpeed)
	if err != nil {
		t.Fatal(err)
	}
	chunk := make([]byte, 1<<20)
	for range 20 {
		if _, err := zw.Write(chunk); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	bomb := buf.Bytes()
	d := Decode(bomb)
	if d.Kind != Gzip || d.Inner == nil {
		t.Fatalf("kind %v, want gzip", d.Kind)
	}
	if d.Inner.Size != MaxDecompressed || !d.Truncated || d.Err == nil {
		t.Errorf("inflated %d bytes (truncated %v, err %v), want %d and truncated", d.Inner.Size, d.Truncated, d.Err, MaxDecompressed)
	}
	if p := Preview(bomb, 30); p != "gzip: 0x000000000000000000000…" {
		t.Errorf("preview %q", p)
	}
}

func TestHexDumpCapped(t *testing.T) {
	big := make([]byte, MaxHexDump+1)
	big[0] = 0xff // binary, not text
	d := Decode(big)
	if d.Kind != Binary || !d.Truncated {
		t.Fatalf("kind %v truncated %v", d.Kind, d.Truncated)
	}
	if !strings.HasSuffix(d.Text, "\n00100000\n") {
		t.Errorf("dump does not stop at %d bytes: ends %q", MaxHexDump, d.Text[len(d.Text)-20:])
	}
}

func TestJSONString(t *testing.T) {
	tests := []struct {
		in       []byte
		data     string
		encoding string
	}{
		{nil, "", "utf8"},
		{[]byte(`{"a":"ü"}`), `{"a":"ü"}`, "utf8"},
		{[]byte("line\n\x00"), "line\n\x00", "utf8"},
		{[]byte{0xff, 0xfe}, "//4=", "base64"},
		{gz(t, []byte("x"))[:4], "H4sIAA==", "base64"},
	}
	for _, tt := range tests {
		data, enc := JSONString(tt.in)
		if data != tt.data || enc != tt.encoding {
			t.Errorf("JSONString(%q) = %q, %q; want %q, %q", tt.in, data, enc, tt.data, tt.encoding)
		}
	}
}

func TestKindString(t *testing.T) {
	for k, want := range map[Kind]string{Binary: "binary", Empty: "empty", Text: "text", JSON: "json", Gzip: "gzip", Base64: "base64", Kind(99): "binary"} {
		if k.String() != want {
			t.Errorf("%d.String() = %q, want %q", k, k.String(), want)
		}
	}
}

// b64 encodes s in standard base64.
func b64(s string) string {
	return base64.StdEncoding.EncodeToString([]byte(s))
}

func TestPlain(t *testing.T) {
	doc := []byte(`{"level":"ERROR","msg":"disk full"}`)
	zipped := gz(t, doc)
	for _, tt := range []struct {
		name string
		in   []byte
		want []byte
	}{
		{"text", []byte("hello"), []byte("hello")},
		{"json", doc, doc},
		{"gzip", zipped, doc},
		{"base64 of gzip", []byte(base64.StdEncoding.EncodeToString(zipped)), doc},
		{"gzip of gzip", gz(t, zipped), doc},
		{"binary", []byte{0, 1, 2, 0xff}, []byte{0, 1, 2, 0xff}},
		{"broken gzip", []byte{0x1f, 0x8b, 9, 9}, []byte{0x1f, 0x8b, 9, 9}},
		{"empty", nil, nil},
	} {
		if got := Plain(tt.in); !bytes.Equal(got, tt.want) {
			t.Errorf("%s: Plain = %q, want %q", tt.name, got, tt.want)
		}
		if _, ok := Unwrap(tt.in); ok != !bytes.Equal(tt.in, tt.want) {
			t.Errorf("%s: Unwrap says %v", tt.name, ok)
		}
	}
}
