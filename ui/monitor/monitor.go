// Package monitor is the enhanced-monitoring toggle of the TUI: a
// confirmation overlay (Confirm) that turns a stream's shard-level
// metrics on, optionally for N minutes only, or off; and Auto, which
// drives the session's auto-off timers (session.Auto: they outlive the
// screen that set them) from the event loop: the status line counts down
// and the metrics are turned off when a timer ends; Settle, after the
// terminal is restored, turns off what is still pending.
//
// Every call runs in a Cmd that captures the Toggler, a context and the
// values it needs; the timers are touched on the event loop only.
package monitor

import (
	"context"
	"fmt"
	"time"

	tea "charm.land/bubbletea/v2"
)

// DefaultAutoOff is the offered time before shard-level metrics are
// turned off again (PEERS.md §3 item 13: on for N minutes to diagnose a
// hot shard, then off).
const DefaultAutoOff = 30 * time.Minute

// all is what the toggle turns on and off: every shard-level metric.
func all() []string { return []string{"ALL"} }

// Toggler turns shard-level metrics on and off; *kinesisx.Client satisfies
// it, through its mutation guard.
type Toggler interface {
	EnableMonitoring(ctx context.Context, stream string, metrics []string) ([]string, error)
	DisableMonitoring(ctx context.Context, stream string, metrics []string) ([]string, error)
}

// ChangedMsg is the result of turning a stream's shard-level metrics on
// (Enable) or off. AutoOff, when positive, is how long after now they are
// to be turned off again; ByTimer marks the auto-off itself. ID is the
// confirmation that asked (0: the timer).
type ChangedMsg struct {
	ID      int
	Stream  string
	Enable  bool
	Metrics []string // the set now on, as the API says
	AutoOff time.Duration
	ByTimer bool
	Err     error
}

// Text is the one line the status bar shows for the change.
func (m ChangedMsg) Text() string {
	switch {
	case m.Err != nil:
		return m.Err.Error()
	case m.Enable && m.AutoOff > 0:
		return fmt.Sprintf("shard-level metrics of %s on; they go off again in %s", m.Stream, m.AutoOff)
	case m.Enable:
		return fmt.Sprintf("shard-level metrics of %s on (no auto-off: E turns them off; they cost money)", m.Stream)
	case m.ByTimer:
		return fmt.Sprintf("shard-level metrics of %s turned off: the auto-off timer ended", m.Stream)
	}
	return fmt.Sprintf("shard-level metrics of %s off", m.Stream)
}

// toggle makes the call and reports it as a ChangedMsg.
func toggle(ctx context.Context, t Toggler, id int, stream string, enable bool, autoOff time.Duration, byTimer bool) tea.Cmd {
	return func() tea.Msg {
		msg := ChangedMsg{ID: id, Stream: stream, Enable: enable, AutoOff: autoOff, ByTimer: byTimer}
		if enable {
			msg.Metrics, msg.Err = t.EnableMonitoring(ctx, stream, all())
		} else {
			msg.Metrics, msg.Err = t.DisableMonitoring(ctx, stream, all())
		}
		// The client's errors already name the action and the stream
		// (the guard's: "enable enhanced monitoring: read-only mode
		// refused it"), so they are passed on as they are.
		return msg
	}
}
