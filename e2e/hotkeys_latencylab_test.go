package e2e

import (
	"regexp"
	"testing"
)

// hotKeyFirst matches a shard's hot-key block whose skew says "hot key"
// and whose heaviest key by bytes and by records is customer-42, the demo
// producer's hot partition key.
var hotKeyFirst = regexp.MustCompile(`shardId-\d{12}  skew 0\.\d\d hot key[^\n]*\n[^\n]*\n[^\n]*BY RECORDS[^\n]*\n  1 customer-42 [^\n]*1 customer-42 `)

// labRows match the latency lab's report rows: mode, then the time until
// the last probe arrived and the percentiles.
var labRows = []*regexp.Regexp{
	regexp.MustCompile(`(?m)^polling +\d+(ms|\.\ds) +\d+(ms|\.\ds) `),
	regexp.MustCompile(`(?m)^efo +\d+(ms|\.\ds) +\d+(ms|\.\ds) `),
}

// TestHotKeysAndLatencyLab: in `kinspect demo` at 120x40, the hot-key
// view and the latency lab are reachable from the stream view and
// readable.
func TestHotKeysAndLatencyLab(t *testing.T) {
	needTmux(t)
	tm := newTerm(t, 120, 40)
	tm.startDemo()
	tm.openOrders("SHARD")

	// Hot keys: h reads the stream live and shows the panel; G puts the
	// last shard (the demo's hot one) first.
	tm.keys("h")
	tm.wait("hot-key panel", "HOT KEYS", "BY BYTES", "BY RECORDS")
	tm.keys("G")
	tm.waitRe("customer-42 on top of its shard", hotKeyFirst)
	tm.checkFrame("hot keys")
	tm.keys("h")
	tm.wait("back to the table", "SHARD", "IN B/s")

	// The latency lab: b, the confirmation with the EFO cost note, y runs.
	tm.keys("b")
	tm.wait("lab confirmation", "Latency lab · orders", "this writes to the stream", "EFO costs money", "y run")
	tm.checkFrame("lab confirmation")
	tm.keys("y")
	for _, re := range labRows {
		tm.waitRe("lab report", re)
	}
	tm.wait("lab comparison", "time until the last probe arrived", "median delivery latency", "read the whole run")
	tm.checkFrame("lab report")

	tm.esc()
	tm.wait("stream again", "4 open / 4 shards")
	tm.keys("q")
	tm.wait("quit", "EXIT=0")
}
