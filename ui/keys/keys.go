// Package keys holds the key bindings shared by every screen and the
// helpers that build per-screen keymaps. Keymaps are values built by
// constructors: there is no global keymap.
package keys

import (
	"fmt"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/kinspect/kinspect/ui/scroll"
)

// Global are the bindings the root model handles on every screen.
type Global struct {
	Quit    key.Binding
	Help    key.Binding
	Back    key.Binding
	Command key.Binding
}

// NewGlobal builds the global bindings.
func NewGlobal() Global {
	return Global{
		Quit:    key.NewBinding(key.WithKeys("q", "ctrl+c"), key.WithHelp("q", "quit")),
		Help:    key.NewBinding(key.WithKeys("?"), key.WithHelp("?", "help")),
		Back:    key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "back")),
		Command: key.NewBinding(key.WithKeys(":"), key.WithHelp(":", "command")),
	}
}

// ShortHelp implements help.KeyMap.
func (g Global) ShortHelp() []key.Binding {
	return []key.Binding{g.Back, g.Command, g.Help, g.Quit}
}

// FullHelp implements help.KeyMap.
func (g Global) FullHelp() [][]key.Binding { return [][]key.Binding{g.ShortHelp()} }

// Nav are the movement bindings of every list.
type Nav struct {
	Up       key.Binding
	Down     key.Binding
	PageUp   key.Binding
	PageDown key.Binding
	Top      key.Binding
	Bottom   key.Binding
}

// NewNav builds the movement bindings.
func NewNav() Nav {
	return Nav{
		Up:       key.NewBinding(key.WithKeys("k", "up"), key.WithHelp("k/up", "up")),
		Down:     key.NewBinding(key.WithKeys("j", "down"), key.WithHelp("j/down", "down")),
		PageUp:   key.NewBinding(key.WithKeys("pgup", "ctrl+u"), key.WithHelp("pgup", "page up")),
		PageDown: key.NewBinding(key.WithKeys("pgdown", "ctrl+d"), key.WithHelp("pgdown", "page down")),
		Top:      key.NewBinding(key.WithKeys("home", "g"), key.WithHelp("home/g", "top")),
		Bottom:   key.NewBinding(key.WithKeys("end", "G"), key.WithHelp("end/G", "bottom")),
	}
}

// Bindings lists the movement bindings for full help.
func (n Nav) Bindings() []key.Binding {
	return []key.Binding{n.Up, n.Down, n.PageUp, n.PageDown, n.Top, n.Bottom}
}

// Move applies msg to c when it is one of the movement keys (a row up or
// down, a page up or down, top, bottom) and reports whether it was.
func (n Nav) Move(msg fmt.Stringer, c *scroll.Cursor) bool {
	switch {
	case key.Matches(msg, n.Up):
		c.Move(-1)
	case key.Matches(msg, n.Down):
		c.Move(1)
	case key.Matches(msg, n.PageUp):
		c.Page(-1)
	case key.Matches(msg, n.PageDown):
		c.Page(1)
	case key.Matches(msg, n.Top):
		c.Top()
	case key.Matches(msg, n.Bottom):
		c.Bottom()
	default:
		return false
	}
	return true
}

// WheelRows is how many rows one turn of the mouse wheel moves a list.
const WheelRows = 3

// Wheel returns how many rows a mouse wheel event moves a list: -WheelRows
// up, WheelRows down, 0 for any other button.
func Wheel(msg tea.MouseWheelMsg) int {
	switch msg.Button {
	case tea.MouseWheelUp:
		return -WheelRows
	case tea.MouseWheelDown:
		return WheelRows
	}
	return 0
}

// Scroll moves c by a mouse wheel event (other buttons leave it be).
func Scroll(msg tea.MouseWheelMsg, c *scroll.Cursor) {
	if d := Wheel(msg); d != 0 {
		c.Move(d)
	}
}

// Action is a screen's binding with its safety flag. A Dangerous action
// changes the stream (put, split, merge, scale, consumers, monitoring).
type Action struct {
	key.Binding
	Dangerous bool
}

// NewAction builds a binding. A dangerous one has no help in read-only
// mode, which hides it from help and the footer (see Offered); it stays
// bound, so that pressing it asks the root anyway, whose guard
// (kinesisx.Guard) refuses it and says why.
func NewAction(keyName, desc string, dangerous, readOnly bool) Action {
	b := key.NewBinding(key.WithKeys(keyName), key.WithHelp(keyName, desc))
	if dangerous && readOnly {
		b = key.NewBinding(key.WithKeys(keyName))
	}
	return Action{Binding: b, Dangerous: dangerous}
}

// Write are the bindings of the write path. They are declared here so that
// every screen that offers them marks them the same way; the dialogs behind
// them come in phase 2.
type Write struct {
	Put   Action
	Split Action
	Merge Action
	Scale Action
}

// NewWrite builds the write bindings; all of them are dangerous.
func NewWrite(readOnly bool) Write {
	return Write{
		Put:   NewAction("p", "put records", true, readOnly),
		Split: NewAction("s", "split shard", true, readOnly),
		Merge: NewAction("m", "merge shards", true, readOnly),
		Scale: NewAction("S", "scale stream", true, readOnly),
	}
}

// Bindings returns the write bindings that are enabled.
func (w Write) Bindings() []key.Binding {
	return Enabled(w.Put.Binding, w.Split.Binding, w.Merge.Binding, w.Scale.Binding)
}

// Offered reports whether help lists b: enabled, and not a dangerous key
// hidden in read-only mode (NewAction).
func Offered(b key.Binding) bool { return b.Enabled() && b.Help().Key != "" }

// Enabled keeps the bindings help lists (Offered), so that help never
// lists a key that does nothing or that read-only mode refuses.
func Enabled(bs ...key.Binding) []key.Binding {
	out := make([]key.Binding, 0, len(bs))
	for _, b := range bs {
		if Offered(b) {
			out = append(out, b)
		}
	}
	return out
}

// NewSort is the key that opens a table's sort picker ("o", order by):
// shift+letter is taken on the stream screen (K, L, E, S, G).
func NewSort() key.Binding {
	return key.NewBinding(key.WithKeys("o"), key.WithHelp("o", "sort"))
}

// NewClosed is the key that hides or shows the closed shards.
func NewClosed() key.Binding {
	return key.NewBinding(key.WithKeys("c"), key.WithHelp("c", "hide closed"))
}
