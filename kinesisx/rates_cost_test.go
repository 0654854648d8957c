package kinesisx

import (
	"testing"
	"time"
)

// TestCostCountsTheTailsFirstSecond: what a young tail read in its first,
// partial second stays in its cost figure. The window used to be counted
// in whole seconds of age but aligned to clock seconds, so a tail 3.2 s old
// that started at .9 of a second left its first second out and reported
// 0 B/s for everything it had read (tail -v said "0.00 MiB/s").
func TestCostCountsTheTailsFirstSecond(t *testing.T) {
	start := time.Unix(100, 900_000_000)
	var c costMeter
	c.add(callSample{at: start.Add(50 * time.Millisecond), bytes: 4 << 20})
	got := c.cost(start.Add(3200*time.Millisecond), start)
	// Seconds 100 to 103 are complete and counted: 4 MiB over 4 s.
	if got.BytesPerSec != 1<<20 || got.CallsPerSec != 0.25 {
		t.Errorf("cost %+v, want 1 MiB/s and 0.25 calls/s", got)
	}
	// Once the tail is older than the window, only the last 10 s count.
	if got := c.cost(start.Add(20*time.Second), start); got.BytesPerSec != 0 {
		t.Errorf("after 20 s the first second is out of the window: %+v", got)
	}
}
