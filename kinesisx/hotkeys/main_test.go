package hotkeys

import (
	"testing"

	"go.uber.org/goleak"
)

// TestMain checks that the end-to-end tests close their tails.
func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}
