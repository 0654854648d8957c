package testenv

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"testing"

	"go.uber.org/goleak"
)

// TestMain checks that nothing here leaves a goroutine behind, in
// particular that starting kinesis-mock starts none. It also serves as the
// child process of TestMockDiesWithTestBinary.
func TestMain(m *testing.M) {
	if os.Getenv(helperEnv) != "" {
		os.Exit(helperMain())
	}
	goleak.VerifyTestMain(m)
}

var validName = regexp.MustCompile(`^[a-zA-Z0-9_.-]{1,128}$`)

func TestStreamNameFromTestName(t *testing.T) {
	tests := []struct {
		name, testName, suffix, want string
	}{
		{"plain", "TestPut", "0a1b2c3d", "kt-TestPut-0a1b2c3d"},
		{"subtest slash", "TestTail/efo_from_latest", "00000000", "kt-TestTail-efo_from_latest-00000000"},
		{"spaces and symbols", "TestX/a b#c=d", "ffffffff", "kt-TestX-a-b-c-d-ffffffff"},
		{"unicode", "TestKey/ключ", "12345678", "kt-TestKey------12345678"},
		{"dots kept", "TestV1.2", "abcdef01", "kt-TestV1.2-abcdef01"},
		{"long name cut", strings.Repeat("x", 300), "abcdef01", "kt-" + strings.Repeat("x", 128-3-1-8) + "-abcdef01"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := streamName(tt.testName, tt.suffix)
			if got != tt.want {
				t.Errorf("streamName(%q) = %q, want %q", tt.testName, got, tt.want)
			}
			if !validName.MatchString(got) {
				t.Errorf("streamName(%q) = %q, not a valid Kinesis name", tt.testName, got)
			}
		})
	}
}

func TestStreamNameUniqueAndValid(t *testing.T) {
	t.Run(strings.Repeat("very/long subtest ", 20), func(t *testing.T) {
		a, b := StreamName(t), StreamName(t)
		if a == b {
			t.Errorf("two calls gave the same name %q", a)
		}
		for _, n := range []string{a, b} {
			if !validName.MatchString(n) {
				t.Errorf("StreamName = %q (%d chars), not a valid Kinesis name", n, len(n))
			}
		}
	})
}

func TestMockDir(t *testing.T) {
	pkg := t.TempDir()
	if err := os.WriteFile(filepath.Join(pkg, "main.js"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	empty := t.TempDir()
	tests := []struct {
		name, env, fallback, want string
		wantErr                   bool
	}{
		{name: "variable wins", env: pkg, fallback: empty, want: pkg},
		{name: "variable without main.js is an error", env: empty, fallback: pkg, wantErr: true},
		{name: "variable to nowhere is an error", env: filepath.Join(empty, "nope"), wantErr: true},
		{name: "default folder used when installed", fallback: pkg, want: pkg},
		{name: "default folder not installed: skip", fallback: empty, want: ""},
		{name: "no home: skip", fallback: "", want: ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := mockDir(tt.env, tt.fallback)
			if (err != nil) != tt.wantErr {
				t.Fatalf("mockDir(%q, %q) error = %v, want error %v", tt.env, tt.fallback, err, tt.wantErr)
			}
			if tt.wantErr && !strings.Contains(err.Error(), EnvKinesisMockDir) {
				t.Errorf("error %q does not name %s", err, EnvKinesisMockDir)
			}
			if got != tt.want {
				t.Errorf("mockDir(%q, %q) = %q, want %q", tt.env, tt.fallback, got, tt.want)
			}
		})
	}
}

func TestFileTail(t *testing.T) {
	f, err := os.CreateTemp(t.TempDir(), "tail")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if got := fileTail(f, 4); got != "(no output)" {
		t.Errorf("empty file tail = %q", got)
	}
	if _, err := f.WriteString("0123456789"); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		n    int64
		want string
	}{{4, "6789"}, {10, "0123456789"}, {100, "0123456789"}}
	for _, tt := range tests {
		if got := fileTail(f, tt.n); got != tt.want {
			t.Errorf("fileTail(%d) = %q, want %q", tt.n, got, tt.want)
		}
	}
	// ReadAt must not move the offset the writer appends at.
	if _, err := f.WriteString("ab"); err != nil {
		t.Fatal(err)
	}
	if got := fileTail(f, 3); got != "9ab" {
		t.Errorf("after another write fileTail(3) = %q, want %q", got, "9ab")
	}
}

// fakeTB records Fatalf and Skipf; both end the calling goroutine as the
// real ones do.
type fakeTB struct {
	testing.TB
	fatal, skip string
}

func (f *fakeTB) Helper()        {}
func (f *fakeTB) Cleanup(func()) {}
func (f *fakeTB) Fatalf(format string, a ...any) {
	f.fatal = fmt.Sprintf(format, a...)
	runtime.Goexit()
}
func (f *fakeTB) Skipf(format string, a ...any) {
	f.skip = fmt.Sprintf(format, a...)
	runtime.Goexit()
}

// runTB calls fn with a fakeTB on its own goroutine (Goexit ends it) and
// returns what it recorded.
func runTB(fn func(testing.TB)) *fakeTB {
	tb := &fakeTB{}
	done := make(chan struct{})
	go func() {
		defer close(done)
		fn(tb)
	}()
	<-done
	return tb
}

func TestKinesisMockSkipsOnlyWhenNotInstalled(t *testing.T) {
	t.Setenv(EnvKinesisMockDir, "")
	t.Setenv("HOME", t.TempDir())
	tb := runTB(func(tb testing.TB) { KinesisMock(tb) })
	if tb.fatal != "" || !strings.Contains(tb.skip, EnvKinesisMockDir) || !strings.Contains(tb.skip, "kinesis-local@"+KinesisMockVersion) {
		t.Errorf("with nothing installed: fatal %q, skip %q; want a skip that says how to enable it", tb.fatal, tb.skip)
	}
}

func TestKinesisMockFailsWhenVariableIsWrong(t *testing.T) {
	t.Setenv(EnvKinesisMockDir, t.TempDir())
	tb := runTB(func(tb testing.TB) { KinesisMock(tb) })
	if tb.skip != "" || !strings.Contains(tb.fatal, "not a kinesis-local package folder") {
		t.Errorf("with a wrong %s: fatal %q, skip %q; want a failure", EnvKinesisMockDir, tb.fatal, tb.skip)
	}
}
