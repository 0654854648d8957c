// Package screen is the contract between the root model and the screens: the
// Model interface every screen implements, and the few messages a screen
// sends to ask the root for something (open a screen, go back, show an
// error). Screens never import each other; they ask the root by message.
package screen

import (
	"context"
	"time"

	"charm.land/bubbles/v2/help"
	tea "charm.land/bubbletea/v2"

	"github.com/kinspect/kinspect/kinesisx"
)

// Model is one screen on the root's stack. Methods are called on the event
// loop only. Update mutates the screen in place and returns a Cmd.
//
// Lifecycle: Init once when pushed; Start when it becomes the top of the
// stack (after Init, and again when the screen above it is popped); Stop when
// another screen is pushed above it (stop pollers and timers); Close when it
// is popped or the program ends (release tails; it will not be used again).
//
// Mouse: the top screen (or the overlay) gets tea.MouseWheelMsg and
// tea.MouseClickMsg with Y in its own coordinates: row 0 is the first line
// of its View, as SetSize gives it; the root keeps clicks on the status
// line (the breadcrumbs) and the footer. X is the terminal's column.
type Model interface {
	Init() tea.Cmd
	Update(msg tea.Msg) tea.Cmd
	View() string
	SetSize(width, height int)
	Title() string
	KeyMap() help.KeyMap
	Start() tea.Cmd
	Stop()
	Close()
	// Capturing reports whether a text input has the focus, so the root
	// passes every key (q, :, ?, esc) to the screen.
	Capturing() bool
}

// Streamer is a screen about one stream: the root opens the command-line
// screens (":consumers") on the stream of the topmost screen that says
// one. The streams list says the selected one; "" is none.
type Streamer interface {
	Stream() string
}

// TailStream is a running tail: *kinesisx.Tail has this shape. Batches is
// closed when the tail ends; Err is then its error.
type TailStream interface {
	Batches() <-chan kinesisx.Batch
	Err() error
	Close()
}

// Tailer starts tails. *kinesisx.Client returns the concrete *kinesisx.Tail,
// so cmd adapts it with a one-line wrapper.
type Tailer interface {
	Tail(ctx context.Context, opts kinesisx.TailOptions) (TailStream, error)
}

// OpenStreamMsg asks the root to open the stream (shards) screen.
type OpenStreamMsg struct{ Stream string }

// OpenTailMsg asks the root to open a tail of a stream; Shards empty means
// the whole stream.
type OpenTailMsg struct {
	Stream string
	Shards []string
	// From is where the tail starts, in the CLI's --from syntax
	// ("latest", "trim-horizon", RFC 3339, "-15m", "at:SEQ", "after:SEQ");
	// "" is the tail screen's default.
	From string
	// Focus, if set, is the sequence number of the record the tail
	// selects when it arrives (a record found by the find screen).
	Focus string
}

// RunCommandMsg asks the root to run a command-line command (":bench")
// on the stream on screen, as if typed after ':'.
type RunCommandMsg struct{ Command string }

// BackMsg asks the root to pop the top screen.
type BackMsg struct{}

// ErrorMsg puts an error on the status line.
type ErrorMsg struct{ Err error }

// InfoMsg puts a note on the status line.
type InfoMsg struct{ Text string }

// ActionRequestedMsg asks the root for a write-path dialog (phase 2: put,
// split, merge, scale). ShardID is the selected shard, if any.
type ActionRequestedMsg struct {
	Action  kinesisx.Action
	Stream  string
	ShardID string
	// InBytesPerSec is the selected shard's incoming rate as the screen
	// last saw it (0: unknown), so a split can preview each child's load.
	InBytesPerSec float64
	// Loads are the shards' incoming traffic by shard ID, for those the
	// screen has figures for, so a merge can preview the merged load.
	Loads map[string]ShardLoad
}

// StreamChangedMsg says a dialog changed a stream's shards (a split, a
// merge, a scale that completed): screens showing it reload.
type StreamChangedMsg struct{ Stream string }

// ShardRatesMsg carries the live per-shard progress a running tail
// observed, so that a stream screen below the tail can draw its bars.
type ShardRatesMsg struct {
	Stream string
	Shards map[string]kinesisx.ShardProgress
	At     time.Time // when the batch carrying them arrived
}

// Cmd wraps a message in a Cmd.
func Cmd(msg tea.Msg) tea.Cmd { return func() tea.Msg { return msg } }

// Error returns a Cmd that reports err on the status line (nil for nil).
func Error(err error) tea.Cmd {
	if err == nil {
		return nil
	}
	return Cmd(ErrorMsg{Err: err})
}

// MonitoringRequestedMsg asks the root to turn shard-level metrics
// (enhanced monitoring) of a stream on (Enable) or off: the root checks
// the guard, then asks for confirmation.
type MonitoringRequestedMsg struct {
	Stream string
	Enable bool
}
