package payload

import (
	"bytes"
	"fmt"
	"testing"
)

// benchPayloads are typical record payloads: a small JSON event, a 1 MiB
// JSON document, a gzip CloudWatch Logs message, and 1 KiB of binary.
func benchPayloads(tb testing.TB) []struct {
	name string
	b    []byte
} {
	var big bytes.Buffer
	big.WriteString(`{"items":[`)
	for i := 0; big.Len() < 1<<20; i++ {
		fmt.Fprintf(&big, `{"id": %d, "name": "item %d", "tags": ["a", "b"]}, `, i, i)
	}
	big.WriteString(`{}]}`)
	bin := make([]byte, 1024)
	for i := range bin {
		bin[i] = byte(i * 31)
	}
	return []struct {
		name string
		b    []byte
	}{
		{"json-small", []byte(`{"orderId":"o-42","amount":19.99,"currency":"EUR","at":"2026-11-26T07:25:00Z"}`)},
		{"json-1MiB", big.Bytes()},
		{"cwlogs-gzip", gz(tb, []byte(cwLogs))},
		{"binary-1KiB", bin},
	}
}

func BenchmarkPreview(b *testing.B) {
	for _, p := range benchPayloads(b) {
		b.Run(p.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				_ = Preview(p.b, 120)
			}
		})
	}
}

func BenchmarkDecode(b *testing.B) {
	for _, p := range benchPayloads(b) {
		b.Run(p.name, func(b *testing.B) {
			b.SetBytes(int64(len(p.b)))
			b.ReportAllocs()
			for b.Loop() {
				_ = Decode(p.b)
			}
		})
	}
}
