package e2e

import (
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/kinspect/kinspect/kinesisx/hashkey"
)

// hotShard is the orders shard the demo's hot key (customer-42, about 920
// records/s) lands on: the stream's four shards split the key space
// evenly.
func hotShard(t *testing.T) string {
	t.Helper()
	k := hashkey.FromPartitionKey("customer-42")
	for i, r := range hashkey.Split(4) {
		if r.Contains(k) {
			return fmt.Sprintf("shardId-%012d", i)
		}
	}
	t.Fatal("customer-42 is in no shard's range")
	return ""
}

// recordsSorted matches the shards table's header sorted by records %,
// descending, at any width ("IN REC/s ↓", "IN REC/s↓", "IN REC/↓").
var recordsSorted = regexp.MustCompile(`IN REC/s? ?↓`)

// firstRow returns the first row under the shards table's header.
func firstRow(s string) string {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		if strings.Contains(l, "SHARD") && strings.Contains(l, "STATE") && i+1 < len(lines) {
			return lines[i+1]
		}
	}
	return ""
}

// TestSortShardsByRecords: in `kinspect demo`, with live rates on, sorting
// the orders shards by records % (o, r) puts the hot shard first, the
// header says so, and the cursor stays on the shard it was on.
func TestSortShardsByRecords(t *testing.T) {
	needTmux(t)
	hot := hotShard(t)
	for _, size := range [][2]int{{120, 40}, {80, 24}} {
		t.Run(fmt.Sprintf("%dx%d", size[0], size[1]), func(t *testing.T) {
			tm := newTerm(t, size[0], size[1])
			tm.startDemo()
			tm.openOrders("SHARD")
			if first := firstRow(tm.screen()); !strings.HasPrefix(first, "shardId-000000000000") {
				t.Fatalf("the shards should be listed by ID first, got %q", first)
			}

			tm.wait("live rates (on by themselves: 4 shards)", "● live rates")
			tm.keys("o")
			tm.wait("sort picker", "sort:", "r records %")
			tm.checkFrame("sort picker")
			tm.keys("r")
			tm.waitMatch("hot shard first", func(s string) bool {
				return recordsSorted.MatchString(s) && strings.HasPrefix(firstRow(s), hot)
			})
			// The cursor stayed on shard 0: the info line names it.
			if hot != "shardId-000000000000" {
				tm.waitRe("cursor on shard 0", regexp.MustCompile(`(?m)^shardId-000000000000  hash `))
			}
			tm.checkFrame("sorted")

			// Again: ascending, the hot shard last of the four.
			tm.keys("o", "r")
			tm.waitMatch("ascending", func(s string) bool {
				return strings.Contains(s, "↑") && !strings.HasPrefix(firstRow(s), hot)
			})
			tm.keys("q")
			tm.wait("quit", "EXIT=0")
		})
	}
}
