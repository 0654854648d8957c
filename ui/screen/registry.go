package screen

import (
	"context"
	"fmt"
	"slices"

	tea "charm.land/bubbletea/v2"

	"github.com/kinspect/kinspect/kinesisx"
)

// The names the root opens screens by when a screen asks for one by
// message (OpenStreamMsg, OpenTailMsg) or the session starts: every
// registry has them.
const (
	// Home is the streams list, the bottom of the stack.
	Home = "streams"
	// StreamScreen is the screen of one stream (its shards).
	StreamScreen = "shards"
	// TailScreen is the tail of a stream or of some of its shards.
	TailScreen = "tail"
)

// Args is what the root gives a screen it opens by name.
type Args struct {
	// Stream is the stream the screen is about: for an entry that takes
	// one, the command's first word (":tail orders"), else the stream on
	// screen; "" when there is none.
	Stream string
	// Words are the rest of the command line, split at white space (for
	// a tail: the shards). A screen that asked by message gives its own:
	// an OpenTailMsg's Shards.
	Words []string
	// From and Focus are an OpenTailMsg's (where the tail starts, the
	// record it selects); "" from the command line.
	From, Focus string
}

// Constructor builds a screen the root opens by name: ctx is the
// session's, id the screen's unique ID, c what every screen shares. An
// error (a missing backend, a bad argument) goes on the status line in
// one line and nothing opens.
type Constructor func(ctx context.Context, id int, c Common, a Args) (Model, error)

// Entry is one screen of the registry.
type Entry struct {
	New Constructor
	// Stream says the screen is about one stream: the command's first
	// word names it, else the stream on screen, and the root refuses to
	// open it without one. It opens above that stream's screen.
	Stream bool
	// Query says the words are the screen's own (":find key:K
	// since:-1h"), none of them a stream: the stream is the one on
	// screen.
	Query bool
	// Action, if set, is the change the screen makes (the latency lab
	// puts records): the read-only guard refuses to open it.
	Action kinesisx.Action
}

// OnStream adapts the constructor shape of a stream's screen,
// New(ctx, id, common, stream, words, deps), to an Entry: registering a
// screen is then one line, reg.Add("lag", screen.OnStream(lag.New, deps)).
func OnStream[D any, M Model](f func(context.Context, int, Common, string, []string, D) M, d D) Entry {
	return Entry{Stream: true, New: func(ctx context.Context, id int, c Common, a Args) (Model, error) {
		return f(ctx, id, c, a.Stream, a.Words, d), nil
	}}
}

// Unavailable is an entry for a screen this session cannot back (no
// CloudWatch, no call log): opening it says why.
func Unavailable(why string) Entry {
	return Entry{New: func(context.Context, int, Common, Args) (Model, error) {
		return nil, fmt.Errorf("not available in this session: %s", why)
	}}
}

// Registry is the screens the root opens by name: built by the program
// (cmd/tui.go), one per connection, so the root only routes.
type Registry struct {
	names   []string
	entries map[string]Entry
	alias   map[string]string
}

// NewRegistry returns an empty registry.
func NewRegistry() *Registry {
	return &Registry{entries: map[string]Entry{}, alias: map[string]string{}}
}

// Add registers a screen under name and, for the command line, aliases;
// a name added again replaces the entry.
func (r *Registry) Add(name string, e Entry, aliases ...string) {
	if _, ok := r.entries[name]; !ok {
		r.names = append(r.names, name)
	}
	r.entries[name] = e
	for _, a := range aliases {
		r.alias[a] = name
	}
}

// Lookup finds the entry of a name or alias, and its name.
func (r *Registry) Lookup(name string) (Entry, string, bool) {
	if n, ok := r.alias[name]; ok {
		name = n
	}
	e, ok := r.entries[name]
	return e, name, ok
}

// Names are the registered names in the order they were added (aliases
// left out).
func (r *Registry) Names() []string { return slices.Clone(r.names) }

// Aliases are the command-line aliases, sorted.
func (r *Registry) Aliases() []string {
	out := make([]string, 0, len(r.alias))
	for a := range r.alias {
		out = append(out, a)
	}
	slices.Sort(out)
	return out
}

// Starting is s with work to begin once it is on the stack and sized (a
// tail started where a request asked): Init runs start after the
// screen's own Init. The wrapper keeps the screen's stream (Streamer).
func Starting(s Model, start func() tea.Cmd) Model {
	return starting{Model: s, start: start}
}

type starting struct {
	Model
	start func() tea.Cmd
}

// Init is the screen's Init, then start.
func (s starting) Init() tea.Cmd {
	cmd := s.Model.Init()
	return tea.Batch(cmd, s.start())
}

// Stream is the screen's stream, if it says one.
func (s starting) Stream() string {
	if st, ok := s.Model.(Streamer); ok {
		return st.Stream()
	}
	return ""
}
