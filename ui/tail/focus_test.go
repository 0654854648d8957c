package tail

import (
	"strings"
	"testing"

	"github.com/kinspect/kinspect/kinesisx"
	"github.com/kinspect/kinspect/ui/screen"
)

// TestStartAtATrimmedRecord: the find screen's match was trimmed before
// enter (AT_SEQUENCE_NUMBER then starts at the oldest record there is):
// the tail does not follow on as if nothing happened: it pauses on the
// first record after the match and says the match is gone.
func TestStartAtATrimmedRecord(t *testing.T) {
	h := newHarness(t, Deps{}, 100, 12)
	focus := record(1, 3, "c").SequenceNumber
	h.open(h.m.StartAt("at:"+focus, focus))
	h.deliver(batchOf(record(1, 7, "g"), record(1, 8, "h"), record(1, 9, "i")))
	if len(h.tailer.opts) != 1 {
		t.Errorf("no restart without the record: %d tails", len(h.tailer.opts))
	}
	if h.m.follow || !h.m.paused {
		t.Errorf("the tail should pause, not follow (follow %v, paused %v)", h.m.follow, h.m.paused)
	}
	if r := h.m.Selected(); r == nil || r.SequenceNumber != record(1, 7, "").SequenceNumber {
		t.Errorf("the first record after the match should be selected, got %v", r)
	}
	var said string
	for _, msg := range h.out {
		if m, ok := msg.(screen.InfoMsg); ok {
			said += m.Text
		}
	}
	if !strings.Contains(said, "…000000000003 is no longer in the shard") {
		t.Errorf("the status line should say the record is gone, got %q (%v)", said, h.out)
	}
	// Said once; later records do not move the cursor or say it again.
	h.out = nil
	h.deliver(batchOf(record(1, 10, "j")))
	for _, msg := range h.out {
		if m, ok := msg.(screen.InfoMsg); ok {
			t.Errorf("said again: %q", m.Text)
		}
	}
	if r := h.m.Selected(); r == nil || r.SequenceNumber != record(1, 7, "").SequenceNumber {
		t.Errorf("the cursor moved to %v", r)
	}
}

// TestRatesOfATailBehind: a tail reading a shard 36 s behind has not read
// the newest seconds: their rates are unknown, not "in 0 B/s".
func TestRatesOfATailBehind(t *testing.T) {
	h := newHarness(t, Deps{}, 140, 12)
	h.start()
	b := batchOf(record(1, 1, "a"))
	p := b.Shards["shardId-000000000001"]
	p.MillisBehindLatest, p.Rates = 36_000, kinesisx.Rates{}
	b.Shards["shardId-000000000001"] = p
	h.deliver(b)
	if v := plain(h.m); strings.Contains(v, "in 0 B/s") || !strings.Contains(v, "in – (catching up)") {
		t.Errorf("a tail 36 s behind should not claim 0 B/s in:\n%s", v)
	}
	b = batchOf(record(1, 2, "b")) // 1.2 s behind: caught up
	h.deliver(b)
	if v := plain(h.m); !strings.Contains(v, "in 2.0 KiB/s") || strings.Contains(v, "catching up") {
		t.Errorf("a caught-up tail should show its rates:\n%s", v)
	}
}
