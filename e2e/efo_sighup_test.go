package e2e

import (
	"encoding/json"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/kinspect/kinspect/kinesisx/local"
	"github.com/kinspect/kinspect/kinesisx/local/localtest"
)

// awsEnv is the environment of the aws CLI and of kinspect against the
// built-in endpoint: dummy credentials, a region, no user config.
func awsEnv(t *testing.T) []string {
	home := t.TempDir()
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "AWS_") && !strings.HasPrefix(kv, "KINSPECT_") && !strings.HasPrefix(kv, "HOME=") {
			env = append(env, kv)
		}
	}
	return append(env, "HOME="+home, "AWS_ACCESS_KEY_ID=test", "AWS_SECRET_ACCESS_KEY=test",
		"AWS_DEFAULT_REGION=us-east-1", "AWS_REGION=us-east-1", "AWS_CONFIG_FILE="+home+"/none", "AWS_SHARED_CREDENTIALS_FILE="+home+"/none")
}

// awsCLI runs `aws kinesis ARGS` against url, the independent client the
// checks read back with, and decodes its JSON answer (nil when empty).
func awsCLI(t *testing.T, url string, args ...string) map[string]any {
	t.Helper()
	if _, err := exec.LookPath("aws"); err != nil {
		t.Skip("the aws CLI is not installed")
	}
	cmd := exec.Command("aws", append([]string{"kinesis", "--endpoint-url", url, "--output", "json"}, args...)...)
	cmd.Env = awsEnv(t)
	out, err := cmd.Output()
	if err != nil {
		var stderr []byte
		if ee, ok := err.(*exec.ExitError); ok {
			stderr = ee.Stderr
		}
		t.Fatalf("aws kinesis %s: %v: %s", strings.Join(args, " "), err, stderr)
	}
	if len(strings.TrimSpace(string(out))) == 0 {
		return nil
	}
	var m map[string]any
	if err := json.Unmarshal(out, &m); err != nil {
		t.Fatalf("aws kinesis %s: %v: %s", strings.Join(args, " "), err, out)
	}
	return m
}

// efoStream starts the built-in endpoint with one 2-shard stream and
// returns the endpoint's URL and the stream's ARN.
func efoStream(t *testing.T) (url, arn string) {
	t.Helper()
	_, url = localtest.Start(t, local.Options{})
	awsCLI(t, url, "create-stream", "--stream-name", "s", "--shard-count", "2")
	d := awsCLI(t, url, "describe-stream-summary", "--stream-name", "s")
	arn, _ = d["StreamDescriptionSummary"].(map[string]any)["StreamARN"].(string)
	if arn == "" {
		t.Fatalf("no stream ARN in %v", d)
	}
	return url, arn
}

// consumers lists the stream's consumers with the aws CLI: name → status.
func consumers(t *testing.T, url, arn string) map[string]string {
	t.Helper()
	out := map[string]string{}
	list, _ := awsCLI(t, url, "list-stream-consumers", "--stream-arn", arn)["Consumers"].([]any)
	for _, c := range list {
		m := c.(map[string]any)
		out[m["ConsumerName"].(string)], _ = m["ConsumerStatus"].(string)
	}
	return out
}

// waitConsumers polls (with the aws CLI) until ok holds for the stream's
// consumers, and fails the test after waitFor.
func waitConsumers(t *testing.T, url, arn, step string, ok func(map[string]string) bool) map[string]string {
	t.Helper()
	deadline := time.Now().Add(waitFor)
	for {
		cs := consumers(t, url, arn)
		if ok(cs) {
			return cs
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s: consumers %v after %s", step, cs, waitFor)
		}
		time.Sleep(200 * time.Millisecond)
	}
}

func oneKinspectConsumer(cs map[string]string) bool {
	return len(cs) == 1 && func() bool {
		for name, status := range cs {
			return strings.HasPrefix(name, "kinspect-") && status == "ACTIVE"
		}
		return false
	}()
}

