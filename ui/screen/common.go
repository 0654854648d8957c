package screen

import (
	"time"

	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"

	"github.com/kinspect/kinspect/kinesisx"
	"github.com/kinspect/kinspect/ui/keys"
	"github.com/kinspect/kinspect/ui/theme"
)

// Common is what every screen shares, built once by the root and passed to
// every screen's constructor (soft-serve's Common): the styles, the global
// keys, the read-only decision, the clock and the refresh interval.
type Common struct {
	// Styles is shared: the root restyles it in place when the terminal
	// reports its background.
	Styles *theme.Styles
	// Global are the root's keys (quit, help, command, back).
	Global keys.Global
	// ReadOnly hides the dangerous keys from help; pressed anyway, they
	// ask the root, whose guard refuses them and says why.
	ReadOnly bool
	// ReadOnlyWhy says why the session is read-only ("" is --read-only):
	// see kinesisx.Guard.
	ReadOnlyWhy string
	// Clock gives the time and the timers; nil is the wall clock.
	Clock Clock
	// Refresh overrides the screens' reload intervals: zero keeps their
	// defaults, negative turns reloading off.
	Refresh time.Duration
}

// Allow is the session's read-only guard: nil when action may run, else
// the error that says why not. A screen that changes something itself
// (rather than asking the root) asks it before it asks for confirmation.
func (c Common) Allow(action kinesisx.Action) error {
	return kinesisx.Guard{ReadOnly: c.ReadOnly, Why: c.ReadOnlyWhy}.Allow(action)
}

// Clock is where screens get the time and their timers, so that tests can
// tell a Cmd that waits for a timer from one that works.
type Clock interface {
	Now() time.Time
	// Tick is tea.Tick: a Cmd that waits d, then returns fn(now).
	Tick(d time.Duration, fn func(time.Time) tea.Msg) tea.Cmd
}

// WallClock is the real Clock.
type WallClock struct{}

// Now is time.Now.
func (WallClock) Now() time.Time { return time.Now() }

// Tick is tea.Tick.
func (WallClock) Tick(d time.Duration, fn func(time.Time) tea.Msg) tea.Cmd { return tea.Tick(d, fn) }

// Now is the Clock's time.
func (c Common) Now() time.Time {
	if c.Clock == nil {
		return time.Now()
	}
	return c.Clock.Now()
}

// Tick is the Clock's tea.Tick.
func (c Common) Tick(d time.Duration, fn func(time.Time) tea.Msg) tea.Cmd {
	if c.Clock == nil {
		return tea.Tick(d, fn)
	}
	return c.Clock.Tick(d, fn)
}

// RefreshOr is the reload interval of a screen whose default is def:
// Refresh when set, else def; zero or less means off.
func (c Common) RefreshOr(def time.Duration) time.Duration {
	if c.Refresh != 0 {
		return c.Refresh
	}
	return def
}

// Input is a one-line text input with a prompt and a placeholder: the
// filters, the key lookup, the command line. Its cursor does not blink,
// so focusing it starts no timer.
func Input(prompt, placeholder string) textinput.Model {
	ti := textinput.New()
	ti.Prompt = prompt
	ti.Placeholder = placeholder
	s := ti.Styles()
	s.Cursor.Blink = false
	ti.SetStyles(s)
	return ti
}
