// Package ui is kinspect's terminal UI: a root model that owns a stack of
// screens, an overlay slot (help, the dialogs), the status line and the
// footer. The root only routes: it opens screens by name from the
// registry the program built (screen.Registry), keys go to the overlay or
// the top screen, navigation requests (screen.OpenStreamMsg,
// screen.OpenTailMsg, screen.BackMsg, a command line) change the stack,
// and every other message is broadcast to all screens, which drop what is
// not theirs by screen and request IDs.
package ui

import (
	"context"
	"errors"
	"io"
	"time"

	"github.com/kinspect/kinspect/kinesisx"
	"github.com/kinspect/kinspect/session"
	"github.com/kinspect/kinspect/ui/dialog"
	"github.com/kinspect/kinspect/ui/monitor"
	"github.com/kinspect/kinspect/ui/screen"
)

// Config carries the first connection, how to make others, and the
// session's settings.
type Config struct {
	// Connection is what the session starts on.
	Connection
	// Connect makes a connection to another profile or region (:profile,
	// :region); nil leaves the commands unavailable.
	Connect Connector
	// Profiles lists the profiles of the shared config files (:profile
	// with no argument, completion); it reads files, so the root calls it
	// in a Cmd. Nil: none listed.
	Profiles func() ([]string, error)

	// NoColor renders without colour (--no-color or NO_COLOR).
	NoColor bool
	// Stream, when set, opens the UI on that stream.
	Stream string
	// Refresh is the reload interval of the streams and stream screens:
	// zero keeps their defaults, negative turns reloading off.
	Refresh time.Duration
	// StatusFor is how long a message stays on the status line: zero is
	// 3 s (as k9s), negative keeps it until the next one.
	StatusFor time.Duration
	// Clock gives the screens the time and their timers; nil is the wall
	// clock (tests inject theirs).
	Clock screen.Clock
	// Notices is where Run writes, after the terminal is restored, what
	// the session leaves behind (shard-level metrics still on, or turned
	// off on exit because their timer had not ended). Nil: os.Stderr.
	Notices io.Writer
}

// Connector makes the connection of a profile and a region ("" for
// either: the one the SDK resolves, or the profile's): fresh clients, the
// read-only guard of that profile, the labels. On error the session keeps
// the connection it has.
type Connector func(ctx context.Context, profile, region string) (Connection, error)

// Connection is what one profile and region give the UI.
type Connection struct {
	Backends
	// Guard is the read-only decision of the connection's profile; every
	// change the root opens passes it, and the RO badge follows it.
	Guard kinesisx.Guard
	Labels
}

// Labels say where the session is connected, on the status line.
type Labels struct {
	Profile, Region, Endpoint string
	// Color, if set, is the profile's colour (an ANSI number "1"…"255" or
	// "#rrggbb"), so that a production profile stands out; the profile
	// label is drawn in it, unless colour is off.
	Color string
}

// Backends are a connection's screens and the clients the root uses
// itself.
type Backends struct {
	// Screens opens screens by name: the command line's, and
	// screen.Home, screen.StreamScreen and screen.TailScreen, which every
	// registry has.
	Screens *screen.Registry
	// Streams lists the stream names the command line completes
	// (*kinesisx.Client); nil: no completion of stream names.
	Streams StreamLister
	// Writer makes the write-path changes of the dialogs (put, split,
	// merge, scale): *kinesisx.Client. Nil: the actions say they are not
	// available.
	Writer dialog.Writer
	// Session is what outlives a screen of this connection: the traffic
	// the tails saw (the split dialog reads it), the live counts its
	// CloudWatch adapter reads, the auto-off timers. The screens the
	// registry builds share it; nil: the root keeps one of its own.
	Session *session.Session
	// Monitor turns shard-level metrics on and off (e and E on the stream
	// and metrics screens): *kinesisx.Client. Nil: not offered.
	Monitor monitor.Toggler
	// StaleHint, if set, returns one line about stale kinspect EFO
	// consumers of a stream (with how to prune them), or ""; the status
	// line shows it when the stream is opened.
	StaleHint func(ctx context.Context, stream string) string
}

// StreamLister lists the streams (*kinesisx.Client).
type StreamLister interface {
	ListStreams(ctx context.Context) ([]kinesisx.StreamSummary, error)
}

// check says what a connection lacks to run the UI.
func (c Connection) check() error {
	if c.Screens == nil {
		return errors.New("terminal UI: the connection has no screens")
	}
	for _, n := range []string{screen.Home, screen.StreamScreen, screen.TailScreen} {
		if _, _, ok := c.Screens.Lookup(n); !ok {
			return errors.New("terminal UI: the screens lack " + n)
		}
	}
	return nil
}
