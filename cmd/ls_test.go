package cmd

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"strings"
	"testing"

	"github.com/kinspect/kinspect/kinesisx/local"
)

// denyDescribe puts a proxy in front of the endpoint that answers
// DescribeStreamSummary of the stream named deny with AccessDenied, as IAM
// does for a stream the caller may list but not describe.
func denyDescribe(t *testing.T, endpoint, deny string) string {
	t.Helper()
	target, err := url.Parse(endpoint)
	if err != nil {
		t.Fatal(err)
	}
	proxy := httputil.NewSingleHostReverseProxy(target)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		r.Body = io.NopCloser(bytes.NewReader(body))
		if strings.HasSuffix(r.Header.Get("X-Amz-Target"), ".DescribeStreamSummary") && bytes.Contains(body, []byte(`"`+deny+`"`)) {
			w.Header().Set("Content-Type", "application/x-amz-json-1.1")
			w.WriteHeader(http.StatusBadRequest)
			_, _ = w.Write([]byte(`{"__type":"AccessDeniedException","message":"not authorized to perform kinesis:DescribeStreamSummary"}`))
			return
		}
		proxy.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	return srv.URL
}

// TestLsShowsOtherStreamsWhenOneFails: one stream that cannot be described
// is listed and marked with its reason; the others are shown whole; the
// exit code is 1.
func TestLsShowsOtherStreamsWhenOneFails(t *testing.T) {
	e := newWriteEnv(t, local.Options{})
	good, bad := e.stream(2), e.stream(1)
	e.url = denyDescribe(t, e.url, bad)

	r := e.run("", false, "ls")
	wantExit(t, r, 1, "1 of 2 streams could not be described")
	if n := strings.Count(strings.TrimSpace(r.stderr), "\n"); n != 0 {
		t.Errorf("stderr is %d lines, want one:\n%s", n+1, r.stderr)
	}
	var goodLine, badLine string
	for _, l := range strings.Split(r.stdout, "\n") {
		switch {
		case strings.Contains(l, bad):
			badLine = l
		case strings.Contains(l, good):
			goodLine = l
		}
	}
	if !strings.Contains(goodLine, "ACTIVE") || !strings.Contains(goodLine, " 2 ") {
		t.Errorf("good stream's row %q, want it described\n%s", goodLine, r.stdout)
	}
	if !strings.HasPrefix(badLine, "! ") || !strings.Contains(badLine, "AccessDeniedException") {
		t.Errorf("failed stream's row %q, want a ! marker and the reason\n%s", badLine, r.stdout)
	}

	r = e.run("", false, "ls", "-o", "json")
	wantExit(t, r, 1, "could not be described")
	var got []map[string]any
	if err := json.Unmarshal([]byte(r.stdout), &got); err != nil {
		t.Fatalf("%v\n%s", err, r.stdout)
	}
	byName := map[string]map[string]any{}
	for _, s := range got {
		byName[s["name"].(string)] = s
	}
	if s := byName[good]; s == nil || s["openShards"] != 2.0 || s["error"] != nil {
		t.Errorf("good stream %v, want 2 open shards and no error", s)
	}
	if s := byName[bad]; s == nil || !strings.Contains(s["error"].(string), "AccessDeniedException") {
		t.Errorf("failed stream %v, want an error field with the reason", s)
	}
}
