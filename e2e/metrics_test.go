package e2e

import (
	"regexp"
	"testing"
)

// shardRow matches a row of the :metrics table at 120 columns: the shard
// ID, then the incoming rate (or - when CloudWatch has no minute yet).
var shardRow = regexp.MustCompile(`(?m)^shardId-00000000000[0-3] +(\d+(\.\d)? (B|KiB|MiB)|-) `)

// TestMetricsScreen: in `kinspect demo` at 120x40, :metrics on orders
// shows the four shards' rows; E turns shard-level metrics off (the
// screen says so), e turns them on again with the default 30-minute
// auto-off and the status line counts down; quitting before the timer
// ends turns them off on the way out and says so after the TUI exits.
func TestMetricsScreen(t *testing.T) {
	needTmux(t)
	tm := newTerm(t, 120, 40)
	tm.startDemo()
	tm.openOrders("SHARD", "shard metrics on")

	tm.text(":metrics")
	tm.keys("Enter")
	s := tm.wait("metrics screen", "orders › metrics", "orders · CloudWatch · window 15m", "IN/s", "THR W/R",
		"shardId-000000000000", "shardId-000000000001", "shardId-000000000002", "shardId-000000000003")
	if n := len(shardRow.FindAllString(s, -1)); n != 4 {
		t.Fatalf("want 4 shard rows, got %d:\n%s", n, s)
	}
	tm.checkFrame("metrics")
	tm.keys("w")
	tm.wait("1h window", "window 1h", "shardId-000000000003")

	// E: confirm, and the screen says plainly that they are off.
	tm.keys("E")
	tm.wait("turn-off confirmation", "Turn off shard-level metrics · orders", "aws kinesis disable-enhanced-monitoring --stream-name orders")
	tm.keys("y")
	tm.wait("metrics off", "Shard-level metrics are off for orders", "e turns them on")
	tm.checkFrame("metrics off")

	// e: the cost note, the command, the default auto-off; the countdown.
	tm.keys("e")
	tm.wait("turn-on confirmation", "Turn on shard-level metrics · orders", "It costs money", "after 30 minutes",
		"aws kinesis enable-enhanced-monitoring --stream-name orders --shard-level-metrics ALL")
	tm.checkFrame("turn-on confirmation")
	tm.keys("y")
	tm.waitRe("countdown", regexp.MustCompile(`⏱ orders metrics off in (30:00|29:[0-5]\d)`))
	tm.wait("table again", "IN/s", "shardId-000000000003")

	tm.keys("q")
	tm.wait("quit turns them off and says so", "kinspect: turned off shard-level metrics of orders on exit", "EXIT=0")
}
