package e2e

import (
	"fmt"
	"regexp"
	"strings"
	"testing"
)

// liveRow matches a shard row whose incoming rate is a figure (a dash
// until a source has one).
var liveRow = regexp.MustCompile(`(?m)^.?shardId-00000000000[0-3] .* \d+(\.\d)? (B|KiB|MiB)/s`)

// TestLiveRatesOnOpen: in `kinspect demo`, opening orders (4 shards, well
// within the read budget) starts its live rates on their own: the header
// says so and the bars have figures within seconds, before CloudWatch has
// published a minute; L turns them off and on again. At 120x40 and 80x24.
func TestLiveRatesOnOpen(t *testing.T) {
	needTmux(t)
	for _, size := range [][2]int{{120, 40}, {80, 24}} {
		t.Run(fmt.Sprintf("%dx%d", size[0], size[1]), func(t *testing.T) {
			tm := newTerm(t, size[0], size[1])
			tm.startDemo()
			tm.openOrders("● live rates (L stops)", "shardId-000000000003")
			if size[0] >= 120 {
				tm.waitRe("a live figure in the bars", liveRow)
			}
			tm.checkFrame("live rates")
			tm.keys("L")
			tm.waitMatch("L turns them off", func(s string) bool {
				return !strings.Contains(s, "● live rates") && strings.Contains(s, "shardId-000000000003")
			})
			tm.keys("L")
			tm.wait("L turns them on again", "● live rates (L stops)")
			tm.keys("q")
			tm.wait("quit", "EXIT=0")
		})
	}
}
