package screen

import (
	"context"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
)

type loaded struct{ Tag }

func TestBaseDropsStaleAndForeignResults(t *testing.T) {
	b := NewBase(context.Background(), 7, Common{}, 0)
	first := b.NewTag("load")
	second := b.NewTag("load")
	other := NewBase(context.Background(), 8, Common{}, 0)
	for _, tt := range []struct {
		name string
		msg  tea.Msg
		want bool
	}{
		{"the newest request", loaded{Tag: second}, true},
		{"an older request", loaded{Tag: first}, false},
		{"another screen's", loaded{Tag: other.NewTag("load")}, false},
		{"a kindless result", loaded{Tag: Tag{Screen: 7}}, true},
		{"a broadcast", tea.KeyPressMsg{}, true},
	} {
		if got := b.Mine(tt.msg); got != tt.want {
			t.Errorf("%s: Mine %v, want %v", tt.name, got, tt.want)
		}
	}
	b.Drop("load")
	if b.Mine(loaded{Tag: second}) {
		t.Error("Drop should make the running request stale")
	}
}

// fakeClock records the ticks instead of waiting.
type fakeClock struct{ ticks []func(time.Time) tea.Msg }

func (c *fakeClock) Now() time.Time { return time.Time{} }
func (c *fakeClock) Tick(_ time.Duration, fn func(time.Time) tea.Msg) tea.Cmd {
	c.ticks = append(c.ticks, fn)
	return func() tea.Msg { return nil }
}

func TestBaseRefreshGenerations(t *testing.T) {
	clk := &fakeClock{}
	b := NewBase(context.Background(), 1, Common{Clock: clk}, time.Minute)
	b.Start()
	b.Stop()
	b.Start()
	if len(clk.ticks) != 2 {
		t.Fatalf("%d ticks armed, want one per Start", len(clk.ticks))
	}
	if b.Mine(clk.ticks[0](time.Time{})) {
		t.Error("a stopped generation's tick should be dropped")
	}
	if !b.Mine(clk.ticks[1](time.Time{})) {
		t.Error("the running generation's tick should be kept")
	}
	off := NewBase(context.Background(), 2, Common{Clock: clk, Refresh: -1}, time.Minute)
	if off.Start() != nil {
		t.Error("a negative Common.Refresh turns the timer off")
	}
}

func TestBaseCloseCancelsContext(t *testing.T) {
	b := NewBase(context.Background(), 1, Common{}, 0)
	b.Close()
	if b.Ctx().Err() == nil {
		t.Error("Close should cancel the screen's context")
	}
}
