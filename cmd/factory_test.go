package cmd

import (
	"context"
	"testing"

	"github.com/aws/smithy-go/logging"
)

// The SDK's own warnings (a response body it could not drain, a retry)
// would print on stderr: into the TUI's screen, which an e2e run caught,
// and after the CLI's one-line errors. The configuration silences them.
func TestSDKLogsStayOffTheTerminal(t *testing.T) {
	f := newFactory(Stdio{})
	f.EndpointURL, f.Region = "http://127.0.0.1:4567", "us-east-1"
	cfg, err := f.AWSConfig(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := cfg.Logger.(logging.Nop); !ok {
		t.Errorf("the SDK logs through %T, want logging.Nop", cfg.Logger)
	}
}
