package metricsview

import (
	"charm.land/bubbles/v2/key"

	"github.com/kinspect/kinspect/ui/keys"
)

// KeyMap are the bindings of the :metrics screen.
type KeyMap struct {
	Nav     keys.Nav
	Window  key.Binding
	Refresh key.Binding
	Live    key.Binding
	Sort    key.Binding
	// Enable and Disable toggle shard-level metrics (enhanced
	// monitoring): dangerous, since they change the stream and its bill.
	Enable  keys.Action
	Disable keys.Action
}

// NewKeyMap builds the keymap; readOnly hides the toggle.
func NewKeyMap(readOnly bool) KeyMap {
	return KeyMap{
		Nav:     keys.NewNav(),
		Window:  key.NewBinding(key.WithKeys("w"), key.WithHelp("w", "window 15m/1h/3h")),
		Refresh: key.NewBinding(key.WithKeys("r"), key.WithHelp("r", "refresh")),
		Live:    key.NewBinding(key.WithKeys("L"), key.WithHelp("L", "live fill")),
		Sort:    keys.NewSort(),
		Enable:  keys.NewAction("e", "shard metrics on", true, readOnly),
		Disable: keys.NewAction("E", "shard metrics off", true, readOnly),
	}
}

// ShortHelp implements help.KeyMap.
func (k KeyMap) ShortHelp() []key.Binding {
	return keys.Enabled(k.Window, k.Live, k.Sort, k.Enable.Binding, k.Disable.Binding)
}

// FullHelp implements help.KeyMap.
func (k KeyMap) FullHelp() [][]key.Binding {
	return [][]key.Binding{
		keys.Enabled(k.Window, k.Refresh, k.Live, k.Sort),
		k.Nav.Bindings(),
		keys.Enabled(k.Enable.Binding, k.Disable.Binding),
	}
}
