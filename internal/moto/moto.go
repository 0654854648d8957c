// Package moto starts a moto server (Python's AWS mock, `moto_server`) on
// a free loopback port: the DynamoDB of `kinspect demo`'s KCL-like
// consumer, and the DynamoDB and Lambda of the lag tests (kinesisx/lag/lagtest).
//
// Each Start runs its own process with its output in an unlinked
// temporary file (never on the terminal: the TUI owns it). One goroutine
// per server waits for the process; Close kills it and waits for that
// goroutine. On Linux the process also gets SIGKILL when kinspect dies
// without closing it, so no moto outlives kinspect.
package moto

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"strconv"
	"sync"
	"time"
)

// Binary is the command that runs the server (pip install 'moto[server]').
const Binary = "moto_server"

// Account is the account the server is started with: the built-in
// endpoint's (kinesisx/local), so that the stream ARNs of both agree.
const Account = "000000000000"

// ErrNotInstalled says that moto_server is not on PATH.
var ErrNotInstalled = errors.New(Binary + " is not installed (pip install 'moto[server]')")

// readyTimeout bounds the wait for moto's first answer (Python imports
// take a few seconds on a busy machine).
const readyTimeout = 60 * time.Second

// Server is a running moto_server.
type Server struct {
	// URL is its endpoint, http://127.0.0.1:PORT.
	URL string

	cmd  *exec.Cmd
	out  *os.File
	done chan struct{}
	once sync.Once
}

// Installed reports whether moto_server is on PATH.
func Installed() bool {
	_, err := exec.LookPath(Binary)
	return err == nil
}

// Start starts moto_server on 127.0.0.1 and waits until it answers (or
// ctx ends). It returns ErrNotInstalled when moto_server is not on PATH.
func Start(ctx context.Context) (*Server, error) {
	bin, err := exec.LookPath(Binary)
	if err != nil {
		return nil, ErrNotInstalled
	}
	var lastErr error
	for range 3 { // a port taken between the check and moto's bind
		s, err := start(ctx, bin)
		if err == nil {
			return s, nil
		}
		lastErr = err
		if ctx.Err() != nil {
			break
		}
	}
	return nil, fmt.Errorf("%s: %w", Binary, lastErr)
}

func start(ctx context.Context, bin string) (*Server, error) {
	s, err := launch(bin)
	if err != nil {
		return nil, err
	}
	if err := s.Ready(ctx); err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
}

// Launch starts moto_server on 127.0.0.1 without waiting for it: its URL
// is known at once, and Ready waits until it answers (moto's Python takes
// seconds to start). It returns ErrNotInstalled when moto_server is not on
// PATH. The caller must Close the server.
func Launch() (*Server, error) {
	bin, err := exec.LookPath(Binary)
	if err != nil {
		return nil, ErrNotInstalled
	}
	return launch(bin)
}

func launch(bin string) (*Server, error) {
	port, err := freePort()
	if err != nil {
		return nil, err
	}
	out, err := os.CreateTemp("", "kinspect-moto-*.log")
	if err != nil {
		return nil, err
	}
	_ = os.Remove(out.Name()) // the open file keeps the output for Output
	cmd := exec.Command(bin, "-H", "127.0.0.1", "-p", strconv.Itoa(port))
	cmd.Env = append(os.Environ(), "MOTO_ACCOUNT_ID="+Account)
	cmd.Stdout, cmd.Stderr = out, out
	setDeathSignal(cmd)
	if err := cmd.Start(); err != nil {
		out.Close()
		return nil, err
	}
	s := &Server{URL: "http://127.0.0.1:" + strconv.Itoa(port), cmd: cmd, out: out, done: make(chan struct{})}
	go func() { _ = cmd.Wait(); close(s.done) }()
	return s, nil
}

// Ready waits until the server answers, it exits, or ctx ends.
func (s *Server) Ready(ctx context.Context) error {
	return waitReady(ctx, s.URL, s.done, readyTimeout)
}

// Close kills the server and waits for it to exit. It is safe to call
// more than once.
func (s *Server) Close() {
	s.once.Do(func() {
		_ = s.cmd.Process.Kill()
		<-s.done
		s.out.Close()
	})
}

// Output returns the last n bytes the server wrote (for test failures).
func (s *Server) Output(n int64) string {
	fi, err := s.out.Stat()
	if err != nil {
		return err.Error()
	}
	off := max(fi.Size()-n, 0)
	b := make([]byte, fi.Size()-off)
	k, _ := s.out.ReadAt(b, off)
	return string(b[:k])
}

// waitReady polls moto's own API until it answers.
func waitReady(ctx context.Context, url string, done <-chan struct{}, timeout time.Duration) error {
	client := &http.Client{Timeout: 2 * time.Second, Transport: &http.Transport{DisableKeepAlives: true}}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	for {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, url+"/moto-api/data.json", nil)
		if err != nil {
			return err
		}
		if resp, err := client.Do(req); err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
		}
		select {
		case <-done:
			return errors.New("moto_server exited before it answered")
		case <-ctx.Done():
			return fmt.Errorf("moto_server at %s did not answer: %w", url, ctx.Err())
		case <-time.After(100 * time.Millisecond):
		}
	}
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}
