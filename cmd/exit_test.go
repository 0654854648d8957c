package cmd

import (
	"bufio"
	"context"
	"io"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kinesis"

	"github.com/kinspect/kinspect/kinesisx/local"
)

// child starts this test binary as kinspect with args against the
// endpoint, with its stdout piped.
func child(t *testing.T, url string, args ...string) (*exec.Cmd, io.ReadCloser) {
	t.Helper()
	c := exec.Command(os.Args[0], append([]string{"--endpoint-url", url}, args...)...)
	c.Env = append(os.Environ(), envRunAsKinspect+"=1")
	out, err := c.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	c.Stderr = os.Stderr
	if err := c.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = c.Process.Kill(); _ = c.Wait() })
	return c, out
}

// consumers lists the stream's consumers.
func consumers(t *testing.T, k *kinesis.Client, stream string) []string {
	t.Helper()
	d, err := k.DescribeStreamSummary(context.Background(), &kinesis.DescribeStreamSummaryInput{StreamName: aws.String(stream)})
	if err != nil {
		t.Fatal(err)
	}
	out, err := k.ListStreamConsumers(context.Background(), &kinesis.ListStreamConsumersInput{StreamARN: d.StreamDescriptionSummary.StreamARN})
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, c := range out.Consumers {
		names = append(names, aws.ToString(c.ConsumerName))
	}
	return names
}

// waitFor polls cond for up to 20 s.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// TestEFOTailDeregistersItsConsumerOnEveryExit runs `kinspect tail --efo`
// as a real process and ends it by SIGINT, SIGTERM, --max and a closed
// pipe: each time it must exit 0 and leave no consumer registered.
func TestEFOTailDeregistersItsConsumerOnEveryExit(t *testing.T) {
	e := newWriteEnv(t, local.Options{})
	stream := e.stream(2)
	e.put(stream, "k", []byte("first"))
	tests := []struct {
		name string
		args []string
		end  func(c *exec.Cmd, out io.ReadCloser)
	}{
		{"SIGINT", nil, func(c *exec.Cmd, _ io.ReadCloser) { _ = c.Process.Signal(syscall.SIGINT) }},
		{"SIGTERM", nil, func(c *exec.Cmd, _ io.ReadCloser) { _ = c.Process.Signal(syscall.SIGTERM) }},
		{"max", []string{"--max", "2"}, func(*exec.Cmd, io.ReadCloser) { e.put(stream, "k", []byte("second")) }},
		{"closed pipe", nil, func(_ *exec.Cmd, out io.ReadCloser) {
			_ = out.Close()
			for i := 0; i < 20; i++ { // a write must fail on the closed pipe
				e.put(stream, "k", []byte("more"))
				time.Sleep(20 * time.Millisecond)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, out := child(t, e.url, append([]string{"tail", stream, "--efo", "--from", "trim-horizon"}, tt.args...)...)
			lines := bufio.NewReader(out)
			first, err := lines.ReadString('\n')
			if err != nil || !strings.Contains(first, "first") {
				t.Fatalf("first line %q, %v", first, err)
			}
			names := consumers(t, e.sdk, stream)
			if len(names) != 1 || !strings.HasPrefix(names[0], "kinspect-") {
				t.Fatalf("consumers while tailing = %v, want one kinspect-… consumer", names)
			}
			tt.end(c, out)
			go func() { _, _ = io.Copy(io.Discard, lines) }()
			done := make(chan error, 1)
			go func() { done <- c.Wait() }()
			select {
			case err := <-done:
				if err != nil {
					t.Fatalf("kinspect exited with %v", err)
				}
			case <-time.After(20 * time.Second):
				t.Fatal("kinspect did not exit")
			}
			waitFor(t, "no consumers", func() bool { return len(consumers(t, e.sdk, stream)) == 0 })
		})
	}
}