// TestSIGHUPTailEFODeregisters: closing the terminal of `kinspect tail
// --efo` (SIGHUP) deregisters the consumer it registered, read back with
// the aws CLI.
func TestSIGHUPTailEFODeregisters(t *testing.T) {
	needTmux(t)
	url, arn := efoStream(t)
	cmd := exec.Command(kinspect, "tail", "s", "--efo", "--endpoint-url", url)
	cmd.Env = awsEnv(t)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	go func() { _ = cmd.Wait(); close(done) }()
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		<-done
	})
	waitConsumers(t, url, arn, "tail registered its consumer", oneKinspectConsumer)
	if err := cmd.Process.Signal(syscall.SIGHUP); err != nil {
		t.Fatal(err)
	}
	select {
	case <-done:
	case <-time.After(waitFor):
		t.Fatalf("kinspect tail did not end %s after SIGHUP; stderr:\n%s", waitFor, stderr.String())
	}
	if cs := consumers(t, url, arn); len(cs) != 0 {
		t.Fatalf("consumers left after SIGHUP: %v; stderr:\n%s", cs, stderr.String())
	}
}

// TestTUIKillWindowEFODeregisters: a TUI tailing a stream with EFO, whose
// tmux window is killed (the terminal hangs up), deregisters its consumer
// and turns off the shard-level metrics whose automatic off was pending.
func TestTUIKillWindowEFODeregisters(t *testing.T) {
	needTmux(t)
	url, arn := efoStream(t)
	// A consumer a killed kinspect left: the TUI offers to prune it.
	dead := awsCLI(t, url, "register-stream-consumer", "--stream-arn", arn, "--consumer-name", "kinspect-dead-1")["Consumer"].(map[string]any)["ConsumerARN"].(string)
	awsCLI(t, url, "tag-resource", "--resource-arn", dead, "--tags", "kinspect:heartbeat="+time.Now().Add(-time.Hour).UTC().Format(time.RFC3339))
	tm := newTerm(t, 120, 40)
	tm.openTUI(url)
	tm.wait("home", "streams (1)")
	tm.keys("Enter")
	tm.wait("stream and the stale hint", "2 open / 2 shards", "run kinspect consumers s --prune")
	tm.keys("e")
	tm.wait("turn-on confirmation", "Turn on shard-level metrics · s", "after 30 minutes")
	tm.keys("y")
	tm.waitRe("countdown", regexp.MustCompile(`⏱ s metrics off in (30:00|29:[0-5]\d)`))
	if len(monitoring(t, url)) == 0 {
		t.Fatal("shard-level metrics should be on")
	}
	tm.keys("t")
	tm.wait("picker", "Start a tail of s")
	tm.keys("Down", "Right")
	tm.wait("EFO chosen", "[EFO]")
	tm.keys("Enter")
	waitConsumers(t, url, arn, "the TUI's tail registered its consumer", func(cs map[string]string) bool {
		delete(cs, "kinspect-dead-1")
		return oneKinspectConsumer(cs)
	})
	tm.tmux("kill-window", "-t", tm.session)
	waitConsumers(t, url, arn, "the consumer is gone after the terminal hung up", func(cs map[string]string) bool {
		return len(cs) == 1 && cs["kinspect-dead-1"] == "ACTIVE"
	})
	deadline := time.Now().Add(waitFor)
	for len(monitoring(t, url)) != 0 {
		if time.Now().After(deadline) {
			t.Fatalf("shard-level metrics still on %s after the terminal hung up: %v", waitFor, monitoring(t, url))
		}
		time.Sleep(200 * time.Millisecond)
	}
}

// monitoring reads the stream's shard-level metrics with the aws CLI.
func monitoring(t *testing.T, url string) []any {
	t.Helper()
	d := awsCLI(t, url, "describe-stream-summary", "--stream-name", "s")["StreamDescriptionSummary"].(map[string]any)
	var out []any
	for _, em := range d["EnhancedMonitoring"].([]any) {
		ms, _ := em.(map[string]any)["ShardLevelMetrics"].([]any)
		out = append(out, ms...)
	}
	return out
}
