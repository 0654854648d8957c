// Package tail is the live records screen: a merged tail of a stream or of
// some of its shards, a detail pane, filtering, copy and export.
//
// Concurrency and ownership: the screen owns at most one tail at a time,
// through a Sub (sub.go), the subscription the live rates of the stream
// and metrics screens share (Live, live.go). A Cmd waits for the next
// batch and is issued again after each one, until the batch channel
// closes; each batch is handed to the session on the event loop. Leaving
// the screen (Close) cancels the tail's context and closes it; results of
// an older tail are dropped, and a Stream that arrives after its tail was
// abandoned is closed.
package tail

import (
	"context"
	"fmt"
	"regexp"
	"time"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"

	"github.com/kinspect/kinspect/kinesisx"
	"github.com/kinspect/kinspect/session"
	"github.com/kinspect/kinspect/ui/screen"
	"github.com/kinspect/kinspect/ui/scroll"
	"github.com/kinspect/kinspect/ui/theme"
)

// DefaultCapacity is how many records the screen keeps.
const DefaultCapacity = 10_000

// DefaultMaxBytes bounds the payload bytes kept, whatever the count.
const DefaultMaxBytes = 64 << 20

// Stream is a running tail (see screen.TailStream).
type Stream = screen.TailStream

// Tailer starts tails (see screen.Tailer).
type Tailer = screen.Tailer

// Deps are what the screen needs besides its stream and shards.
type Deps struct {
	Tailer    Tailer
	Decoder   Decoder          // nil: a small built-in decoder
	Capacity  int              // 0: DefaultCapacity
	MaxBytes  int              // 0: DefaultMaxBytes
	ExportDir string           // "": the working directory
	Now       func() time.Time // nil: the Common clock
	// Session, if set, is given every batch, on the event loop: the
	// traffic analysis (hot keys, split points), the CloudWatch live fill.
	Session *session.Session
}

// exportedMsg is the result of writing a JSONL export.
type exportedMsg struct {
	screen.Tag
	path string
	n    int
	err  error
}

// Model is the tail screen.
type Model struct {
	screen.Base
	deps  Deps
	dec   Decoder
	st    *theme.Styles
	keys  KeyMap
	opts  kinesisx.TailOptions
	title string
	now   func() time.Time

	sub     Sub
	running bool
	ended   error
	started bool

	buf        *ring
	matches    []uint64 // absolute indexes passing the filter, when filtering
	filterRe   *regexp.Regexp
	filterErr  error
	filtering  bool               // a typed filter is being searched for
	scanning   bool               // a search runs (filter.go)
	scanCancel context.CancelFunc // cancels it
	queued     *filterSpec        // the filter to search when it ends
	invert     bool
	field      string // "", "key", "shard" or "data"
	pending    []kinesisx.Record
	paused     bool
	follow     bool
	arrived    int // records the tail delivered (or said it dropped)
	// searched and unseen are what the current filter looked at, and the
	// records that were gone (out of the buffer, or never kept) before it
	// could: with unseen > 0 the buffer cannot answer, find can.
	searched, unseen int
	startedAt        time.Time
	progress         map[string]kinesisx.ShardProgress
	cost             kinesisx.TailCost // what the reads take from the shards' shared limits
	previews         map[uint64]string

	cur        scroll.Cursor
	detail     bool
	detailOff  int
	showShards bool
	filter     textinput.Model
	typing     bool
	picker     picker
	look       look    // how records are shown (look.go)
	ux         prompts // jump, copy chooser, focus (jump.go)

	width, height int
}

// New builds the screen for a stream (shards empty: the whole stream).
// It opens on the start picker; enter starts the tail.
func New(ctx context.Context, id int, c screen.Common, stream string, shards []string, deps Deps) *Model {
	if deps.Decoder == nil {
		deps.Decoder = payloadDecoder{}
	}
	if deps.Capacity <= 0 {
		deps.Capacity = DefaultCapacity
	}
	if deps.MaxBytes <= 0 {
		deps.MaxBytes = DefaultMaxBytes
	}
	if deps.Now == nil {
		deps.Now = c.Now
	}
	ti := screen.Input("/", "regex; key: shard: data: to narrow, ! to invert")
	title := "tail " + stream
	if len(shards) == 1 {
		title = "tail " + shards[0]
	} else if len(shards) > 1 {
		title = fmt.Sprintf("tail %s (%d shards)", stream, len(shards))
	}
	return &Model{
		Base: screen.NewBase(ctx, id, c, 0),
		deps: deps, dec: deps.Decoder, st: c.Styles, now: deps.Now,
		keys:     NewKeyMap(c.ReadOnly),
		opts:     kinesisx.TailOptions{Stream: stream, Shards: shards},
		title:    title,
		sub:      NewSub(id, "tail", deps.Session, true),
		buf:      newRing(deps.Capacity, deps.MaxBytes),
		follow:   true,
		progress: map[string]kinesisx.ShardProgress{},
		previews: map[uint64]string{},
		filter:   ti,
		picker:   newPicker(c.ReadOnly),
	}
}

// Init opens the start picker; nothing runs until the user starts.
func (m *Model) Init() tea.Cmd { return nil }

// Start implements screen.Model. A tail keeps running under help only
// because help is an overlay, not a screen; a screen pushed above the tail
// stops it (see Stop).
func (m *Model) Start() tea.Cmd { return nil }

// Stop ends the tail: only the top screen reads Kinesis. Reopen it with o.
func (m *Model) Stop() { m.closeTail() }

// Close ends the tail (and any filter search) for good.
func (m *Model) Close() {
	m.closeTail()
	m.cancelScan()
	m.Base.Close()
}

func (m *Model) closeTail() {
	m.sub.Close() // whatever is in flight is now stale
	m.running = false
}

// Title implements screen.Model.
func (m *Model) Title() string { return m.title }

// KeyMap implements screen.Model.
func (m *Model) KeyMap() help.KeyMap {
	if m.picker.open {
		return m.picker.keys
	}
	return m.keys
}

// Capturing reports whether the filter input or the picker has the focus.
// The first picker, before any tail ran, lets q, ? and esc through to the
// root (esc there means back).
func (m *Model) Capturing() bool {
	return m.typing || m.ux.open() || (m.picker.open && (m.started || m.picker.customFocused()))
}

// SetSize implements screen.Model.
func (m *Model) SetSize(w, h int) {
	m.width, m.height = w, h
	m.filter.SetWidth(max(w-4, 1))
	m.picker.setWidth(w)
	m.layout()
}

// Options returns what the screen tails (or will tail once started).
func (m *Model) Options() kinesisx.TailOptions { return m.opts }

// begin starts a tail with the picker's choices, replacing any running one.
func (m *Model) begin(opts kinesisx.TailOptions) tea.Cmd {
	m.closeTail()
	// A tail of several shards shows one timeline (kinesisx merges by
	// arrival time, within its default watermark).
	opts.Merge = len(opts.Shards) != 1
	m.opts = opts
	m.buf.reset()
	m.buf.first = 0
	m.matches = m.matches[:0]
	m.pending = nil
	m.progress = map[string]kinesisx.ShardProgress{}
	clear(m.previews)
	m.arrived, m.searched, m.unseen, m.ended = 0, 0, 0, nil
	m.startedAt = m.now()
	m.started, m.running, m.follow = true, true, true
	m.cur.SetLen(0)
	return m.sub.Start(m.Ctx(), m.deps.Tailer, opts)
}

// Stream returns the stream tailed.
func (m *Model) Stream() string { return m.opts.Stream }
