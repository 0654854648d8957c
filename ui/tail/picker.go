package tail

import (
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"

	"github.com/kinspect/kinspect/kinesisx"
	"github.com/kinspect/kinspect/ui/cell"
	"github.com/kinspect/kinspect/ui/screen"
)

// fromChoices are the start positions offered; the last is typed.
var fromChoices = [...]string{"latest", "trim-horizon", "-15m", "-1h", "custom"}

// pickerKeys are the bindings of the start picker.
type pickerKeys struct {
	Next, Prev, Left, Right, Start, Cancel key.Binding
}

// ShortHelp implements help.KeyMap.
func (k pickerKeys) ShortHelp() []key.Binding {
	return []key.Binding{k.Start, k.Next, k.Left, k.Right, k.Cancel}
}

// FullHelp implements help.KeyMap.
func (k pickerKeys) FullHelp() [][]key.Binding { return [][]key.Binding{k.ShortHelp()} }

// picker chooses the start position and the mode before (or while)
// tailing. EFO registers a consumer, a mutation, so read-only mode offers
// polling only.
type picker struct {
	open     bool
	row      int // 0: from, 1: mode
	from     int
	efo      bool
	readOnly bool
	custom   textinput.Model
	keys     pickerKeys
	err      error
}

func newPicker(readOnly bool) picker {
	ti := screen.Input("", "RFC 3339 time, -2h, at:SEQ or after:SEQ")
	return picker{
		open: true, readOnly: readOnly, custom: ti,
		keys: pickerKeys{
			Next:   key.NewBinding(key.WithKeys("tab", "down"), key.WithHelp("tab", "next field")),
			Prev:   key.NewBinding(key.WithKeys("shift+tab", "up"), key.WithHelp("shift+tab", "previous field")),
			Left:   key.NewBinding(key.WithKeys("left"), key.WithHelp("left", "previous choice")),
			Right:  key.NewBinding(key.WithKeys("right"), key.WithHelp("right", "next choice")),
			Start:  key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "start tail")),
			Cancel: key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "cancel")),
		},
	}
}

func (p *picker) setWidth(w int) { p.custom.SetWidth(max(w-24, 1)) }

func (p *picker) customFocused() bool { return p.row == 0 && fromChoices[p.from] == "custom" }

// position parses the chosen start position.
func (p *picker) position(now func() time.Time) (kinesisx.StartPosition, error) {
	s := fromChoices[p.from]
	if s == "custom" {
		s = p.custom.Value()
	}
	return kinesisx.ParseStartPosition(s, now())
}

// pickerKey drives the picker. Left/right choose on the current row
// (except in the custom field, where they edit the text).
func (m *Model) pickerKey(msg tea.KeyPressMsg) tea.Cmd {
	p := &m.picker
	k := p.keys
	switch {
	case key.Matches(msg, k.Start):
		pos, err := p.position(m.now)
		if err != nil {
			p.err = err
			return nil
		}
		p.err, p.open = nil, false
		p.custom.Blur()
		opts := m.opts
		opts.From, opts.Mode = pos, kinesisx.ModePolling
		if p.efo {
			opts.Mode = kinesisx.ModeEFO
		}
		return m.begin(opts)
	case key.Matches(msg, k.Cancel):
		p.open = false
		p.custom.Blur()
		if !m.started {
			return screen.Cmd(screen.BackMsg{})
		}
		return nil
	case key.Matches(msg, k.Next), key.Matches(msg, k.Prev):
		p.row = 1 - p.row
	case p.customFocused() && msg.String() != "left" && msg.String() != "right":
		var cmd tea.Cmd
		p.custom, cmd = p.custom.Update(msg)
		return cmd
	case key.Matches(msg, k.Left), key.Matches(msg, k.Right):
		step := 1
		if key.Matches(msg, k.Left) {
			step = -1
		}
		if p.row == 0 {
			if p.customFocused() && p.custom.Value() != "" && step < 0 {
				break
			}
			p.from = (p.from + step + len(fromChoices)) % len(fromChoices)
		} else if !p.readOnly {
			p.efo = !p.efo
		}
	}
	if p.customFocused() {
		return p.custom.Focus()
	}
	p.custom.Blur()
	return nil
}

// view renders the picker in width cells.
func (m *Model) pickerView() []string {
	p := &m.picker
	st := m.st
	choice := func(label string, on, focused bool) string {
		if on {
			s := "[" + label + "]"
			if focused {
				return st.Selected.Render(s)
			}
			return st.Accent.Render(s)
		}
		return st.Muted.Render(" " + label + " ")
	}
	target := "the whole stream"
	if len(m.opts.Shards) > 0 {
		target = strings.Join(m.opts.Shards, ", ")
	}
	lines := []string{st.Title.Render("Start a tail of " + m.opts.Stream + ": " + target), ""}
	from := "  from  "
	for i, c := range fromChoices {
		from += choice(c, i == p.from, p.row == 0) + " "
	}
	if p.customFocused() {
		from += p.custom.View()
	}
	lines = append(lines, from)
	mode := "  mode  " + choice("polling", !p.efo, p.row == 1) + " "
	if p.readOnly {
		mode += st.Muted.Render(" EFO (registers a consumer: not in read-only mode)")
	} else {
		mode += choice("EFO", p.efo, p.row == 1) + st.Muted.Render("  enhanced fan-out: registers a consumer, billed per shard-hour")
	}
	lines = append(lines, mode, "")
	if p.err != nil {
		lines = append(lines, st.Error.Render("  "+p.err.Error()))
	} else {
		lines = append(lines, st.Muted.Render("  "+p.hint()))
	}
	for i, l := range lines {
		lines[i] = cell.Fit(l, m.width)
	}
	return lines
}

// hint says what the chosen mode costs and gives.
func (p *picker) hint() string {
	if p.efo {
		return "EFO pushes each shard at its own 2 MiB/s; the consumer goes when the tail ends"
	}
	return "polling shares each shard's 5 reads/s and 2 MiB/s with other readers"
}
