package monitor

import (
	"context"
	"fmt"
	"strings"
	"time"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"github.com/kinspect/kinspect/kinesisx"
	"github.com/kinspect/kinspect/session"
	"github.com/kinspect/kinspect/ui/cell"
	"github.com/kinspect/kinspect/ui/screen"
	"github.com/kinspect/kinspect/ui/theme"
)

// step is how much +/- change the auto-off time.
const step = 5 * time.Minute

// maxAutoOff bounds the auto-off time the dialog offers.
const maxAutoOff = 24 * time.Hour

// ConfirmKeys are the bindings of the confirmation.
type ConfirmKeys struct {
	Yes, No, More, Less, Never key.Binding
}

// ShortHelp implements help.KeyMap.
func (k ConfirmKeys) ShortHelp() []key.Binding {
	return []key.Binding{k.Yes, k.No, k.More, k.Less, k.Never}
}

// FullHelp implements help.KeyMap.
func (k ConfirmKeys) FullHelp() [][]key.Binding { return [][]key.Binding{k.ShortHelp()} }

func newConfirmKeys(enable bool) ConfirmKeys {
	verb := "turn off"
	if enable {
		verb = "turn on"
	}
	k := ConfirmKeys{
		Yes:   key.NewBinding(key.WithKeys("y"), key.WithHelp("y", verb)),
		No:    key.NewBinding(key.WithKeys("n", "esc"), key.WithHelp("n/esc", "cancel")),
		More:  key.NewBinding(key.WithKeys("+", "=", "right"), key.WithHelp("+", "5 min longer")),
		Less:  key.NewBinding(key.WithKeys("-", "left"), key.WithHelp("-", "5 min shorter")),
		Never: key.NewBinding(key.WithKeys("0"), key.WithHelp("0", "no auto-off")),
	}
	for _, b := range []*key.Binding{&k.More, &k.Less, &k.Never} {
		b.SetEnabled(enable)
	}
	return k
}

// Confirm is the confirmation overlay of the toggle: what it does, what
// it costs, the equivalent aws command, and (turning on) the auto-off
// time.
type Confirm struct {
	id      int
	ctx     context.Context
	t       Toggler
	st      *theme.Styles
	keys    ConfirmKeys
	stream  string
	enable  bool
	autoOff time.Duration
	left    time.Duration // of a running timer (turning off), 0: none
	working bool
	err     error
	width   int
	height  int
}

// NewConfirm builds the confirmation to turn the stream's shard-level
// metrics on (enable) or off. left is the time a running auto-off timer
// has left, shown when turning off (0: none).
func NewConfirm(ctx context.Context, id int, t Toggler, st *theme.Styles, stream string, enable bool, left time.Duration) *Confirm {
	return &Confirm{id: id, ctx: ctx, t: t, st: st, keys: newConfirmKeys(enable), stream: stream, enable: enable, autoOff: DefaultAutoOff, left: left}
}

// AutoOff is the auto-off time chosen (0: leave on).
func (c *Confirm) AutoOff() time.Duration { return c.autoOff }

// Init implements screen.Model.
func (c *Confirm) Init() tea.Cmd { return nil }

// Start implements screen.Model.
func (c *Confirm) Start() tea.Cmd { return nil }

// Stop implements screen.Model.
func (c *Confirm) Stop() {}

// Close implements screen.Model.
func (c *Confirm) Close() {}

// Capturing implements screen.Model: the overlay takes every key anyway.
func (c *Confirm) Capturing() bool { return false }

// Title implements screen.Model.
func (c *Confirm) Title() string { return "shard metrics" }

// KeyMap implements screen.Model.
func (c *Confirm) KeyMap() help.KeyMap { return c.keys }

// SetSize implements screen.Model.
func (c *Confirm) SetSize(w, h int) { c.width, c.height = w, h }

