package latency

import (
	"testing"

	"go.uber.org/goleak"
)

// TestMain fails the package if a run leaves a goroutine behind: Run must
// close its tails and wait for its drainers and puts.
func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}
