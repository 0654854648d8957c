package cmd

import (
	"encoding/json"
	"encoding/pem"
	"net"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/kinspect/kinspect/kinesisx/local"
)

// Over TLS with a private CA in AWS_CA_BUNDLE, as behind a corporate proxy
// or a VPC endpoint with its own certificate: listing, an EFO tail (which
// needs HTTP/2) and CloudWatch metrics all trust the bundle, because every
// SDK client is built on the configuration's HTTP client.
func TestCABundleReachesEveryClient(t *testing.T) {
	e := newWriteEnv(t, local.Options{})
	stream := e.stream(1)
	wantExit(t, e.run("", false, "put", "--yes", stream, "--key", "k", "--data", "x", "--count", "3"), 0, "")

	backend, err := url.Parse(e.url)
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	protos := map[string]int{} // X-Amz-Target or path → HTTP major version
	proxy := httputil.NewSingleHostReverseProxy(backend)
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		op := r.Header.Get("X-Amz-Target")
		if op == "" {
			op = r.URL.Path
		}
		mu.Lock()
		protos[op] = r.ProtoMajor
		mu.Unlock()
		proxy.ServeHTTP(w, r)
	}))
	srv.EnableHTTP2 = true
	srv.StartTLS()
	t.Cleanup(srv.Close)

	bundle := filepath.Join(t.TempDir(), "ca.pem")
	cert := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: srv.Certificate().Raw})
	if err := os.WriteFile(bundle, cert, 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv("AWS_CA_BUNDLE", bundle)
	tls := *e
	tls.url = srv.URL

	r := tls.run("", false, "ls", "-o", "json")
	wantExit(t, r, 0, "")
	if !strings.Contains(r.stdout, stream) {
		t.Fatalf("ls over TLS: %s", r.stdout)
	}
	r = tls.run("", false, "tail", stream, "--efo", "--from", "trim-horizon", "--max", "3", "-o", "json")
	wantExit(t, r, 0, "")
	if n := strings.Count(strings.TrimSpace(r.stdout), "\n") + 1; n != 3 {
		t.Fatalf("EFO tail over TLS printed %d records:\n%s", n, r.stdout)
	}
	r = tls.run("", false, "metrics", stream, "-o", "json")
	wantExit(t, r, 0, "")
	if !json.Valid([]byte(r.stdout)) {
		t.Fatalf("metrics over TLS: %s", r.stdout)
	}

	mu.Lock()
	defer mu.Unlock()
	if v := protos["Kinesis_20131202.SubscribeToShard"]; v != 2 {
		t.Errorf("SubscribeToShard went over HTTP/%d, want HTTP/2 (seen: %v)", v, protos)
	}
	for _, op := range []string{"Kinesis_20131202.ListStreams", "/service/GraniteServiceVersion20100801/operation/GetMetricData"} {
		if _, ok := protos[op]; !ok {
			t.Errorf("no %s through the TLS endpoint (seen: %v)", op, protos)
		}
	}
}

// When the endpoint cannot be reached, the error says why in one line and
// what to try, without the SDK's retry count and request IDs.
func TestUnreachableEndpoint(t *testing.T) {
	e := newWriteEnv(t, local.Options{})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	refused := "http://" + ln.Addr().String()
	ln.Close()
	tlsSrv := httptest.NewTLSServer(http.NotFoundHandler())
	t.Cleanup(tlsSrv.Close)

	for _, tt := range []struct {
		name, url string
		want      []string // one of them
	}{
		{"nothing listening", refused, []string{"kinspect: list streams: cannot reach " + refused + ": connection refused (is the endpoint running? `kinspect local` starts one)"}},
		// The plain server answers the TLS hello with a 400 and hangs up:
		// net/http sees an HTTP answer, or the 400 and then the reset.
		{"https to plain HTTP", strings.Replace(e.url, "http://", "https://", 1), []string{
			"it speaks plain HTTP (use an http:// endpoint URL)",
			"list streams: the endpoint answered HTTP 400, not as Kinesis does (",
		}},
		{"private CA", tlsSrv.URL, []string{"its TLS certificate is signed by an unknown authority (set AWS_CA_BUNDLE to a file with your CA's certificates)"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			other := *e
			other.url = tt.url
			r := other.run("", false, "ls")
			if r.code != 1 || !slices.ContainsFunc(tt.want, func(w string) bool { return strings.Contains(r.stderr, w) }) {
				t.Errorf("exit %d, want 1 with one of %q\nstderr: %s", r.code, tt.want, r.stderr)
			}
			if strings.Count(strings.TrimSpace(r.stderr), "\n") != 0 || strings.Contains(r.stderr, "RequestID") || strings.Contains(r.stderr, "attempts") {
				t.Errorf("stderr %q", r.stderr)
			}
		})
	}
}
