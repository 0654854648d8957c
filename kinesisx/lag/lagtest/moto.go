// Package lagtest starts a moto server (Python's AWS mock, `moto_server`)
// for tests of consumer lag: it serves DynamoDB (lease tables), Lambda
// (event source mappings), IAM and Kinesis (which moto's Lambda checks a
// mapping's stream against).
//
// Only tests import this package. Each call starts its own server on a
// free loopback port and stops it when the test ends. One goroutine per
// server waits for the process; Cleanup kills it and waits for that
// goroutine, so none outlives the test.
package lagtest

import (
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"strconv"
	"testing"
	"time"
)

// Account is the account moto is started with: the built-in endpoint's
// (kinesisx/local), so that the stream ARNs of both agree.
const Account = "000000000000"

// readyTimeout bounds the wait for moto's first answer (Python imports
// take a few seconds on a busy machine).
const readyTimeout = 60 * time.Second

// Moto starts moto_server on 127.0.0.1 and returns its URL. When
// moto_server is not installed the test is skipped, unless CI is set:
// there its absence fails the test (pip install 'moto[server]').
func Moto(t testing.TB) string {
	t.Helper()
	bin, err := exec.LookPath("moto_server")
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("moto_server not found and CI is set: pip install 'moto[server]' (%v)", err)
		}
		t.Skip("moto_server not installed: pip install 'moto[server]' to run this test")
	}
	var lastErr error
	for range 3 { // a port taken between the check and moto's bind
		url, err := start(t, bin)
		if err == nil {
			return url
		}
		lastErr = err
	}
	t.Fatalf("moto_server: %v", lastErr)
	return ""
}

func start(t testing.TB, bin string) (string, error) {
	port, err := freePort()
	if err != nil {
		return "", err
	}
	out, err := os.CreateTemp("", "kinspect-moto-*.log")
	if err != nil {
		return "", err
	}
	_ = os.Remove(out.Name()) // the open file keeps the output for failure messages
	cmd := exec.Command(bin, "-H", "127.0.0.1", "-p", strconv.Itoa(port))
	cmd.Env = append(os.Environ(), "MOTO_ACCOUNT_ID="+Account)
	cmd.Stdout, cmd.Stderr = out, out
	setDeathSignal(cmd)
	if err := cmd.Start(); err != nil {
		out.Close()
		return "", err
	}
	done := make(chan struct{})
	go func() { _ = cmd.Wait(); close(done) }()
	stop := func() {
		_ = cmd.Process.Kill()
		<-done
		out.Close()
	}
	url := "http://127.0.0.1:" + strconv.Itoa(port)
	if err := waitReady(url, done, readyTimeout); err != nil {
		stop()
		return "", err
	}
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("moto_server output:\n%s", tail(out, 4096))
		}
		stop()
	})
	return url, nil
}

// waitReady polls moto's own API until it answers.
func waitReady(url string, done <-chan struct{}, timeout time.Duration) error {
	client := &http.Client{Timeout: 2 * time.Second, Transport: &http.Transport{DisableKeepAlives: true}}
	deadline := time.Now().Add(timeout)
	for time.Now().Before(deadline) {
		select {
		case <-done:
			return errors.New("moto_server exited before it answered")
		default:
		}
		resp, err := client.Get(url + "/moto-api/data.json")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
		}
		time.Sleep(100 * time.Millisecond)
	}
	return fmt.Errorf("moto_server at %s did not answer within %s", url, timeout)
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// tail reads the last n bytes of the output file with ReadAt.
func tail(f *os.File, n int64) string {
	fi, err := f.Stat()
	if err != nil {
		return err.Error()
	}
	off := max(fi.Size()-n, 0)
	b := make([]byte, fi.Size()-off)
	k, _ := f.ReadAt(b, off)
	return string(b[:k])
}
