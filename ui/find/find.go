// Package find is the find screen (`:find key:K data:RE since:-1h`, or F
// from the tail): the CLI's `kinspect find` as a screen. It reads a time
// window of the stream paced like a tail, shows each shard's progress
// (records scanned, arrival time reached, done), lists the matches as they
// come, stops on s (leaving the screen cancels the read too), and enter on
// a match opens the tail at that record with the records around it.
package find

import (
	"context"
	"errors"
	"fmt"
	"time"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"

	"github.com/kinspect/kinspect/kinesisx"
	kfind "github.com/kinspect/kinspect/kinesisx/find"
	"github.com/kinspect/kinspect/ui/keys"
	"github.com/kinspect/kinspect/ui/screen"
	"github.com/kinspect/kinspect/ui/scroll"
	"github.com/kinspect/kinspect/ui/theme"
)

// Request is one search: the stream, the shards (none: the whole stream,
// or the shard of the sequence number), the query and where to start.
type Request struct {
	Stream string
	Shards []string
	Query  kfind.Query
	From   kinesisx.StartPosition
}

// Finder starts a search and reports on the channel until it ends (a
// final report) or ctx ends (the channel closes). The cmd adapter runs
// kfind.Start and kfind.Run over a *kinesisx.Client, paced as the CLI is.
type Finder interface {
	Find(ctx context.Context, req Request) (<-chan kfind.Report, error)
}

// Deps are the screen's dependencies.
type Deps struct {
	Finder Finder
}

// KindSearch tags the results of the running search.
const KindSearch = "search"

// startedMsg says the search started (or could not).
type startedMsg struct {
	screen.Tag
	reports <-chan kfind.Report
	err     error
}

// reportMsg is one report of the search; ok is false when the channel
// closed.
type reportMsg struct {
	screen.Tag
	report  kfind.Report
	ok      bool
	reports <-chan kfind.Report
}

// state is where the search is.
type state int

const (
	starting state = iota
	scanning
	done
	stopped
	failed
)

// KeyMap are the bindings of the screen.
type KeyMap struct {
	Nav  keys.Nav
	Open key.Binding
	Stop key.Binding
	Edit key.Binding
}

// ShortHelp implements help.KeyMap.
func (k KeyMap) ShortHelp() []key.Binding { return keys.Enabled(k.Open, k.Stop, k.Edit) }

// FullHelp implements help.KeyMap.
func (k KeyMap) FullHelp() [][]key.Binding {
	return [][]key.Binding{keys.Enabled(k.Open, k.Stop, k.Edit), k.Nav.Bindings()}
}

// Model is the find screen.
type Model struct {
	screen.Base
	st       *theme.Styles
	keys     KeyMap
	deps     Deps
	stream   string
	args     Args
	req      Request
	cancel   context.CancelFunc // stops the running search
	input    textinput.Model    // the search's words, on e (or when :find came without any)
	typing   bool
	inputErr error // what is wrong with the words typed

	state   state
	err     error // bad input or the search's failure
	started time.Time
	ended   time.Time
	last    kfind.Report // the latest progress
	matches []kinesisx.Record
	cur     scroll.Cursor

	width, height int
}

// New builds the screen for the words after :find (args) on stream.
// Without words it asks for them (F from the stream screen). Bad input
// leaves the screen showing the one-line error, which Init also puts on the
// status line.
func New(ctx context.Context, id int, c screen.Common, stream string, args []string, deps Deps) *Model {
	m := &Model{
		Base: screen.NewBase(ctx, id, c, 0), st: c.Styles, deps: deps, stream: stream,
		input: screen.Input("find ", Words),
		keys: KeyMap{
			Nav:  keys.NewNav(),
			Open: key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "tail at match")),
			Stop: key.NewBinding(key.WithKeys("s"), key.WithHelp("s", "stop")),
			Edit: key.NewBinding(key.WithKeys("e"), key.WithHelp("e", "edit the search")),
		},
	}
	m.input.SetWidth(60)
	m.typing = len(args) == 0 && stream != "" && deps.Finder != nil
	if !m.typing {
		m.configure(args)
	}
	m.syncKeys()
	return m
}

// configure reads the words of a search; a bad one fails the screen.
func (m *Model) configure(args []string) {
	m.args, m.err = ParseArgs(args)
	if m.err == nil && m.stream == "" {
		m.err = errors.New("find: open or select a stream first")
	}
	if m.err == nil && m.deps.Finder == nil {
		m.err = errors.New("find: not available in this session")
	}
	if m.err == nil {
		var q kfind.Query
		var from kinesisx.StartPosition
		q, from, m.err = m.args.Spec.Query(m.Now(), fieldName)
		if m.err != nil {
			m.err = fmt.Errorf("find: %w", m.err)
		}
		m.req = Request{Stream: m.stream, Shards: m.args.Shards, Query: q, From: from}
	}
	m.state = starting
	if m.err != nil {
		m.state = failed
	}
}

