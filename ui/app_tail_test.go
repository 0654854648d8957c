package ui

import (
	"strings"
	"testing"

	"github.com/kinspect/kinspect/ui/screen"
)

// TestOpenTailAtAPosition: a screen (find) opens the tail at a record; it
// starts there without the start picker.
func TestOpenTailAtAPosition(t *testing.T) {
	d := newDriver(t, setup{}, 120, 40)
	seq := "49630000000000000000000000000000000000000000000000000042"
	d.send(screen.OpenTailMsg{Stream: "orders", Shards: []string{"shardId-000000000001"}, From: "at:" + seq, Focus: seq})
	s := d.screen()
	if strings.Contains(s, "Start a tail") || !strings.Contains(s, "tail shardId-000000000001") || !strings.Contains(s, "from at:4963") {
		t.Errorf("the tail should start at the sequence number:\n%s", s)
	}
	if len(d.k.streams) != 1 {
		t.Errorf("%d tails started", len(d.k.streams))
	}
	// Without From, the picker as before.
	d.send(screen.OpenTailMsg{Stream: "orders"})
	if s := d.screen(); !strings.Contains(s, "Start a tail of orders") {
		t.Errorf("no From should open the start picker:\n%s", s)
	}
}
