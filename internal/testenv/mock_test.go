//go:build linux

package testenv

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kinesis"
	"github.com/aws/aws-sdk-go-v2/service/kinesis/types"
)

const helperEnv = "KINSPECT_TESTENV_HELPER"

func TestKinesisMockStreamLifecycle(t *testing.T) {
	url := KinesisMock(t)
	if !strings.HasPrefix(url, "http://127.0.0.1:") {
		t.Fatalf("KinesisMock = %q, want a loopback http URL", url)
	}
	c := KinesisClient(t, url)
	ctx := t.Context()
	var name string
	t.Run("create", func(t *testing.T) {
		name = StreamName(t)
		CreateStream(t, c, name, 2)
		sum, err := c.DescribeStreamSummary(ctx, &kinesis.DescribeStreamSummaryInput{StreamName: aws.String(name)})
		if err != nil {
			t.Fatal(err)
		}
		if got := aws.ToInt32(sum.StreamDescriptionSummary.OpenShardCount); got != 2 {
			t.Errorf("open shards = %d, want 2", got)
		}
		if got := sum.StreamDescriptionSummary.StreamStatus; got != types.StreamStatusActive {
			t.Errorf("status = %s, want ACTIVE", got)
		}
		put, err := c.PutRecord(ctx, &kinesis.PutRecordInput{
			StreamName: aws.String(name), PartitionKey: aws.String("k"), Data: []byte("hello"),
		})
		if err != nil {
			t.Fatalf("PutRecord: %v", err)
		}
		if aws.ToString(put.SequenceNumber) == "" {
			t.Error("PutRecord returned no sequence number")
		}
		arn := RegisterConsumer(t, c, name, "kt-consumer")
		if !strings.Contains(arn, "/consumer/kt-consumer") {
			t.Errorf("consumer ARN %q does not name the consumer", arn)
		}
	})
	// The subtest's cleanup deleted the stream.
	_, err := c.DescribeStreamSummary(ctx, &kinesis.DescribeStreamSummaryInput{StreamName: aws.String(name)})
	var nf *types.ResourceNotFoundException
	if !errors.As(err, &nf) {
		t.Errorf("after the test DescribeStreamSummary(%s) error = %v, want ResourceNotFoundException", name, err)
	}
}

func TestKinesisMockListensOnLoopbackOnly(t *testing.T) {
	KinesisMock(t)
	addrs, err := listeningAddrs(mock.srv.pid)
	if err != nil {
		t.Fatal(err)
	}
	if len(addrs) != 2 {
		t.Errorf("kinesis-mock listens on %v, want 2 sockets (plain and TLS)", addrs)
	}
	for _, a := range addrs {
		if !strings.HasPrefix(a, "127.0.0.1:") {
			t.Errorf("kinesis-mock listens on %s, want 127.0.0.1 only (all: %v)", a, addrs)
		}
		port, _ := strconv.Atoi(a[strings.LastIndexByte(a, ':')+1:])
		if port < portLow || port >= portHigh {
			t.Errorf("port %d outside %d-%d", port, portLow, portHigh)
		}
	}
}

func TestStartMockReportsEarlyExit(t *testing.T) {
	dir := t.TempDir()
	script := `console.error("boom: cannot start"); process.exit(7);`
	if err := os.WriteFile(filepath.Join(dir, "main.js"), []byte(script), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := exec.LookPath("node"); err != nil {
		t.Skip("node not installed")
	}
	start := time.Now()
	srv, err := startMock(dir)
	if err == nil {
		srv.stop()
		t.Fatal("startMock of a script that exits succeeded")
	}
	for _, want := range []string{"exited before it answered", "exit status 7", "boom: cannot start"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not contain %q", err, want)
		}
	}
	if d := time.Since(start); d > 15*time.Second {
		t.Errorf("an early exit took %s to report, want it noticed at once", d)
	}
}

