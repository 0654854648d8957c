package testenv

import (
	"context"
	"errors"
	"fmt"
	"github.com/aws/smithy-go/middleware"
	"math/rand/v2"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"syscall"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/service/kinesis"
)

const (
	// readyTimeout bounds the wait for the server's first ListStreams answer.
	readyTimeout = 30 * time.Second
	// startAttempts is how often a server that exits at once (a port taken
	// between the check and node's bind) is started again on other ports.
	startAttempts = 3
	// Ports are drawn from [portLow, portHigh): below the ephemeral range
	// (32768+), where a port can end up connected to itself.
	portLow, portHigh = 20000, 32000
	// stopGrace is how long SIGTERM gets before SIGKILL.
	stopGrace = 3 * time.Second
)

// errExitedEarly marks a server process that ended before it answered.
var errExitedEarly = errors.New("kinesis-mock exited before it answered")

// mockEnv is the environment kinesis-mock gets on top of the test's: state
// transitions as fast as it allows, and a shard limit that the streams of
// a whole test binary cannot reach.
func mockEnv(dir string, plainPort, tlsPort int) []string {
	level := os.Getenv("KINSPECT_KINESIS_MOCK_LOG_LEVEL")
	if level == "" {
		level = "ERROR"
	}
	return []string{
		"KINESIS_MOCK_PLAIN_PORT=" + strconv.Itoa(plainPort),
		"KINESIS_MOCK_TLS_PORT=" + strconv.Itoa(tlsPort),
		"KINESIS_MOCK_CERT_PATH=" + filepath.Join(dir, "server.json"),
		"CREATE_STREAM_DURATION=0ms",
		"DELETE_STREAM_DURATION=0ms",
		"SPLIT_SHARD_DURATION=0ms",
		"MERGE_SHARDS_DURATION=0ms",
		"UPDATE_SHARD_COUNT_DURATION=0ms",
		"UPDATE_STREAM_MODE_DURATION=0ms",
		"REGISTER_STREAM_CONSUMER_DURATION=0ms",
		"DEREGISTER_STREAM_CONSUMER_DURATION=0ms",
		"START_STREAM_ENCRYPTION_DURATION=0ms",
		"STOP_STREAM_ENCRYPTION_DURATION=0ms",
		"SHARD_LIMIT=10000",
		"ON_DEMAND_STREAM_COUNT_LIMIT=1000",
		"LOG_LEVEL=" + level,
		"KINSPECT_TEST_PARENT_PID=" + strconv.Itoa(os.Getpid()),
	}
}

// startMock starts kinesis-mock from the package folder dir and waits
// until it answers ListStreams.
func startMock(dir string) (*mockServer, error) {
	node, err := exec.LookPath("node")
	if err != nil {
		return nil, fmt.Errorf("kinesis-mock needs node (apt-get install nodejs): %w", err)
	}
	preload, err := os.CreateTemp("", "kinspect-kinesis-mock-*.js")
	if err != nil {
		return nil, fmt.Errorf("write preload script: %w", err)
	}
	defer os.Remove(preload.Name())
	_, werr := preload.WriteString(preloadJS)
	if cerr := preload.Close(); werr == nil {
		werr = cerr
	}
	if werr != nil {
		return nil, fmt.Errorf("write preload script: %w", werr)
	}
	var lastErr error
	for range startAttempts {
		ports, err := freePorts(2)
		if err != nil {
			return nil, err
		}
		srv, err := launch(node, dir, preload.Name(), ports[0], ports[1])
		if err == nil {
			return srv, nil
		}
		lastErr = err
		if !errors.Is(err, errExitedEarly) {
			break
		}
	}
	return nil, lastErr
}

