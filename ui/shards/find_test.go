package shards

import (
	"testing"

	"github.com/kinspect/kinspect/ui/internal/uitest"
	"github.com/kinspect/kinspect/ui/screen"
)

// TestFindKey: F asks the root for the find screen, read-only or not (it
// only reads).
func TestFindKey(t *testing.T) {
	for _, ro := range []bool{false, true} {
		m := newLoaded(t, evenShards(2), ro, 120, 10)
		msgs := uitest.Msgs(m.Update(uitest.Key("F")))
		if rc, ok := uitest.Find[screen.RunCommandMsg](msgs); !ok || rc.Command != "find" {
			t.Errorf("read-only %v: F should ask for the find screen, got %v", ro, msgs)
		}
	}
}