// TestMockDiesWithTestBinary runs this test binary as a child that starts
// kinesis-mock and exits without any cleanup; node must go with it.
func TestMockDiesWithTestBinary(t *testing.T) {
	dir, err := mockDir(os.Getenv(EnvKinesisMockDir), defaultMockDir())
	if err != nil || dir == "" {
		KinesisMock(t) // skips or fails with the usual message
	}
	ctx, cancel := context.WithTimeout(t.Context(), readyTimeout+10*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), helperEnv+"=1", EnvKinesisMockDir+"="+dir)
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("helper: %v; output %q", err, out)
	}
	var pid int
	sc := bufio.NewScanner(strings.NewReader(string(out)))
	for sc.Scan() {
		if _, err := fmt.Sscanf(sc.Text(), "node pid %d", &pid); err == nil {
			break
		}
	}
	if pid == 0 {
		t.Fatalf("helper printed no node pid: %q", out)
	}
	deadline := time.Now().Add(5 * time.Second)
	for alive(pid) {
		if time.Now().After(deadline) {
			t.Fatalf("node (pid %d) still runs 5 s after the test binary exited", pid)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// helperMain starts kinesis-mock, prints node's pid and exits at once.
func helperMain() int {
	srv, err := startMock(os.Getenv(EnvKinesisMockDir))
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	fmt.Printf("node pid %d\n", srv.pid)
	return 0
}

// alive reports whether pid is a process that is neither gone nor a zombie.
func alive(pid int) bool {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return false
	}
	s := string(b)
	i := strings.LastIndexByte(s, ')')
	return i < 0 || i+2 >= len(s) || s[i+2] != 'Z'
}

// listeningAddrs returns the local addresses of the listening TCP sockets
// that process pid holds, as "a.b.c.d:port" (IPv4) or "[v6]:port".
func listeningAddrs(pid int) ([]string, error) {
	fds, err := os.ReadDir(fmt.Sprintf("/proc/%d/fd", pid))
	if err != nil {
		return nil, err
	}
	inodes := map[string]bool{}
	for _, fd := range fds {
		link, err := os.Readlink(fmt.Sprintf("/proc/%d/fd/%s", pid, fd.Name()))
		if err == nil && strings.HasPrefix(link, "socket:[") {
			inodes[strings.TrimSuffix(strings.TrimPrefix(link, "socket:["), "]")] = true
		}
	}
	var addrs []string
	for _, table := range []string{"tcp", "tcp6"} {
		b, err := os.ReadFile(fmt.Sprintf("/proc/%d/net/%s", pid, table))
		if err != nil {
			return nil, err
		}
		for _, line := range strings.Split(string(b), "\n")[1:] {
			f := strings.Fields(line)
			if len(f) < 10 || f[3] != "0A" || !inodes[f[9]] { // 0A: LISTEN
				continue
			}
			addrs = append(addrs, procAddr(f[1]))
		}
	}
	return addrs, nil
}

// procAddr decodes /proc/net/tcp's "0100007F:5DC0" form.
func procAddr(s string) string {
	host, port, _ := strings.Cut(s, ":")
	p, _ := strconv.ParseUint(port, 16, 16)
	if len(host) == 8 {
		v, _ := strconv.ParseUint(host, 16, 32)
		return fmt.Sprintf("%d.%d.%d.%d:%d", v&0xff, v>>8&0xff, v>>16&0xff, v>>24, p)
	}
	return fmt.Sprintf("[%s]:%d", host, p)
}

func TestFreePorts(t *testing.T) {
	ports, err := freePorts(5)
	if err != nil {
		t.Fatal(err)
	}
	seen := map[int]bool{}
	for _, p := range ports {
		if p < portLow || p >= portHigh {
			t.Errorf("port %d outside %d-%d", p, portLow, portHigh)
		}
		if seen[p] {
			t.Errorf("port %d given twice in %v", p, ports)
		}
		seen[p] = true
	}
	if len(ports) != 5 {
		t.Errorf("got %d ports, want 5", len(ports))
	}
}

const failHelperEnv = "KINSPECT_TESTENV_FAIL_HELPER"

// TestHelperFailingTest fails on purpose when run by
// TestFailureShowsMockOutput; otherwise it does nothing.
func TestHelperFailingTest(t *testing.T) {
	if os.Getenv(failHelperEnv) == "" {
		t.Skip("runs only as the child of TestFailureShowsMockOutput")
	}
	KinesisMock(t)
	t.Error("failing on purpose")
}

func TestFailureShowsMockOutput(t *testing.T) {
	dir, err := mockDir(os.Getenv(EnvKinesisMockDir), defaultMockDir())
	if err != nil || dir == "" {
		KinesisMock(t) // skips or fails with the usual message
	}
	ctx, cancel := context.WithTimeout(t.Context(), readyTimeout+10*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, os.Args[0], "-test.run=^TestHelperFailingTest$", "-test.v")
	cmd.Env = append(os.Environ(), failHelperEnv+"=1", EnvKinesisMockDir+"="+dir, "KINSPECT_KINESIS_MOCK_LOG_LEVEL=INFO")
	out, err := cmd.CombinedOutput()
	if err == nil {
		t.Fatalf("the failing child test passed:\n%s", out)
	}
	for _, want := range []string{"failing on purpose", "last output:", "Starting Kinesis Plain Mock Service"} {
		if !strings.Contains(string(out), want) {
			t.Errorf("child output lacks %q:\n%s", want, out)
		}
	}
}
