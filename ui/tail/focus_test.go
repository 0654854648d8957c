package tail

import (
	"strings"
	"testing"

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
