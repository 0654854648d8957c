package local_test

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"os/exec"
	"runtime/debug"
	"runtime/pprof"
	"strconv"
	"strings"
	"testing"

	"github.com/kinspect/kinspect/kinesisx/local"
)

// serveEnv makes the test binary a bare endpoint (default options, the soft
// memory limit it names, 0 for none) that prints its URL and serves until
// its stdin closes: the process benchmarks measure the server's own CPU
// time and RSS in a process of its own.
const serveEnv = "KINSPECT_LOCAL_BENCH_SERVE"

// serveProfileEnv, set beside serveEnv, names a file the endpoint process
// writes its CPU profile to (go tool pprof).
const serveProfileEnv = "KINSPECT_LOCAL_BENCH_CPUPROFILE"

// serveForBench runs the endpoint when serveEnv is set and reports whether
// it did.
func serveForBench() bool {
	v, ok := os.LookupEnv(serveEnv)
	if !ok {
		return false
	}
	if limit, _ := strconv.ParseInt(v, 10, 64); limit > 0 {
		debug.SetMemoryLimit(limit)
	}
	if path := os.Getenv(serveProfileEnv); path != "" {
		f, err := os.Create(path)
		if err == nil && pprof.StartCPUProfile(f) == nil {
			defer func() {
				pprof.StopCPUProfile()
				_ = f.Close()
			}()
		}
	}
	srv := local.New(local.Options{})
	url, err := srv.Start("127.0.0.1:0")
	if err != nil {
		fmt.Println("error:", err)
		return true
	}
	fmt.Println(url)
	_, _ = io.Copy(io.Discard, os.Stdin)
	_ = srv.Close()
	return true
}

// endpointProcess is an endpoint served by a test binary in a process of
// its own (see serveEnv).
type endpointProcess struct {
	url   string
	cmd   *exec.Cmd
	stdin io.WriteCloser
}

// startEndpointProcess runs bin (a test binary of this package: os.Args[0],
// or one built from another commit) as a bare endpoint with the soft memory
// limit limit (0: none). b's cleanup stops it if stop was not called.
func startEndpointProcess(b *testing.B, bin string, limit int64) *endpointProcess {
	cmd := exec.Command(bin, "-test.run=^$")
	cmd.Env = append(os.Environ(), serveEnv+"="+strconv.FormatInt(limit, 10))
	stdin, err := cmd.StdinPipe()
	if err != nil {
		b.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		b.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		b.Fatal(err)
	}
	p := &endpointProcess{cmd: cmd, stdin: stdin}
	b.Cleanup(func() { _ = p.stop() })
	line, err := bufio.NewReader(stdout).ReadString('\n')
	p.url = strings.TrimSpace(line)
	if err != nil || !strings.HasPrefix(p.url, "http") {
		b.Fatalf("endpoint %s: %q %v", bin, line, err)
	}
	return p
}

// stop ends the endpoint (it closes on stdin's end) and waits for it; its
// ProcessState then holds the process's CPU time and peak RSS.
func (p *endpointProcess) stop() error {
	if p.cmd.ProcessState != nil {
		return nil
	}
	_ = p.stdin.Close()
	return p.cmd.Wait()
}
