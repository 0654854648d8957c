package cmd

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime/debug"
	"strings"
	"testing"
)

func TestVersionLine(t *testing.T) {
	info := func(version string, settings ...string) *debug.BuildInfo {
		bi := &debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Path: "github.com/kinspect/kinspect", Version: version}}
		for i := 0; i+1 < len(settings); i += 2 {
			bi.Settings = append(bi.Settings, debug.BuildSetting{Key: settings[i], Value: settings[i+1]})
		}
		return bi
	}
	for _, tt := range []struct {
		name string
		bi   *debug.BuildInfo
		ok   bool
		want string
	}{
		{"a release", info("v1.4.0", "vcs.revision", "0123456789abcdef0123", "vcs.time", "2026-12-01T10:00:00Z", "vcs.modified", "false", "GOOS", "darwin", "GOARCH", "arm64"), true,
			"kinspect, v1.4.0, commit 0123456789ab 2026-12-01T10:00:00Z, go1.26.8, darwin/arm64"},
		{"a dirty tree", info("v1.4.1-0.20261201100000-0123456789ab+dirty", "vcs.revision", "0123456789abcdef0123", "vcs.modified", "true", "GOOS", "linux", "GOARCH", "amd64"), true,
			"kinspect, v1.4.1-0.20261201100000-0123456789ab+dirty, commit 0123456789ab+dirty, go1.26.8, linux/amd64"},
		{"no VCS stamp", info("", "GOOS", "windows", "GOARCH", "amd64"), true,
			"kinspect, (devel), no commit recorded (built with -buildvcs=false or outside a git checkout), go1.26.8, windows/amd64"},
	} {
		if got := versionLine(tt.bi, tt.ok); got != tt.want {
			t.Errorf("%s:\n got %q\nwant %q", tt.name, got, tt.want)
		}
	}
	if got := versionLine(nil, false); !strings.HasPrefix(got, "kinspect (unknown version") {
		t.Errorf("without build info: %q", got)
	}
}

// TestVersionFlagAndCommand: --version and `version` print the binary's
// own line, and nothing else.
func TestVersionFlagAndCommand(t *testing.T) {
	want := buildVersion() + "\n"
	for _, args := range [][]string{{"--version"}, {"version"}} {
		var out, errb bytes.Buffer
		f := newFactory(Stdio{In: strings.NewReader(""), Out: &out, Err: &errb})
		if code := execute(context.Background(), f, args); code != ExitOK || out.String() != want || errb.Len() != 0 {
			t.Errorf("%v: exit %d, stdout %q, stderr %q; want %q", args, code, out.String(), errb.String(), want)
		}
	}
	var errb bytes.Buffer
	f := newFactory(Stdio{In: strings.NewReader(""), Out: &bytes.Buffer{}, Err: &errb})
	if code := execute(context.Background(), f, []string{"version", "extra"}); code != ExitUsage {
		t.Errorf("version with an argument: exit %d, want %d (%s)", code, ExitUsage, errb.String())
	}
}

// TestVersionOfBuiltBinary builds kinspect from this checkout with VCS
// stamping on (as .goreleaser.yaml does) and checks that --version names
// the checkout's commit.
func TestVersionOfBuiltBinary(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	// The go command stamps a checkout whose .git is a directory: not a
	// linked work tree (git worktree add), whose .git is a file.
	if st, err := os.Stat(filepath.Join("..", ".git")); err != nil || !st.IsDir() {
		t.Skip("not a git checkout with a .git directory: the go command records no commit")
	}
	head, err := exec.Command("git", "-C", "..", "rev-parse", "HEAD").Output()
	if err != nil {
		t.Skipf("git: %v", err)
	}
	// Without -trimpath the build reuses the packages the other tests built.
	bin := filepath.Join(t.TempDir(), "kinspect")
	build := exec.Command("go", "build", "-buildvcs=true", "-o", bin, ".")
	build.Dir = ".."
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	out, err := exec.Command(bin, "--version").Output()
	if err != nil {
		t.Fatalf("kinspect --version: %v", err)
	}
	line := string(out)
	if commit := strings.TrimSpace(string(head))[:12]; !strings.Contains(line, "commit "+commit) {
		t.Errorf("--version %q does not name the commit %s", line, commit)
	}
	if !strings.HasPrefix(line, "kinspect, v") && !strings.HasPrefix(line, "kinspect, (devel)") {
		t.Errorf("--version %q: want the module version second", line)
	}
	sub, err := exec.Command(bin, "version").Output()
	if err != nil || string(sub) != line {
		t.Errorf("version printed %q (%v), --version %q", sub, err, line)
	}
}

// TestGoreleaserKeepsVCSStamping: the release builds keep what --version
// reads (VCS stamping, which a machine's GOFLAGS may turn off) for the six
// targets the README promises.
func TestGoreleaserKeepsVCSStamping(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("..", ".goreleaser.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	cfg := string(b)
	for _, want := range []string{"- -buildvcs=true", "goos: [linux, darwin, windows]", "goarch: [amd64, arm64]", "main: .", "binary: kinspect"} {
		if !strings.Contains(cfg, "\n    "+want+"\n") && !strings.Contains(cfg, "\n      "+want+"\n") {
			t.Errorf(".goreleaser.yaml lacks %q in its build", want)
		}
	}
	if regexp.MustCompile(`(?m)^\s*- .*-X\s`).MatchString(cfg) {
		t.Error(".goreleaser.yaml sets a variable with -X: --version reads the build information, not variables")
	}
}
