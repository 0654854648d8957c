package e2e

import (
	"fmt"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"
)

// term is one tmux server (its own -L socket) with one session running a
// shell, in which the test types commands and keys, and reads the screen
// with capture-pane. Waits poll the screen until a deadline; nothing
// sleeps a fixed time except the short pause after esc (see esc).
type term struct {
	t       *testing.T
	socket  string
	session string
	w, h    int
}

// waitFor is how long a screen may take to show what a step expects: the
// machine may be loaded (two cores shared with other test binaries).
const waitFor = 20 * time.Second

// newTerm starts a detached tmux session of w x h running sh, and kills
// the server when the test ends.
func newTerm(t *testing.T, w, h int) *term {
	t.Helper()
	name := fmt.Sprintf("kinspect-e2e-%d-%d", time.Now().UnixNano(), w)
	tm := &term{t: t, socket: name, session: name, w: w, h: h}
	tm.tmux("-f", "/dev/null", "new-session", "-d", "-x", strconv.Itoa(w), "-y", strconv.Itoa(h), "-s", name,
		"env", "PS1=$ ", "HOME="+t.TempDir(), "TERM=xterm-256color", "sh")
	t.Cleanup(func() {
		_ = exec.Command("tmux", "-L", tm.socket, "kill-server").Run()
	})
	return tm
}

func (tm *term) tmux(args ...string) string {
	tm.t.Helper()
	out, err := exec.Command("tmux", append([]string{"-L", tm.socket}, args...)...).CombinedOutput()
	if err != nil {
		tm.t.Fatalf("tmux %s: %v: %s", strings.Join(args, " "), err, out)
	}
	return string(out)
}

// keys sends tmux key names (Enter, Escape, C-u, j).
func (tm *term) keys(keys ...string) {
	tm.t.Helper()
	for _, k := range keys {
		tm.tmux("send-keys", "-t", tm.session, k)
	}
}

// text types s literally.
func (tm *term) text(s string) {
	tm.t.Helper()
	tm.tmux("send-keys", "-t", tm.session, "-l", s)
}

// esc sends escape and pauses briefly: an escape followed at once by
// another key reads as alt+key to a terminal program.
func (tm *term) esc() {
	tm.t.Helper()
	tm.keys("Escape")
	time.Sleep(150 * time.Millisecond)
}

func (tm *term) screen() string {
	tm.t.Helper()
	return tm.tmux("capture-pane", "-p", "-t", tm.session)
}

// wait polls the screen until every want is on it, checking each capture
// for stack traces and lines wider than the window; it fails the test
// with the last screen at the deadline.
func (tm *term) wait(step string, wants ...string) string {
	tm.t.Helper()
	return tm.waitMatch(step, func(s string) bool {
		for _, w := range wants {
			if !strings.Contains(s, w) {
				return false
			}
		}
		return true
	})
}

// waitRe is wait with a regular expression.
func (tm *term) waitRe(step string, re *regexp.Regexp) string {
	tm.t.Helper()
	return tm.waitMatch(step, re.MatchString)
}

func (tm *term) waitMatch(step string, ok func(string) bool) string {
	tm.t.Helper()
	return tm.waitWithin(step, waitFor, ok)
}

// waitWithin is waitMatch with a deadline of its own, for a step that
// waits on something slow (moto's start, a lag to build up).
func (tm *term) waitWithin(step string, d time.Duration, ok func(string) bool) string {
	tm.t.Helper()
	deadline := time.Now().Add(d)
	for {
		s := tm.screen()
		tm.check(step, s)
		if ok(s) {
			return s
		}
		if time.Now().After(deadline) {
			tm.t.Fatalf("%s: the screen did not show what was expected within %s:\n%s", step, d, s)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// check asserts what must hold on every screen: no panic or goroutine
// dump, no line wider than the window.
func (tm *term) check(step, s string) {
	tm.t.Helper()
	for _, bad := range []string{"panic:", "goroutine ", "runtime error"} {
		if strings.Contains(s, bad) {
			tm.t.Fatalf("%s: %q on screen:\n%s", step, bad, s)
		}
	}
	for i, l := range strings.Split(strings.TrimRight(s, "\n"), "\n") {
		if w := ansi.StringWidth(l); w > tm.w {
			tm.t.Fatalf("%s: line %d is %d cells wide in a %d-cell window: %q", step, i, w, tm.w, l)
		}
	}
}

// checkFrame asserts that the UI's frame is intact: the status line on
// top and the footer at the bottom. A line wider than the window would
// wrap and push the status line off the screen.
func (tm *term) checkFrame(step string) {
	tm.t.Helper()
	lines := strings.Split(strings.TrimRight(tm.screen(), "\n"), "\n")
	if len(lines) == 0 || !strings.HasPrefix(lines[0], "kinspect") {
		tm.t.Fatalf("%s: the status line is not on top:\n%s", step, strings.Join(lines, "\n"))
	}
	if len(lines) != tm.h || !strings.Contains(lines[len(lines)-1], "quit") && !strings.Contains(lines[len(lines)-1], "esc") {
		tm.t.Fatalf("%s: want %d lines with the footer last, got %d:\n%s", step, tm.h, len(lines), strings.Join(lines, "\n"))
	}
}

// resize changes the window size.
func (tm *term) resize(w, h int) {
	tm.t.Helper()
	tm.tmux("resize-window", "-t", tm.session, "-x", strconv.Itoa(w), "-y", strconv.Itoa(h))
	tm.w, tm.h = w, h
}

// altScreen reports whether the pane is on the alternate screen.
func (tm *term) altScreen() bool {
	tm.t.Helper()
	return strings.TrimSpace(tm.tmux("display-message", "-p", "-t", tm.session, "#{alternate_on}")) == "1"
}

// binPath is where TestMain builds kinspect.
func binPath(dir string) string { return filepath.Join(dir, "kinspect") }

// startDemo runs `kinspect demo` in the terminal and waits for its
// streams list.
func (tm *term) startDemo() {
	tm.t.Helper()
	tm.text(kinspect + " demo; echo EXIT=$?")
	tm.keys("Enter")
	tm.wait("home", "streams (3)", "orders")
}

// openOrders filters the streams list to the demo's orders stream and
// opens it, then waits until the stream screen shows its four shards and
// every one of wants; it returns that screen.
func (tm *term) openOrders(wants ...string) string {
	tm.t.Helper()
	tm.keys("/")
	tm.text("orders")
	tm.keys("Enter")
	tm.wait("filter", "filter: orders")
	tm.keys("Enter")
	return tm.wait("stream", append([]string{"4 open / 4 shards"}, wants...)...)
}
