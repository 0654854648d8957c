// Package lagtest starts a moto server (Python's AWS mock, `moto_server`)
// for tests of consumer lag: it serves DynamoDB (lease tables), Lambda
// (event source mappings), IAM and Kinesis (which moto's Lambda checks a
// mapping's stream against).
//
// Only tests import this package. Each call starts its own server
// (internal/moto) on a free loopback port and stops it when the test
// ends, so none outlives the test.
package lagtest

import (
	"context"
	"errors"
	"os"
	"testing"

	"github.com/kinspect/kinspect/internal/moto"
)

// Account is the account moto is started with: the built-in endpoint's
// (kinesisx/local), so that the stream ARNs of both agree.
const Account = moto.Account

// Moto starts moto_server on 127.0.0.1 and returns its URL. When
// moto_server is not installed the test is skipped, unless CI is set:
// there its absence fails the test (pip install 'moto[server]').
func Moto(t testing.TB) string {
	t.Helper()
	s, err := moto.Start(context.Background())
	switch {
	case errors.Is(err, moto.ErrNotInstalled) && os.Getenv("CI") != "":
		t.Fatalf("moto_server not found and CI is set: pip install 'moto[server]' (%v)", err)
	case errors.Is(err, moto.ErrNotInstalled):
		t.Skip("moto_server not installed: pip install 'moto[server]' to run this test")
	case err != nil:
		t.Fatalf("moto_server: %v", err)
	}
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("moto_server output:\n%s", s.Output(4096))
		}
		s.Close()
	})
	return s.URL
}
