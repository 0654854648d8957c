package local_test

import (
	"bufio"
	"errors"
	"fmt"
	"math/rand/v2"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// kinesaliteDir returns the npm prefix kinesalite@3.3.3 was installed into
// by scripts/bench-install.sh: $KINESALITE_DIR, else
// $KINSPECT_BENCH_DIR/kinesalite, else ~/.cache/kinspect-bench/kinesalite.
func kinesaliteDir() string {
	if d := os.Getenv("KINESALITE_DIR"); d != "" {
		return d
	}
	if d := os.Getenv("KINSPECT_BENCH_DIR"); d != "" {
		return filepath.Join(d, "kinesalite")
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return ""
	}
	return filepath.Join(home, ".cache", "kinspect-bench", "kinesalite")
}

// startKinesalite runs kinesalite in memory on a free loopback port below
// 32768 (scripts/kinesalite.js binds 127.0.0.1 only), stops it when b ends
// and returns its URL and process ID. It skips b when node or kinesalite is
// missing.
func startKinesalite(b *testing.B) (url string, pid int) {
	node, err := exec.LookPath("node")
	if err != nil {
		b.Skip("kinesalite comparison skipped: node is not installed (apt-get install nodejs npm; then scripts/bench-install.sh)")
	}
	dir := kinesaliteDir()
	if _, err := os.Stat(filepath.Join(dir, "node_modules", "kinesalite", "package.json")); err != nil {
		b.Skipf("kinesalite comparison skipped: kinesalite is not installed in %s: run scripts/bench-install.sh (or set KINESALITE_DIR)", dir)
	}
	script, err := filepath.Abs(filepath.Join("..", "..", "scripts", "kinesalite.js"))
	if err != nil {
		b.Fatal(err)
	}
	var errs []error
	for attempt := 0; attempt < 5; attempt++ {
		url, pid, err := tryKinesalite(b, node, script, dir, freeLowPort(b))
		if err == nil {
			return url, pid
		}
		errs = append(errs, err)
	}
	b.Fatalf("start kinesalite: %v", errors.Join(errs...))
	return "", 0
}

// freeLowPort returns a loopback TCP port in [20000, 32768) that is free
// now (kinesalite is started on it next; a lost race is retried).
func freeLowPort(b *testing.B) int {
	for i := 0; i < 100; i++ {
		p := 20000 + rand.IntN(32768-20000)
		l, err := net.Listen("tcp", fmt.Sprintf("127.0.0.1:%d", p))
		if err == nil {
			_ = l.Close()
			return p
		}
	}
	b.Fatal("no free loopback port in [20000, 32768)")
	return 0
}

// tryKinesalite starts kinesalite on port and waits for its "listening on"
// line; on success the process is killed and reaped when b ends.
func tryKinesalite(b *testing.B, node, script, dir string, port int) (string, int, error) {
	cmd := exec.Command(node, script, fmt.Sprint(port), dir)
	cmd.Stderr = os.Stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		return "", 0, fmt.Errorf("port %d: %w", port, err)
	}
	if err := cmd.Start(); err != nil {
		return "", 0, fmt.Errorf("port %d: %w", port, err)
	}
	stop := func() {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
	}
	lines := make(chan string, 1)
	go func() {
		defer close(lines)
		if s := bufio.NewScanner(out); s.Scan() {
			lines <- s.Text()
		}
	}()
	select {
	case line, ok := <-lines:
		url, found := strings.CutPrefix(line, "listening on ")
		if !ok || !found {
			stop()
			return "", 0, fmt.Errorf("port %d: kinesalite exited or said %q", port, line)
		}
		b.Cleanup(stop)
		return url, cmd.Process.Pid, nil
	case <-time.After(15 * time.Second):
		stop()
		return "", 0, fmt.Errorf("port %d: kinesalite did not listen within 15s", port)
	}
}

// BenchmarkVsKinesalite runs the PutRecords and GetRecords workloads of
// bench_test.go (1 KiB records, 4 shards, the real SDK over loopback) against
// the built-in endpoint and against kinesalite@3.3.3 in the same run, so
// that their ratio is measured under the same machine load. Issue 2 wants
// both at least 3x kinesalite. scripts/bench-endpoint.sh prints the ratios.
func BenchmarkVsKinesalite(b *testing.B) {
	type backend struct {
		name  string
		url   string
		iters []*string // TRIM_HORIZON iterators of the filled get stream, made on first use
	}
	kurl, _ := startKinesalite(b)
	backends := []*backend{{name: "kinspect", url: startBenchLocal(b)}, {name: "kinesalite", url: kurl}}
	for _, be := range backends {
		k := benchClient(be.url)
		createBenchStream(b, k, "vs-put")
		createBenchStream(b, k, "vs-get")
	}
	for _, be := range backends {
		b.Run("put/"+be.name, func(b *testing.B) {
			runPutBench(b, benchClient(be.url), "vs-put")
		})
	}
	for _, be := range backends {
		b.Run("get/"+be.name, func(b *testing.B) {
			k := benchClient(be.url)
			if be.iters == nil {
				be.iters = fillGetStream(b, k, "vs-get")
			}
			runGetBench(b, k, be.iters)
		})
	}
}
