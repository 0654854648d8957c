// Package e2e runs the real kinspect binary in tmux: `kinspect demo` at two
// window sizes, through the tour a person takes (streams, a stream, a
// tail, a put, a split, help, a resize, quit). It skips only where tmux is
// not installed; CI installs it.
package e2e

import (
	"fmt"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"testing"
	"time"
)

// kinspect is the binary TestMain built ("" when tmux is missing).
var kinspect string

func TestMain(m *testing.M) {
	os.Exit(run(m))
}

func run(m *testing.M) int {
	if _, err := exec.LookPath("tmux"); err != nil {
		return m.Run() // every test skips
	}
	dir, err := os.MkdirTemp("", "kinspect-e2e-")
	if err != nil {
		fmt.Fprintln(os.Stderr, "e2e:", err)
		return 1
	}
	defer os.RemoveAll(dir)
	build := exec.Command("go", "build", "-o", binPath(dir), ".")
	build.Dir = ".."
	if out, err := build.CombinedOutput(); err != nil {
		fmt.Fprintf(os.Stderr, "e2e: build kinspect: %v\n%s", err, out)
		return 1
	}
	kinspect = binPath(dir)
	return m.Run()
}

func needTmux(t *testing.T) {
	t.Helper()
	if kinspect == "" {
		t.Skip("tmux is not installed")
	}
}

// recordRow matches a record row of the tail (it starts with the time).
var recordRow = regexp.MustCompile(`(?m)^\d\d:\d\d:\d\d\.\d{3} `)

func TestDemoTour(t *testing.T) {
	needTmux(t)
	for _, size := range [][2]int{{120, 40}, {80, 24}} {
		t.Run(fmt.Sprintf("%dx%d", size[0], size[1]), func(t *testing.T) {
			tour(t, size[0], size[1])
		})
	}
}

func tour(t *testing.T, w, h int) {
	tm := newTerm(t, w, h)
	tm.text(kinspect + " demo; echo EXIT=$?")
	tm.keys("Enter")

	tm.wait("home", "streams (3)", "orders", "clickstream-kpl", "app-logs")
	if !tm.altScreen() {
		t.Error("the TUI should run on the alternate screen")
	}
	tm.checkFrame("home")

	// Open orders: filter to it, then enter.
	tm.openOrders("SHARD", "shardId-000000000003")
	tm.checkFrame("stream")

	// Tail the whole stream from latest and see records arrive.
	tm.keys("t")
	tm.wait("tail picker", "Start a tail of orders")
	tm.keys("Enter")
	tm.wait("tail", "● live")
	tm.waitRe("records arrive", recordRow)
	tm.checkFrame("tail")

	// Put a record with a distinctive payload through the dialog, with the
	// tail filtered on it first so that it cannot scroll away.
	marker := fmt.Sprintf("e2e-%d", time.Now().UnixNano()%1e9)
	tm.keys("/")
	tm.text(marker)
	tm.keys("Enter")
	tm.wait("filter the tail", "filter: e2e-", "no record matches")
	tm.keys("p")
	tm.wait("put dialog", "Put records to orders", "data/template")
	tm.keys("C-u")
	tm.text(marker + "-{{seq}}")
	tm.keys("Enter")
	tm.wait("put confirm", "this writes to the stream", "aws kinesis put-record", marker+"-1")
	tm.keys("y")
	tm.wait("put done", "✓ done", "sent 1", "failed 0")
	tm.esc()
	tm.wait("the put record in the tail", "● live", marker+"-1")
	tm.checkFrame("tail filtered")

	// Back to the stream and split its first shard at the midpoint.
	tm.esc()
	tm.wait("stream again", "4 open / 4 shards")
	tm.keys("s")
	tm.wait("split dialog", "Split shardId-000000000000 of orders", "midpoint")
	tm.keys("Enter")
	tm.wait("split confirm", "aws kinesis split-shard", "--shard-to-split", "y split shard")
	tm.keys("y")
	tm.wait("split done", "split shard done", "lineage now", "shardId-000000000004", "shardId-000000000005")
	tm.esc()
	tm.wait("new lineage on the stream", "5 open / 6 shards", "shardId-000000000005")
	tm.keys("l")
	s := tm.wait("lineage tree", "└─")
	if !strings.Contains(s, "closed") {
		t.Errorf("the split shard should show as closed:\n%s", s)
	}
	tm.checkFrame("lineage")

	// Help, then close it.
	tm.keys("?")
	tm.wait("help", "everywhere", "split shard", ":consumers")
	tm.checkFrame("help")
	tm.esc()
	tm.waitMatch("help closed", func(s string) bool { return !strings.Contains(s, "everywhere") })

	// Resize smaller, then larger: the frame stays whole.
	tm.resize(w-20, h-6)
	tm.wait("resized smaller", "SHARD")
	tm.waitMatch("frame after shrink", func(string) bool { return frameOK(tm) })
	tm.resize(w, h)
	tm.waitMatch("frame after grow", func(string) bool { return frameOK(tm) })

	// Quit: the process exits 0 and the shell is back on the main screen.
	tm.keys("q")
	tm.wait("quit", "EXIT=0")
	if tm.altScreen() {
		t.Error("the terminal should be back on the main screen")
	}
	// EXIT=0 may follow the shell's first prompt on its line: under load the
	// command is typed before the shell has printed that prompt.
	tm.waitRe("the shell prompt is back", regexp.MustCompile(`(?m)EXIT=0\n\$\s*$`))
}

// frameOK reports whether the status line is on top and the screen has
// exactly the window's height.
func frameOK(tm *term) bool {
	lines := strings.Split(strings.TrimRight(tm.screen(), "\n"), "\n")
	return len(lines) == tm.h && strings.HasPrefix(lines[0], "kinspect")
}
