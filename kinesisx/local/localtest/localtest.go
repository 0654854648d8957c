// Package localtest starts kinspect's built-in Kinesis endpoint for a test
// or a benchmark.
package localtest

import (
	"testing"

	"github.com/kinspect/kinspect/kinesisx/local"
)

// Start runs the built-in endpoint with opts (CloudWatch included, on
// opts.Now's clock and with opts.MetricsDelay) on a free loopback port until
// the test ends, and returns it and its URL. Closing it at the end must
// succeed: a handler or an EFO session that does not end fails the test.
func Start(tb testing.TB, opts local.Options) (*local.Server, string) {
	tb.Helper()
	srv := local.New(opts)
	url, err := srv.Start("127.0.0.1:0")
	if err != nil {
		tb.Fatalf("start the built-in endpoint: %v", err)
	}
	tb.Cleanup(func() {
		if err := srv.Close(); err != nil {
			tb.Errorf("close the built-in endpoint: %v", err)
		}
	})
	return srv, url
}

// URL is Start for a test that needs only the URL.
func URL(tb testing.TB, opts local.Options) string {
	tb.Helper()
	_, url := Start(tb, opts)
	return url
}
