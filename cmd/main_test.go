package cmd

import (
	"os"
	"testing"
)

// envRunAsKinspect makes the test binary act as kinspect itself, so that
// tests can run the real command line in a child process and send it
// signals, without building a second binary.
const envRunAsKinspect = "KINSPECT_TEST_RUN_AS_KINSPECT"

func TestMain(m *testing.M) {
	if os.Getenv(envRunAsKinspect) == "1" {
		os.Exit(Execute(os.Args[1:], Stdio{In: os.Stdin, Out: os.Stdout, Err: os.Stderr}))
	}
	os.Exit(m.Run())
}
