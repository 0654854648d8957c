package ui

import (
	"context"
	"slices"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"

	"github.com/kinspect/kinspect/ui/screen"
)

// mouseScreen records the mouse messages it gets.
type mouseScreen struct {
	stubScreen
	got []tea.Mouse
}

func (m *mouseScreen) Update(msg tea.Msg) tea.Cmd {
	if mm, ok := msg.(tea.MouseMsg); ok {
		m.got = append(m.got, mm.Mouse())
	}
	return nil
}

// TestMouseRouting: clicks and the wheel reach the top screen with Y in
// its own coordinates (row 0 is its first line); a click on a breadcrumb
// goes back to that screen; the footer keeps its clicks.
func TestMouseRouting(t *testing.T) {
	ms := &mouseScreen{stubScreen: stubScreen{title: "mouse"}}
	d := newDriver(t, setup{Stream: "orders", Extra: map[string]screen.Entry{
		"mouse": fixed(true, func(context.Context, int, screen.Common, screen.Args) screen.Model { return ms }),
	}}, 100, 20)
	typeCommand(d, "mouse")
	if trail(d) != "streams › orders › mouse" {
		t.Fatalf("setup: %q", trail(d))
	}
	d.send(tea.MouseClickMsg{X: 7, Y: 5, Button: tea.MouseLeft})
	d.send(tea.MouseWheelMsg{X: 7, Y: 6, Button: tea.MouseWheelDown})
	d.send(tea.MouseClickMsg{X: 7, Y: 19, Button: tea.MouseLeft}) // the footer
	if len(ms.got) != 2 || ms.got[0].Y != 4 || ms.got[0].X != 7 || ms.got[1].Y != 5 {
		t.Errorf("the screen got %+v, want Y 4 then 5 (one status line above it)", ms.got)
	}
	// "kinspect › streams › orders › mouse": orders spans columns 21-26.
	d.send(tea.MouseClickMsg{X: 22, Y: 0, Button: tea.MouseLeft})
	if trail(d) != "streams › orders" || !ms.closed {
		t.Errorf("a click on orders goes back to it: %q", trail(d))
	}
	d.send(tea.MouseClickMsg{X: 2, Y: 0, Button: tea.MouseLeft})
	if trail(d) != "streams" {
		t.Errorf("a click on kinspect goes home: %q", trail(d))
	}
}

// TestClickSelectsStreamRow: a click on a row of the streams list, in
// the terminal's coordinates, selects that row (the root translates Y
// into the list's own).
func TestClickSelectsStreamRow(t *testing.T) {
	d := newDriver(t, setup{}, 100, 20)
	lines := strings.Split(d.screen(), "\n")
	y := slices.IndexFunc(lines, func(l string) bool { return strings.HasPrefix(l, "zeta ") })
	if y < 0 || d.a.currentStream() != "orders" {
		t.Fatalf("setup: selected %q:\n%s", d.a.currentStream(), d.screen())
	}
	d.send(tea.MouseClickMsg{X: 2, Y: y, Button: tea.MouseLeft})
	if got := d.a.currentStream(); got != "zeta" {
		t.Errorf("a click on zeta's row (line %d) selected %q", y, got)
	}
}
