package payload

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"io"
	"sync"
)

// readers keeps gzip readers for reuse: a new one allocates about 40 KB of
// inflate state, which dominated filtering a buffer of gzip payloads (the
// TUI's filter and kinspect find inflate every record they look at). A
// sync.Pool is safe for concurrent use and holds no state between uses.
var readers sync.Pool

// openGzip returns a reader of the gzip stream b, to be given back with
// closeGzip.
func openGzip(b []byte) (*gzip.Reader, error) {
	if zr, ok := readers.Get().(*gzip.Reader); ok {
		if err := zr.Reset(bytes.NewReader(b)); err != nil {
			readers.Put(zr)
			return nil, err
		}
		return zr, nil
	}
	return gzip.NewReader(bytes.NewReader(b))
}

func closeGzip(zr *gzip.Reader) {
	_ = zr.Close()
	readers.Put(zr)
}

// gunzip inflates b, reading at most limit bytes. It returns what it
// inflated, whether that is only a prefix (the limit was reached or the
// stream is broken), and why the stream could not be read to its end. A
// nil result with an error means b is not a readable gzip stream at all.
func gunzip(b []byte, limit int64) ([]byte, bool, error) {
	zr, err := openGzip(b)
	if err != nil {
		return nil, false, fmt.Errorf("gzip header: %w", err)
	}
	defer closeGzip(zr)
	var out bytes.Buffer
	out.Grow(min(4*len(b), int(limit)+1)) // log payloads inflate about 4 to 10 times
	_, err = out.ReadFrom(io.LimitReader(zr, limit+1))
	if int64(out.Len()) > limit {
		return out.Bytes()[:limit], true, fmt.Errorf("gzip: inflated past %d bytes: stopped there", limit)
	}
	if err != nil {
		return out.Bytes(), true, fmt.Errorf("gzip: %w", err)
	}
	return out.Bytes(), false, nil
}

// gunzipPrefix inflates the first n bytes of b, for previews. It returns
// nil when b is not a readable gzip stream, and whether more output
// remains (or the stream was broken before n bytes).
func gunzipPrefix(b []byte, n int) ([]byte, bool) {
	zr, err := openGzip(b)
	if err != nil {
		return nil, false
	}
	defer closeGzip(zr)
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
