package kinesisx

import (
	"testing"

	"go.uber.org/goleak"
)

// TestMain fails the package if a test leaves a goroutine behind: a tail
// must stop every reader and its loop when it is closed or fails.
func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}
