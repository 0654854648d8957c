package cmd

import (
	"os"
	"testing"

	"go.uber.org/goleak"
)

// envRunAsKinspect makes the test binary act as kinspect itself, so that
// tests can run the real command line in a child process and send it
// signals, without building a second binary.
const envRunAsKinspect = "KINSPECT_TEST_RUN_AS_KINSPECT"

// TestMain runs the tests and fails the package if one leaves a goroutine
// behind (a tail, a heartbeat, a server not shut down), unless the binary
// is acting as kinspect. Idle keep-alive connections of the commands' HTTP
// clients are let go for now: Execute does not close its clients' idle
// connections when a command returns.
func TestMain(m *testing.M) {
	if os.Getenv(envRunAsKinspect) == "1" {
		os.Exit(Execute(os.Args[1:], Stdio{In: os.Stdin, Out: os.Stdout, Err: os.Stderr}))
	}
	goleak.VerifyTestMain(m,
		goleak.IgnoreAnyFunction("net/http.(*persistConn).readLoop"),
		goleak.IgnoreAnyFunction("net/http.(*persistConn).writeLoop"))
}
