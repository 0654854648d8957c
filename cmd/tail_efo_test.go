package cmd

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/kinspect/kinspect/kinesisx/local"
)

// tail --efo against an endpoint whose SubscribeToShard answers HTTP 500
// (moto) says in one line that it has no enhanced fan-out and how to read
// instead, and exits 1.
func TestTailEFOOnEndpointWithoutIt(t *testing.T) {
	e := newWriteEnv(t, local.Options{})
	stream := e.stream(1)
	h := e.srv.Handler()
	moto := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasSuffix(r.Header.Get("X-Amz-Target"), ".SubscribeToShard") {
			http.Error(w, "<h1>Internal Server Error</h1>", http.StatusInternalServerError)
			return
		}
		h.ServeHTTP(w, r)
	}))
	defer moto.Close()
	m := *e
	m.url = moto.URL
	r := m.run("", false, "tail", stream, "--efo", "--from", "trim-horizon", "--idle", "2s")
	wantExit(t, r, 1, "does not support enhanced fan-out")
	if !strings.Contains(r.stderr, "drop --efo") || strings.Count(r.stderr, "\n") != 1 || r.stdout != "" {
		t.Errorf("stderr %q, stdout %q: want one line that suggests polling", r.stderr, r.stdout)
	}
}
