package e2e

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// needMoto skips a test that needs moto_server, unless CI is set: there
// its absence is a failure (.ci/run installs it).
func needMoto(t *testing.T) {
	t.Helper()
	if _, err := exec.LookPath("moto_server"); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("moto_server not found and CI is set: pip install 'moto[server]' (%v)", err)
		}
		t.Skip("moto_server not installed (pip install 'moto[server]'): kinspect demo has no DynamoDB for :lag")
	}
}

// lagWait is how long the demo may take to show its slow shard: moto's
// Python starts in seconds on a busy machine, then the slow shard must
// fall behind its siblings.
const lagWait = 90 * time.Second

// slowRow is the demo's slow shard in :lag at 120 columns: marked as the
// laggard, seconds behind with records unread.
var slowRow = regexp.MustCompile(`(?m)^▲ shardId-000000000001 ok +\d+s +[\d,]+ `)

// TestDemoLag: in `kinspect demo` at 120x40, :lag on orders shows the demo
// consumer's application with shard 1 marked as the laggard, its lag in
// the warn colour and the caught-up shards not; back on the stream the
// APP LAG column names the application; quitting stops moto_server.
func TestDemoLag(t *testing.T) {
	needTmux(t)
	needMoto(t)
	tm := newTerm(t, 120, 40)
	tm.startDemo()
	motoPID := tm.motoPID()
	tm.openOrders("SHARD")

	tm.text(":lag")
	tm.keys("Enter")
	s := tm.waitWithin("slow shard marked", lagWait, func(s string) bool {
		return strings.Contains(s, "KCL orders-billing · laggard 1 ") && slowRow.MatchString(s)
	})
	tm.checkFrame("lag")
	for _, id := range []string{"0", "2", "3"} {
		if !regexp.MustCompile(`(?m)^  shardId-00000000000` + id + ` ok +\d+ms `).MatchString(s) {
			t.Errorf("shard %s is not caught up:\n%s", id, s)
		}
	}
	// The colours: the slow shard's lag in the warn colour (the theme's
	// yellow, 220 in 256 colours), a caught-up shard's in the text colour.
	colour := tm.tmux("capture-pane", "-p", "-e", "-t", tm.session)
	slow, fast := rowWith(colour, "shardId-000000000001"), rowWith(colour, "shardId-000000000002")
	if !regexp.MustCompile(`\x1b\[38;5;220m\d+s\x1b`).MatchString(slow) {
		t.Errorf("the slow shard's lag is not in the warn colour: %q", slow)
	}
	if strings.Contains(fast, "38;5;220") {
		t.Errorf("a caught-up shard is highlighted: %q", fast)
	}

	// Back on the stream: the APP LAG column (read every 30 s).
	tm.esc()
	tm.waitWithin("APP LAG column", lagWait, func(s string) bool {
		return strings.Contains(s, "APP LAG") && regexp.MustCompile(`(?m)^shardId-000000000001 .* \d+\.?\d?s orders-bi`).MatchString(s)
	})

	tm.keys("q")
	tm.wait("quit", "EXIT=0")
	if motoPID > 0 {
		deadline := time.Now().Add(5 * time.Second)
		for syscall.Kill(motoPID, 0) == nil {
			if time.Now().After(deadline) {
				t.Fatalf("moto_server (pid %d) outlived kinspect demo", motoPID)
			}
			time.Sleep(100 * time.Millisecond)
		}
	}
}

// TestDemoLagSIGTERM: a demo ended by SIGTERM stops its moto_server too.
func TestDemoLagSIGTERM(t *testing.T) {
	needTmux(t)
	needMoto(t)
	tm := newTerm(t, 100, 30)
	tm.text(kinspect + " demo; echo EXIT=$?")
	tm.keys("Enter")
	tm.wait("home", "streams (3)")
	moto := tm.motoPID()
	if moto <= 0 {
		t.Fatal("kinspect demo started no moto_server")
	}
	pid := tm.kinspectPID()
	if err := syscall.Kill(pid, syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	tm.wait("exit", "EXIT=")
	deadline := time.Now().Add(5 * time.Second)
	for syscall.Kill(moto, 0) == nil {
		if time.Now().After(deadline) {
			t.Fatalf("moto_server (pid %d) outlived kinspect demo after SIGTERM", moto)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// children lists the processes whose parent is pid, from /proc (ps is
// not on every CI machine).
func children(t *testing.T, pid int) []int {
	t.Helper()
	dirs, err := filepath.Glob("/proc/[0-9]*/stat")
	if err != nil {
		t.Fatal(err)
	}
	var pids []int
	for _, d := range dirs {
		b, err := os.ReadFile(d)
		if err != nil {
			continue // exited meanwhile
		}
		// pid (comm) state ppid ...: comm may hold spaces and parentheses.
		i := strings.LastIndexByte(string(b), ')')
		f := strings.Fields(string(b[i+1:]))
		if len(f) < 2 || f[1] != strconv.Itoa(pid) {
			continue
		}
		if p, err := strconv.Atoi(strings.Fields(string(b))[0]); err == nil {
			pids = append(pids, p)
		}
	}
	return pids
}

// kinspectPID is the kinspect process the pane's shell runs.
func (tm *term) kinspectPID() int {
	tm.t.Helper()
	shell, err := strconv.Atoi(strings.TrimSpace(tm.tmux("display-message", "-p", "-t", tm.session, "#{pane_pid}")))
	if err != nil {
		tm.t.Fatal(err)
	}
	kids := children(tm.t, shell)
	if len(kids) != 1 {
		tm.t.Fatalf("want one kinspect under the shell, got %v", kids)
	}
	return kids[0]
}

// motoPID is the moto_server kinspect started (0 when none): its one child.
func (tm *term) motoPID() int {
	tm.t.Helper()
	if kids := children(tm.t, tm.kinspectPID()); len(kids) == 1 {
		return kids[0]
	}
	return 0
}

// rowWith is the line of a screen capture that holds s.
func rowWith(screen, s string) string {
	for _, l := range strings.Split(screen, "\n") {
		if strings.Contains(l, s) {
			return l
		}
	}
	return ""
}

// TestDemoLagWithoutMoto: without moto_server on PATH the demo runs,
// the stream has no APP LAG column and :lag says how to turn it on.
func TestDemoLagWithoutMoto(t *testing.T) {
	needTmux(t)
	tm := newTerm(t, 120, 40)
	tm.text("env PATH=/usr/bin:/bin " + kinspect + " demo; echo EXIT=$?")
	tm.keys("Enter")
	tm.wait("home", "streams (3)", "orders")
	if moto := tm.motoPID(); moto != 0 {
		t.Fatalf("a moto_server (pid %d) without moto_server on PATH", moto)
	}
	tm.keys("Enter") // the first stream
	tm.wait("stream", "open / ", "SHARD")
	tm.text(":lag")
	tm.keys("Enter")
	s := tm.wait("how to turn it on", "⚠ DynamoDB unavailable", "AWS_ENDPOINT_URL_DYNAMODB", "install moto (pip install 'moto[server]')")
	tm.checkFrame("lag without moto")
	if strings.Contains(s, "SHARD ") {
		t.Errorf("a table without DynamoDB:\n%s", s)
	}
	tm.esc()
	if s := tm.wait("stream again", "SHARD"); strings.Contains(s, "APP LAG") {
		t.Errorf("an APP LAG column without DynamoDB:\n%s", s)
	}
	tm.keys("q")
	tm.wait("quit", "EXIT=0")
}
