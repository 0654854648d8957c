package e2e

import (
	"fmt"
	"strings"
	"testing"
)

// TestTUIRegionSwitchAndReadOnlyRefusal: in a read-only session a refused
// dangerous key says why on the status line, and :region switches the
// session to another region: the header says so, the streams list of the
// new connection opens and the RO badge stays (the guard is decided
// again, with the same flag).
func TestTUIRegionSwitchAndReadOnlyRefusal(t *testing.T) {
	needTmux(t)
	for _, size := range [][2]int{{120, 40}, {80, 24}} {
		t.Run(fmt.Sprintf("%dx%d", size[0], size[1]), func(t *testing.T) {
			tm := newTerm(t, size[0], size[1])
			tm.text(kinspect + " --read-only demo; echo EXIT=$?")
			tm.keys("Enter")
			tm.wait("home", "streams (3)", "orders")
			if !readOnlyBadge(tm.screen()) {
				t.Fatalf("no RO badge:\n%s", tm.screen())
			}

			tm.keys(":")
			tm.text("stream orders")
			tm.keys("Enter")
			tm.wait("stream", "4 open / 4 shards", "SHARD")
			tm.keys("s")
			tm.waitMatch("the refused split says why", func(s string) bool {
				return strings.Contains(strings.Join(strings.Fields(s), " "), "split shard: read-only mode refused it (started with --read-only)")
			})
			if s := tm.screen(); strings.Contains(s, "Split shardId") {
				t.Fatalf("read-only mode opened the split dialog:\n%s", s)
			}
			// The flash clears: the breadcrumbs are back on top.
			tm.waitMatch("the flash clears", func(string) bool { return frameOK(tm) })
			tm.checkFrame("refused")

			tm.keys(":")
			tm.text("region eu-west-1")
			tm.keys("Enter")
			tm.wait("switched", "now on profile", "region eu-west-1", "streams (3)")
			// Once the message clears, the header keeps the region.
			tm.waitMatch("header", func(s string) bool {
				first := strings.SplitN(s, "\n", 2)[0]
				return !strings.Contains(first, "now on") && strings.Contains(first, "region eu-west-1") && readOnlyBadge(s) &&
					strings.HasPrefix(first, "kinspect › streams ")
			})
			tm.checkFrame("after the switch")

			tm.keys("q")
			tm.wait("quit", "EXIT=0")
		})
	}
}

// readOnlyBadge reports whether the status line ends with the RO badge.
func readOnlyBadge(s string) bool {
	return strings.HasSuffix(strings.TrimSpace(strings.SplitN(s, "\n", 2)[0]), " RO")
}
