package demo_test

import (
	"testing"

	"go.uber.org/goleak"
)

// TestMain fails the package if a test leaves a goroutine behind: the
// demo's producers must all stop when their context ends.
func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}
