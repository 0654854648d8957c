package testenv

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sync"
	"testing"
)

const (
	// EnvKinesisMockDir names the kinesis-local package folder
	// (…/node_modules/kinesis-local). When it is set, a kinesis-mock that
	// cannot start fails the test instead of skipping it.
	EnvKinesisMockDir = "KINSPECT_KINESIS_MOCK_DIR"
	// KinesisMockVersion is the npm version of kinesis-local the harness is
	// written for and .ci/run installs.
	KinesisMockVersion = "0.6.2"
	// logTailBytes is how much of the server's output a failure shows.
	logTailBytes = 8 << 10
)

// mock is the one kinesis-mock server of this test binary. It is the only
// package-level state: starting node costs about a second and 170 MiB, so
// all tests of a binary share one server.
var mock struct {
	once sync.Once
	srv  *mockServer
	err  error
}

// mockServer is a running kinesis-mock process.
type mockServer struct {
	url string
	pid int
	log *os.File // the process's stdout and stderr; already unlinked
}

// KinesisMock returns the plain-HTTP endpoint URL of a kinesis-mock server
// started once per test binary on 127.0.0.1.
//
// The package folder comes from KINSPECT_KINESIS_MOCK_DIR, else from the
// place .ci/run installs it ($HOME/.cache/kinspect-ci/node_modules/
// kinesis-local). If neither exists the test is skipped with a message
// saying how to enable it; if one exists and the server cannot start, the
// test fails (t.Fatal), never skips. When a test that used the server
// fails, the tail of the server's output is logged; set
// KINSPECT_KINESIS_MOCK_LOG_LEVEL=INFO (or DEBUG, TRACE) to make that output
// say more than errors.
//
// The server has every state-transition duration at 0 ms and a shard limit
// of 10,000, so tests of one binary never run into each other's shards.
func KinesisMock(t testing.TB) string {
	t.Helper()
	dir, err := mockDir(os.Getenv(EnvKinesisMockDir), defaultMockDir())
	if err != nil {
		t.Fatalf("kinesis-mock: %v", err)
	}
	if dir == "" {
		t.Skipf("kinesis-mock not installed: run `npm install --prefix $HOME/.cache/kinspect-ci kinesis-local@%s` "+
			"or set %s to a node_modules/kinesis-local folder (bash .ci/run does both)", KinesisMockVersion, EnvKinesisMockDir)
	}
	mock.once.Do(func() { mock.srv, mock.err = startMock(dir) })
	if mock.err != nil {
		t.Fatalf("kinesis-mock from %s: %v", dir, mock.err)
	}
	srv := mock.srv
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("kinesis-mock at %s, last output:\n%s", srv.url, srv.logTail(logTailBytes))
		}
	})
	return srv.url
}

// defaultMockDir is where .ci/run installs kinesis-local, or "" when the
// home directory is unknown.
func defaultMockDir() string {
	home, err := os.UserHomeDir()
	if err != nil {
		return ""
	}
	return filepath.Join(home, ".cache", "kinspect-ci", "node_modules", "kinesis-local")
}

// mockDir chooses the package folder: the variable when set (an error if
// it holds no main.js), else the default folder when it holds main.js,
// else "" (skip).
func mockDir(fromEnv, fallback string) (string, error) {
	if fromEnv != "" {
		if _, err := os.Stat(filepath.Join(fromEnv, "main.js")); err != nil {
			return "", fmt.Errorf("%s=%s is not a kinesis-local package folder: %w", EnvKinesisMockDir, fromEnv, err)
		}
		return fromEnv, nil
	}
	if fallback == "" {
		return "", nil
	}
	if _, err := os.Stat(filepath.Join(fallback, "main.js")); err != nil {
		return "", nil
	}
	return fallback, nil
}

// logTail returns the last n bytes of the server's output.
func (s *mockServer) logTail(n int64) string {
	return fileTail(s.log, n)
}

// fileTail reads the last n bytes of f with ReadAt, which leaves the
// offset the child process writes at untouched.
func fileTail(f *os.File, n int64) string {
	fi, err := f.Stat()
	if err != nil {
		return fmt.Sprintf("(cannot read the output: %v)", err)
	}
	size := fi.Size()
	if size == 0 {
		return "(no output)"
	}
	off := max(size-n, 0)
	buf := make([]byte, size-off)
	if _, err := f.ReadAt(buf, off); err != nil && !errors.Is(err, io.EOF) {
		return fmt.Sprintf("(cannot read the output: %v)", err)
	}
	return string(buf)
}
