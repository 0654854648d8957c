package local_test

import (
	"os"
	"os/exec"
	"strings"
	"testing"

	"github.com/kinspect/kinspect/kinesisx/local"
	"github.com/kinspect/kinspect/kinesisx/local/localtest"
)

// TestBoto3EveryOperation drives every operation of botocore's Kinesis
// model (39 in botocore 1.43) through boto3 against the built-in endpoint;
// boto3 parses each answer against the model's output shape, and the
// script fails when an operation of the model was not driven. In CI,
// python3 with boto3 is required.
func TestBoto3EveryOperation(t *testing.T) {
	if _, err := exec.LookPath("python3"); err != nil || exec.Command("python3", "-c", "import boto3").Run() != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("python3 with boto3 is required in CI")
		}
		t.Skip("python3 with boto3 is not installed")
	}
	_, url := localtest.Start(t, local.Options{})
	cmd := exec.Command("python3", "testdata/boto3_all_operations.py", url)
	cmd.Env = append(os.Environ(), "AWS_CONFIG_FILE=/nonexistent", "AWS_SHARED_CREDENTIALS_FILE=/nonexistent")
	out, err := cmd.CombinedOutput()
	if err != nil || !strings.HasPrefix(strings.TrimSpace(string(out)), "ok ") {
		t.Fatalf("boto3 over every operation: %v\n%s", err, out)
	}
	t.Log(strings.TrimSpace(string(out)))
}
