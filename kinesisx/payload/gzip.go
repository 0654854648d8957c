package payload

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"io"
)

// gunzip inflates b, reading at most limit bytes. It returns what it
// inflated, whether that is only a prefix (the limit was reached or the
// stream is broken), and why the stream could not be read to its end. A
// nil result with an error means b is not a readable gzip stream at all.
func gunzip(b []byte, limit int64) ([]byte, bool, error) {
	zr, err := gzip.NewReader(bytes.NewReader(b))
	if err != nil {
		return nil, false, fmt.Errorf("gzip header: %w", err)
	}
	defer zr.Close()
	out, err := io.ReadAll(io.LimitReader(zr, limit+1))
	if int64(len(out)) > limit {
		return out[:limit], true, fmt.Errorf("gzip: inflated past %d bytes: stopped there", limit)
	}
	if err != nil {
		return out, true, fmt.Errorf("gzip: %w", err)
	}
	return out, false, nil
}

// gunzipPrefix inflates the first n bytes of b, for previews. It returns
// nil when b is not a readable gzip stream, and whether more output
// remains (or the stream was broken before n bytes).
func gunzipPrefix(b []byte, n int) ([]byte, bool) {
	zr, err := gzip.NewReader(bytes.NewReader(b))
	if err != nil {
		return nil, false
	}
	defer zr.Close()
	out, err := io.ReadAll(io.LimitReader(zr, int64(n)+1))
	switch {
	case len(out) > n:
		return out[:n], true
	case err != nil:
		return out, true // broken or cut stream
	default:
		return out, false
	}
}
