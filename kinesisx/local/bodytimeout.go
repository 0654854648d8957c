package local

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"sync"
	"time"
)

// bodyTimePerMiB is the time a request body gets for every MiB it
// declares, on top of Options.BodyReadTimeout: 1 MiB/s, far below what any
// client sends over loopback or a LAN, even on a loaded machine.
const bodyTimePerMiB = time.Second

// bodyTimeout is how long a body of length bytes (-1: unknown) may take to
// arrive.
func bodyTimeout(base time.Duration, length int64) time.Duration {
	if length < 0 || length > maxBody {
		length = maxBody
	}
	return base + time.Duration(length)*bodyTimePerMiB/(1<<20)
}

// limitBodyTime cuts a request whose body has not arrived within
// bodyTimeout: it sets the connection's (HTTP/1.1) or the stream's (h2c)
// read deadline when the request starts, and clears it when the body has
// been read to its end, so that a response that lasts (a SubscribeToShard
// stream, which reads nothing more) is not cut. http.Server's ReadTimeout
// would cut those streams: over HTTP/1.1 the server keeps reading the
// connection while a handler runs, and cancels the request when that read
// times out.
func limitBodyTime(next http.Handler, base time.Duration) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Body == nil || r.Body == http.NoBody {
			next.ServeHTTP(w, r)
			return
		}
		limit := bodyTimeout(base, r.ContentLength)
		rc := http.NewResponseController(w)
		if err := rc.SetReadDeadline(time.Now().Add(limit)); err != nil {
			next.ServeHTTP(w, r) // a writer without deadlines
			return
		}
		b := &timedBody{ReadCloser: r.Body, rc: rc, limit: limit}
		r.Body = b
		next.ServeHTTP(w, r)
	})
}

// timedBody is a request body under a read deadline; it lifts the deadline
// once the body has been read to its end.
type timedBody struct {
	io.ReadCloser
	rc    *http.ResponseController
	limit time.Duration
	once  sync.Once
}

func (b *timedBody) Read(p []byte) (int, error) {
	n, err := b.ReadCloser.Read(p)
	switch {
	case err == io.EOF:
		b.clear()
	case errors.Is(err, os.ErrDeadlineExceeded):
		err = fmt.Errorf("request body not received within %v: %w", b.limit, err)
	}
	return n, err
}

// clear lifts the read deadline, once. A body that was not read to its end
// keeps it: the server then cannot wait for the rest past the deadline
// (over HTTP/1.1 it sets its own for the next request).
func (b *timedBody) clear() {
	b.once.Do(func() { _ = b.rc.SetReadDeadline(time.Time{}) })
}
