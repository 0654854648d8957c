// Package ui is kinspect's terminal UI: a root model that owns a stack of
// screens (ui/streams, ui/shards, ui/tail), an overlay slot (help, and the
// phase-2 dialogs), the status line and the footer. The root only routes:
// keys go to the overlay or the top screen, navigation requests
// (screen.OpenStreamMsg, screen.OpenTailMsg, screen.BackMsg) change the stack,
// and every other message is broadcast to all screens, which drop what is
// not theirs by screen and request IDs.
package ui

import (
	"context"
	"io"
	"time"

	"github.com/kinspect/kinspect/kinesisx"
	"github.com/kinspect/kinspect/session"
	"github.com/kinspect/kinspect/ui/bench"
	"github.com/kinspect/kinspect/ui/cmdlog"
	"github.com/kinspect/kinspect/ui/consumers"
	"github.com/kinspect/kinspect/ui/dialog"
	"github.com/kinspect/kinspect/ui/metricsview"
	"github.com/kinspect/kinspect/ui/monitor"
	"github.com/kinspect/kinspect/ui/screen"
	"github.com/kinspect/kinspect/ui/shards"
	"github.com/kinspect/kinspect/ui/streams"
	"github.com/kinspect/kinspect/ui/tail"
	"github.com/kinspect/kinspect/ui/theme"
)

// Config carries the UI's dependencies and labels.
type Config struct {
	// Streams lists and describes streams (*kinesisx.Client).
	Streams streams.Source
	// Shards describes a stream and lists its shards (*kinesisx.Client).
	Shards shards.Source
	// Tailer starts tails (an adapter over *kinesisx.Client's Tail).
	Tailer tail.Tailer
	// Metrics is the optional CloudWatch source of the stream screen.
	Metrics shards.Metrics
	// Throughput is the optional CloudWatch source of the streams list's
	// throughput column.
	Throughput streams.Metrics
	// Decoder renders payloads; nil uses the built-in one.
	Decoder tail.Decoder
	// DecoderFor, if set, chooses a stream's decoder (protobuf types per
	// stream); a nil result falls back to Decoder.
	DecoderFor func(stream string) tail.Decoder

	// Profile, Region and Endpoint are shown on the status line.
	Profile, Region, Endpoint string
	// ReadOnly hides dangerous keys; the guard refuses them anyway.
	ReadOnly bool
	// ReadOnlyWhy says why, for refusals (see kinesisx.Guard).
	ReadOnlyWhy string
	// NoColor renders without colour (--no-color or NO_COLOR).
	NoColor bool
	// Stream, when set, opens the UI on that stream.
	Stream string
	// ExportDir is where ctrl+s writes (default: the working directory).
	ExportDir string
	// Refresh is the reload interval of the streams and stream screens:
	// zero keeps their defaults, negative turns reloading off.
	Refresh time.Duration
	// StatusFor is how long a message stays on the status line: zero is
	// 3 s (as k9s), negative keeps it until the next one.
	StatusFor time.Duration
	// Clock gives the screens the time and their timers; nil is the wall
	// clock (tests inject theirs).
	Clock screen.Clock

	// Writer makes the write-path changes of the dialogs (put, split,
	// merge, scale): *kinesisx.Client. Nil: the actions say they are not
	// available.
	Writer dialog.Writer
	// Consumers backs the :consumers screen (*kinesisx.Client); nil leaves
	// the command unavailable.
	Consumers consumers.Source

	// CallLog backs the :log screen (the *calllog.Log the SDK clients
	// record into); nil leaves the command unavailable.
	CallLog cmdlog.Source
	// Bench runs the latency lab (:bench, b on the stream screen): an
	// adapter over latency.Run. Nil leaves it unavailable.
	Bench bench.Runner

	// Report backs the :metrics screen (*session.CloudWatch); nil leaves
	// the command unavailable.
	Report metricsview.Source
	// Session holds what outlives a screen (traffic, the live fill that
	// the CloudWatch adapter reads, the auto-off timers); nil: the UI
	// builds one, with no adapter reading its live fill.
	Session *session.Session
	// Monitor turns shard-level metrics on and off (e and E on the stream
	// and metrics screens): *kinesisx.Client. Nil: not offered.
	Monitor monitor.Toggler
	// Notices is where Run writes, after the terminal is restored, what
	// the session leaves behind (shard-level metrics still on, or turned
	// off on exit because their timer had not ended). Nil: os.Stderr.
	Notices io.Writer

	// StaleHint, if set, returns one line about stale kinspect EFO
	// consumers of a stream (with how to prune them), or ""; the status
	// line shows it when the stream is opened.
	StaleHint func(ctx context.Context, stream string) string

	// Commands adds screens to the command line by name (":metrics"); an
	// entry overrides a built-in one. The stream is the one on screen.
	Commands map[string]ScreenFunc
	// ArgCommands adds screens that take the words after their name
	// (":find key:K since:-1h"), checked before Commands.
	ArgCommands map[string]ArgScreenFunc
}

// ArgScreenFunc builds a screen for the command line from the words after
// its name.
type ArgScreenFunc func(ctx context.Context, id int, c screen.Common, stream string, args []string) screen.Model

// ScreenFunc builds a screen for the command line.
type ScreenFunc func(ctx context.Context, id int, stream string, st *theme.Styles) screen.Model

// guard is the read-only decision the TUI's actions pass through.
func (c Config) guard() kinesisx.Guard {
	return kinesisx.Guard{ReadOnly: c.ReadOnly, Why: c.ReadOnlyWhy}
}

// decoderFor is the decoder of a stream's tail view.
func (c Config) decoderFor(stream string) tail.Decoder {
	if c.DecoderFor != nil {
		if d := c.DecoderFor(stream); d != nil {
			return d
		}
	}
	return c.Decoder
}
