package shards

import (
	"charm.land/bubbles/v2/key"

	"github.com/kinspect/kinspect/ui/keys"
)

// KeyMap are the bindings of the stream screen.
type KeyMap struct {
	Nav     keys.Nav
	Tail    key.Binding
	TailAll key.Binding
	Lineage key.Binding
	Lookup  key.Binding
	Refresh key.Binding
	Live    key.Binding
	HotKeys key.Binding
	// Sort opens the sort picker; Closed hides the closed shards.
	Sort   key.Binding
	Closed key.Binding
	Find   key.Binding // the find screen, which asks what to look for
	// Bench opens the latency lab, which puts probe records: dangerous.
	Bench keys.Action
	// MetricsOn and MetricsOff toggle shard-level metrics (enhanced
	// monitoring), which change the stream's bill: dangerous.
	MetricsOn  keys.Action
	MetricsOff keys.Action
	Write      keys.Write
}

// NewKeyMap builds the keymap; readOnly hides the dangerous bindings.
func NewKeyMap(readOnly bool) KeyMap {
	return KeyMap{
		Nav:        keys.NewNav(),
		Tail:       key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "tail shard")),
		TailAll:    key.NewBinding(key.WithKeys("t"), key.WithHelp("t", "tail stream")),
		Lineage:    key.NewBinding(key.WithKeys("l"), key.WithHelp("l", "lineage")),
		Lookup:     key.NewBinding(key.WithKeys("K"), key.WithHelp("K", "key lookup")),
		Refresh:    key.NewBinding(key.WithKeys("r"), key.WithHelp("r", "refresh")),
		Live:       key.NewBinding(key.WithKeys("L"), key.WithHelp("L", "live rates")),
		HotKeys:    key.NewBinding(key.WithKeys("h"), key.WithHelp("h", "hot keys")),
		Sort:       keys.NewSort(),
		Closed:     keys.NewClosed(),
		Find:       key.NewBinding(key.WithKeys("F"), key.WithHelp("F", "find records")),
		Bench:      keys.NewAction("b", "latency lab", true, readOnly),
		MetricsOn:  keys.NewAction("e", "shard metrics on", true, readOnly),
		MetricsOff: keys.NewAction("E", "shard metrics off", true, readOnly),
		Write:      keys.NewWrite(readOnly),
	}
}

// ShortHelp implements help.KeyMap.
func (k KeyMap) ShortHelp() []key.Binding {
	return keys.Enabled(k.Tail, k.TailAll, k.Live, k.HotKeys, k.Sort, k.Closed, k.Lineage, k.Lookup, k.Bench.Binding, k.Write.Split.Binding, k.Write.Put.Binding)
}

// FullHelp implements help.KeyMap.
func (k KeyMap) FullHelp() [][]key.Binding {
	return [][]key.Binding{
		keys.Enabled(k.Tail, k.TailAll, k.Live, k.HotKeys, k.Sort, k.Closed, k.Lineage, k.Lookup, k.Find, k.Refresh),
		k.Nav.Bindings(),
		append(k.Write.Bindings(), keys.Enabled(k.Bench.Binding, k.MetricsOn.Binding, k.MetricsOff.Binding)...),
	}
}
