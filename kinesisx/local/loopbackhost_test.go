package local_test

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/kinspect/kinspect/kinesisx/local"
)

// An endpoint bound to loopback answers requests addressed to loopback
// names and addresses, and refuses others (a page that rebinds its domain
// to 127.0.0.1) with 403 and an AWS-shaped body, over HTTP/1.1 and h2c.
func TestLoopbackEndpointRefusesOtherHosts(t *testing.T) {
	url := startLocal(t, local.Options{})
	port := url[strings.LastIndex(url, ":"):]
	var p http.Protocols
	p.SetUnencryptedHTTP2(true)
	h2c := &http.Transport{Protocols: &p}
	defer h2c.CloseIdleConnections()
	h1 := &http.Transport{}
	defer h1.CloseIdleConnections()

	cases := []struct {
		host string
		ok   bool
	}{
		{strings.TrimPrefix(url, "http://"), true},
		{"localhost" + port, true},
		{"LocalHost", true},
		{"kinesis.localhost" + port, true},
		{"127.1.2.3" + port, true},
		{"[::1]" + port, true},
		{"evil.example" + port, false},
		{"evil.example", false},
		{"localhost.evil.example" + port, false},
		{"127.0.0.1.evil.example" + port, false},
		{"10.0.0.1" + port, false},
		{"0.0.0.0" + port, false},
	}
	for _, tr := range []*http.Transport{h1, h2c} {
		for _, tc := range cases {
			req, _ := http.NewRequest(http.MethodPost, url, strings.NewReader(`{}`))
			req.Host = tc.host
			req.Header.Set("X-Amz-Target", "Kinesis_20131202.ListStreams")
			req.Header.Set("Content-Type", "application/x-amz-json-1.1")
			resp, err := (&http.Client{Transport: tr}).Do(req)
			if err != nil {
				t.Fatalf("Host %s: %v", tc.host, err)
			}
			b, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if tc.ok {
				if resp.StatusCode != 200 {
					t.Errorf("%s Host %s: %d %s, want 200", resp.Proto, tc.host, resp.StatusCode, b)
				}
				continue
			}
			var e struct {
				Type    string `json:"__type"`
				Message string `json:"message"`
			}
			if resp.StatusCode != 403 || json.Unmarshal(b, &e) != nil || e.Type != "AccessDeniedException" || !strings.Contains(e.Message, "DNS rebinding") {
				t.Errorf("%s Host %s: %d %s, want 403 AccessDeniedException naming DNS rebinding", resp.Proto, tc.host, resp.StatusCode, b)
			}
		}
	}
}