// Init starts the search, asks for its words, or reports the bad input.
func (m *Model) Init() tea.Cmd {
	switch {
	case m.typing:
		return m.input.Focus()
	case m.err != nil:
		return screen.Error(m.err)
	}
	return m.begin()
}

// begin starts the configured search afresh.
func (m *Model) begin() tea.Cmd {
	ctx, cancel := context.WithCancel(m.Ctx())
	m.cancel = cancel
	m.state, m.matches, m.last, m.ended = starting, nil, kfind.Report{}, time.Time{}
	m.cur = scroll.Cursor{}
	m.SetSize(m.width, m.height)
	m.started = m.Now()
	m.syncKeys()
	tag := m.NewTag(KindSearch)
	finder, req := m.deps.Finder, m.req
	return func() tea.Msg {
		ch, err := finder.Find(ctx, req)
		return startedMsg{Tag: tag, reports: ch, err: err}
	}
}

// next waits for the search's next report.
func next(ch <-chan kfind.Report, tag screen.Tag) tea.Cmd {
	return func() tea.Msg {
		r, ok := <-ch
		return reportMsg{Tag: tag, report: r, ok: ok, reports: ch}
	}
}

// Start implements screen.Model: the search runs whether or not the
// screen is on top (the tail it opens sits above it).
func (m *Model) Start() tea.Cmd { return nil }

// Stop implements screen.Model.
func (m *Model) Stop() {}

// Close cancels the search.
func (m *Model) Close() {
	m.halt()
	m.Base.Close()
}

// halt cancels the running search and drops its reports.
func (m *Model) halt() {
	if m.cancel != nil {
		m.cancel()
	}
	m.Drop(KindSearch)
}

// Title implements screen.Model.
func (m *Model) Title() string { return "find " + m.stream }

// KeyMap implements screen.Model.
func (m *Model) KeyMap() help.KeyMap { return m.keys }

// Capturing implements screen.Model: while the search's words are typed,
// every key is the input's.
func (m *Model) Capturing() bool { return m.typing }

// SetSize implements screen.Model.
func (m *Model) SetSize(w, h int) {
	m.width, m.height = w, h
	m.cur.SetHeight(max(h-m.aboveLines()-1-detailLines, 1))
}

// Matches returns the matches found so far, in the order they came.
func (m *Model) Matches() []kinesisx.Record { return m.matches }

// Update implements screen.Model.
func (m *Model) Update(msg tea.Msg) tea.Cmd {
	if !m.Mine(msg) {
		return nil
	}
	switch msg := msg.(type) {
	case startedMsg:
		if msg.err != nil {
			m.fail(msg.err)
			return screen.Error(m.err)
		}
		m.state = scanning
		m.syncKeys()
		return next(msg.reports, msg.Tag)
	case reportMsg:
		return m.report(msg)
	case tea.KeyPressMsg:
		return m.key(msg)
	case tea.MouseWheelMsg:
		keys.Scroll(msg, &m.cur)
	}
	return nil
}

// report takes one report of the search.
func (m *Model) report(msg reportMsg) tea.Cmd {
	if !msg.ok { // the search ended without a final report: cancelled
		m.finish(stopped)
		return nil
	}
	r := msg.report
	for _, l := range r.Lines {
		if l.Match {
			m.matches = append(m.matches, l.Record)
		}
	}
	m.cur.SetLen(len(m.matches))
	m.last = r
	m.SetSize(m.width, m.height) // the shards' lines above the list may have changed
	if !r.Final {
		return next(msg.reports, msg.Tag)
	}
	if r.Err != nil {
		m.fail(r.Err)
		return screen.Error(m.err)
	}
	m.finish(done)
	return nil
}

func (m *Model) fail(err error) {
	m.err = fmt.Errorf("find: %w", err)
	m.finish(failed)
}

func (m *Model) finish(s state) {
	if m.state == scanning || m.state == starting {
		m.ended = m.Now()
	}
	m.state = s
	if m.cancel != nil {
		m.cancel()
	}
	m.syncKeys()
}

// syncKeys offers stop only while the search runs, and nothing but the
// input while it is typed.
func (m *Model) syncKeys() {
	m.keys.Stop.SetEnabled(!m.typing && (m.state == starting || m.state == scanning))
	m.keys.Edit.SetEnabled(!m.typing && m.stream != "" && m.deps.Finder != nil)
	m.keys.Open.SetEnabled(!m.typing)
}