// launch starts one node process and waits for it to answer.
func launch(node, dir, preload string, plainPort, tlsPort int) (*mockServer, error) {
	logFile, err := os.CreateTemp("", "kinspect-kinesis-mock-*.log")
	if err != nil {
		return nil, fmt.Errorf("create output file: %w", err)
	}
	// Unlinked at once: the open file keeps the output readable for
	// failure messages and nothing is left behind in the temp folder.
	_ = os.Remove(logFile.Name())
	cmd := exec.Command(node, "-r", preload, filepath.Join(dir, "main.js"))
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), mockEnv(dir, plainPort, tlsPort)...)
	// A file, not a pipe: os/exec starts no copying goroutine, and node does
	// not hold go test's output pipe open after the test binary ends.
	cmd.Stdout = logFile
	cmd.Stderr = logFile
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
	if err := cmd.Start(); err != nil {
		logFile.Close()
		return nil, fmt.Errorf("start %s: %w", node, err)
	}
	srv := &mockServer{url: "http://127.0.0.1:" + strconv.Itoa(plainPort), pid: cmd.Process.Pid, log: logFile}
	if err := srv.waitReady(readyTimeout); err != nil {
		srv.stop()
		out := srv.logTail(logTailBytes)
		logFile.Close()
		return nil, fmt.Errorf("%w; output:\n%s", err, out)
	}
	return srv, nil
}

// waitReady polls ListStreams until it succeeds, the process exits or the
// timeout passes.
func (s *mockServer) waitReady(timeout time.Duration) error {
	probe := newKinesisClient(s.url, http.NewBuildableClient(), []func(*middleware.Stack) error{closeConnection}, func(o *kinesis.Options) { o.RetryMaxAttempts = 1 })
	deadline := time.Now().Add(timeout)
	lastErr := errors.New("no answer yet")
	for time.Now().Before(deadline) {
		if exited, status := s.exited(); exited {
			return fmt.Errorf("%w (%s) on %s", errExitedEarly, status, s.url)
		}
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		_, err := probe.ListStreams(ctx, &kinesis.ListStreamsInput{})
		cancel()
		if err == nil {
			return nil
		}
		lastErr = err
		time.Sleep(100 * time.Millisecond)
	}
	return fmt.Errorf("kinesis-mock at %s did not answer ListStreams within %s: %w", s.url, timeout, lastErr)
}

// exited reaps the process without blocking and reports whether it ended.
func (s *mockServer) exited() (bool, string) {
	var ws syscall.WaitStatus
	pid, err := syscall.Wait4(s.pid, &ws, syscall.WNOHANG, nil)
	if err != nil {
		return true, "wait: " + err.Error()
	}
	if pid != s.pid {
		return false, ""
	}
	if ws.Signaled() {
		return true, "killed by " + ws.Signal().String()
	}
	return true, "exit status " + strconv.Itoa(ws.ExitStatus())
}

// stop sends SIGTERM to the process group, SIGKILL after stopGrace (SIGTERM
// can hang with open connections), and reaps the process.
func (s *mockServer) stop() {
	if done, _ := s.exited(); done {
		return
	}
	_ = syscall.Kill(-s.pid, syscall.SIGTERM)
	for deadline := time.Now().Add(stopGrace); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		if done, _ := s.exited(); done {
			return
		}
	}
	_ = syscall.Kill(-s.pid, syscall.SIGKILL)
	var ws syscall.WaitStatus
	_, _ = syscall.Wait4(s.pid, &ws, 0, nil)
}

// freePorts returns n distinct ports in [portLow, portHigh) that nothing
// listens on at the moment of the check.
func freePorts(n int) ([]int, error) {
	ports := make([]int, 0, n)
	for tries := 0; len(ports) < n; tries++ {
		if tries >= 200 {
			return nil, fmt.Errorf("no free port in %d-%d after %d tries", portLow, portHigh, tries)
		}
		p := portLow + rand.IntN(portHigh-portLow)
		if slices.Contains(ports, p) {
			continue
		}
		l, err := net.Listen("tcp", net.JoinHostPort("127.0.0.1", strconv.Itoa(p)))
		if err != nil {
			continue
		}
		l.Close()
		ports = append(ports, p)
	}
	return ports, nil
}
