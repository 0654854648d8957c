package keys

import (
	"testing"

	tea "charm.land/bubbletea/v2"

	"github.com/kinspect/kinspect/ui/internal/uitest"
	"github.com/kinspect/kinspect/ui/scroll"
)

func TestNavMove(t *testing.T) {
	tests := []struct {
		key     string
		from    int
		want    int
		handled bool
	}{
		{"j", 5, 6, true},
		{"down", 5, 6, true},
		{"k", 5, 4, true},
		{"up", 0, 0, true},
		{"pgdown", 5, 9, true},
		{"ctrl+u", 5, 1, true},
		{"g", 7, 0, true},
		{"home", 7, 0, true},
		{"G", 2, 19, true},
		{"end", 2, 19, true},
		{"x", 5, 5, false},
		{"enter", 5, 5, false},
	}
	nav := NewNav()
	for _, tt := range tests {
		t.Run(tt.key, func(t *testing.T) {
			c := scroll.Cursor{}
			c.SetLen(20)
			c.SetHeight(4)
			c.Set(tt.from)
			if got := nav.Move(uitest.Key(tt.key), &c); got != tt.handled {
				t.Errorf("Move(%q) handled = %v, want %v", tt.key, got, tt.handled)
			}
			if c.Pos != tt.want {
				t.Errorf("Move(%q) from %d: pos %d, want %d", tt.key, tt.from, c.Pos, tt.want)
			}
		})
	}
}

func TestWheel(t *testing.T) {
	tests := []struct {
		button tea.MouseButton
		want   int
	}{
		{tea.MouseWheelUp, -WheelRows},
		{tea.MouseWheelDown, WheelRows},
		{tea.MouseLeft, 0},
		{tea.MouseWheelLeft, 0},
	}
	for _, tt := range tests {
		if got := Wheel(tea.MouseWheelMsg{Button: tt.button}); got != tt.want {
			t.Errorf("Wheel(%v) = %d, want %d", tt.button, got, tt.want)
		}
	}
}

func TestScroll(t *testing.T) {
	tests := []struct {
		button tea.MouseButton
		from   int
		want   int
	}{
		{tea.MouseWheelDown, 0, 3},
		{tea.MouseWheelDown, 18, 19},
		{tea.MouseWheelUp, 5, 2},
		{tea.MouseWheelUp, 1, 0},
		{tea.MouseRight, 5, 5},
	}
	for _, tt := range tests {
		c := scroll.Cursor{}
		c.SetLen(20)
		c.SetHeight(4)
		c.Set(tt.from)
		Scroll(tea.MouseWheelMsg{Button: tt.button}, &c)
		if c.Pos != tt.want {
			t.Errorf("Scroll(%v) from %d: pos %d, want %d", tt.button, tt.from, c.Pos, tt.want)
		}
	}
}