// Update implements screen.Model.
func (c *Confirm) Update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case ChangedMsg:
		if msg.ID != c.id {
			return nil
		}
		c.working = false
		if msg.Err != nil {
			c.err = msg.Err
			return nil
		}
		return screen.Cmd(screen.BackMsg{})
	case tea.KeyPressMsg:
		if c.working {
			return nil
		}
		k := c.keys
		switch {
		case key.Matches(msg, k.Yes):
			c.working, c.err = true, nil
			autoOff := time.Duration(0)
			if c.enable {
				autoOff = c.autoOff
			}
			return toggle(c.ctx, c.t, c.id, c.stream, c.enable, autoOff, false)
		case key.Matches(msg, k.No):
			return screen.Cmd(screen.BackMsg{})
		case key.Matches(msg, k.More):
			c.autoOff = min(c.autoOff+step, maxAutoOff)
		case key.Matches(msg, k.Less):
			c.autoOff = max(c.autoOff-step, 0)
		case key.Matches(msg, k.Never):
			c.autoOff = 0
		}
	}
	return nil
}

// line is one paragraph of the dialog: a style and plain text, wrapped
// at spaces only so that the aws command and the URL stay whole.
type line struct {
	style lipgloss.Style
	text  string
}

// View implements screen.Model.
func (c *Confirm) View() string {
	st := c.st
	plain := lipgloss.NewStyle()
	var ls []line
	if c.enable {
		ls = append(ls,
			line{st.Title, "Turn on shard-level metrics · " + c.stream}, line{},
			line{plain, "CloudWatch then publishes IncomingBytes, IncomingRecords, OutgoingBytes, OutgoingRecords, IteratorAgeMilliseconds and Read/WriteProvisionedThroughputExceeded for every shard."},
			line{st.Warn, "It costs money: " + kinesisx.MonitoringCostNote}, line{})
		if c.autoOff > 0 {
			ls = append(ls, line{st.Accent, fmt.Sprintf("Turn them off again after %d minutes  (+/- 5 min, 0 none)", int(c.autoOff.Minutes()))})
		} else {
			ls = append(ls, line{st.Warn, "Leave them on (no auto-off): E turns them off later  (+ sets a timer)"})
		}
		ls = append(ls, line{st.Muted, "The status line counts down; if you quit first, kinspect turns them off on the way out."})
	} else {
		ls = append(ls, line{st.Title, "Turn off shard-level metrics · " + c.stream}, line{},
			line{plain, "Per-shard figures stop; the stream totals stay (they are free)."})
		if c.left > 0 {
			ls = append(ls, line{st.Muted, "(the auto-off timer had " + session.Countdown(c.left) + " left)"})
		}
	}
	ls = append(ls, line{}, line{st.Muted, "equivalent:"}, line{plain, kinesisx.MonitoringCommand(c.stream, c.enable, all())}, line{})
	switch {
	case c.working:
		ls = append(ls, line{st.Muted, "working…"})
	case c.err != nil:
		ls = append(ls, line{st.Error, c.err.Error()}, line{st.Muted, "y tries again, esc cancels"})
	default:
		ls = append(ls, line{st.HelpKey, "y " + c.keys.Yes.Help().Desc + "   n/esc cancel"})
	}
	w := max(c.width, 1)
	var out []string
	for _, l := range ls {
		for _, part := range wrap(l.text, w) {
			out = append(out, cell.Fit(l.style.Render(part), w))
		}
	}
	for len(out) < c.height {
		out = append(out, "")
	}
	if c.height > 0 && len(out) > c.height {
		out = out[:c.height]
	}
	return strings.Join(out, "\n")
}

// wrap breaks plain text into lines of at most width cells at spaces; a
// word longer than width keeps its own line (and is cut by Fit).
func wrap(s string, width int) []string {
	words := strings.Fields(s)
	if len(words) == 0 {
		return []string{""}
	}
	var out []string
	cur := words[0]
	for _, w := range words[1:] {
		if lipgloss.Width(cur)+1+lipgloss.Width(w) > width {
			out = append(out, cur)
			cur = w
			continue
		}
		cur += " " + w
	}
	return append(out, cur)
}
