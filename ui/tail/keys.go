package tail

import (
	"charm.land/bubbles/v2/key"

	"github.com/kinspect/kinspect/ui/keys"
)

// KeyMap are the bindings of the running tail.
type KeyMap struct {
	Nav        keys.Nav
	Pause      key.Binding
	Follow     key.Binding
	Detail     key.Binding
	DetailDown key.Binding
	DetailUp   key.Binding
	Filter     key.Binding
	Copy       key.Binding
	Export     key.Binding
	ExportCSV  key.Binding
	ShardStats key.Binding
	Options    key.Binding
	Find       key.Binding
	Put        keys.Action
	Jump       key.Binding
	CopyAs     key.Binding
	Wrap       key.Binding
	Left       key.Binding
	Right      key.Binding
	Columns    key.Binding
	Zone       key.Binding
	Raw        key.Binding
}

// NewKeyMap builds the keymap of the running tail; readOnly hides put.
func NewKeyMap(readOnly bool) KeyMap {
	nav := keys.NewNav()
	nav.Top = key.NewBinding(key.WithKeys("home"), key.WithHelp("home", "top")) // g jumps
	return KeyMap{
		Nav:        nav,
		Pause:      key.NewBinding(key.WithKeys("space"), key.WithHelp("space", "pause/resume")),
		Follow:     key.NewBinding(key.WithKeys("f"), key.WithHelp("f/end", "follow")),
		Detail:     key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "detail")),
		DetailDown: key.NewBinding(key.WithKeys("J", "shift+down"), key.WithHelp("J", "detail down")),
		DetailUp:   key.NewBinding(key.WithKeys("K", "shift+up"), key.WithHelp("K", "detail up")),
		Filter:     key.NewBinding(key.WithKeys("/"), key.WithHelp("/", "filter")),
		Copy:       key.NewBinding(key.WithKeys("y"), key.WithHelp("y", "copy")),
		Export:     key.NewBinding(key.WithKeys("ctrl+s"), key.WithHelp("ctrl+s", "export jsonl")),
		ExportCSV:  key.NewBinding(key.WithKeys("ctrl+e"), key.WithHelp("ctrl+e", "export csv")),
		ShardStats: key.NewBinding(key.WithKeys("i"), key.WithHelp("i", "shard stats")),
		Options:    key.NewBinding(key.WithKeys("o"), key.WithHelp("o", "start options")),
		Find:       key.NewBinding(key.WithKeys("F"), key.WithHelp("F", "find the filter's pattern over the tail's window")),
		Put:        keys.NewWrite(readOnly).Put,
		Jump:       key.NewBinding(key.WithKeys("g"), key.WithHelp("g", "jump to time/seq")),
		CopyAs:     key.NewBinding(key.WithKeys("Y"), key.WithHelp("Y", "copy JSON/key/seq…")),
		Wrap:       key.NewBinding(key.WithKeys("w"), key.WithHelp("w", "wrap payloads")),
		Left:       key.NewBinding(key.WithKeys("left", "h"), key.WithHelp("h/left", "scroll left")),
		Right:      key.NewBinding(key.WithKeys("right", "l"), key.WithHelp("l/right", "scroll right")),
		Columns:    key.NewBinding(key.WithKeys("c"), key.WithHelp("c", "columns")),
		Zone:       key.NewBinding(key.WithKeys("T"), key.WithHelp("T", "UTC/local time")),
		Raw:        key.NewBinding(key.WithKeys("x"), key.WithHelp("x", "raw/hex detail")),
	}
}

// ShortHelp implements help.KeyMap.
func (k KeyMap) ShortHelp() []key.Binding {
	return []key.Binding{k.Pause, k.Follow, k.Detail, k.Filter, k.Copy, k.Export, k.Options}
}

// FullHelp implements help.KeyMap.
func (k KeyMap) FullHelp() [][]key.Binding {
	return [][]key.Binding{
		{k.Pause, k.Follow, k.Jump, k.Detail, k.DetailDown, k.DetailUp, k.Raw},
		{k.Wrap, k.Left, k.Right, k.Columns, k.Zone},
		keys.Enabled(k.Filter, k.Find, k.Copy, k.CopyAs, k.Export, k.ExportCSV, k.ShardStats, k.Options, k.Put.Binding),
		k.Nav.Bindings(),
	}
}
