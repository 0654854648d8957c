package ui

import (
	"strings"
	"testing"
	"time"

	"github.com/kinspect/kinspect/kinesisx"
)

// deliver sends b on the tail s and feeds the result of the Cmd that was
// waiting for it back, as the runtime would.
func (d *driver) deliver(s *fakeStream, b kinesisx.Batch) {
	d.t.Helper()
	done, ok := d.waiting[s]
	if !ok {
		d.t.Fatal("nothing waits for that tail's batch")
	}
	delete(d.waiting, s)
	s.ch <- b
	select {
	case msg := <-done:
		d.handle(msg)
	case <-time.After(time.Minute):
		d.t.Fatal("the waiting Cmd did not return the batch")
	}
}

// TestStreamScreenStartsLiveRates: the first screen answers. Opening a
// stream the read budget covers starts its live rates on their own: the
// header says so, a batch's rates fill the bars; L turns them off and on.
func TestStreamScreenStartsLiveRates(t *testing.T) {
	for _, size := range [][2]int{{120, 40}, {80, 24}} {
		d := newDriver(t, setup{Stream: "orders"}, size[0], size[1])
		if len(d.k.streams) != 1 {
			t.Fatalf("%dx%d: opening the stream should start its live rates (%d tails)", size[0], size[1], len(d.k.streams))
		}
		if s := d.screen(); !strings.Contains(s, "● live rates (L stops)") {
			t.Errorf("%dx%d: the header should say the live rates are on:\n%s", size[0], size[1], s)
		}
		d.advance(3 * time.Second) // a whole second of the tail (the shards screen's liveSecondWhole)
		d.deliver(d.k.streams[0], kinesisx.Batch{Shards: map[string]kinesisx.ShardProgress{
			"shardId-000000000000": {Rates: kinesisx.Rates{BytesPerSec1s: 512 << 10, RecordsPerSec1s: 100}}}})
		if s := d.screen(); !strings.Contains(s, "50%") {
			t.Errorf("%dx%d: the live rate should fill the bar:\n%s", size[0], size[1], s)
		}
		d.checkFits(size[0], size[1])
		d.keys("L")
		if s := d.screen(); !d.k.streams[0].isClosed() || strings.Contains(s, "● live rates") {
			t.Errorf("%dx%d: L should turn the live rates off:\n%s", size[0], size[1], s)
		}
		d.keys("L")
		if len(d.k.streams) != 2 || !strings.Contains(d.screen(), "● live rates (L stops)") {
			t.Errorf("%dx%d: L should turn them on again", size[0], size[1])
		}
		d.a.closeAll()
		if !d.k.allClosed() {
			t.Errorf("%dx%d: closing should close every tail", size[0], size[1])
		}
	}
}
