// Package streams is the home screen: every stream of the account and
// region with its status, mode, open shards, retention and consumers.
//
// Loading happens in Cmds that capture only the Source, a context and the
// request ID; results carrying an older request ID are dropped. The screen
// refreshes itself every RefreshEvery while it is the top of the stack.
package streams

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"sync"
	"time"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"

	"github.com/kinspect/kinspect/kinesisx"
	"github.com/kinspect/kinspect/metrics"
	"github.com/kinspect/kinspect/ui/keys"
	"github.com/kinspect/kinspect/ui/screen"
	"github.com/kinspect/kinspect/ui/screen/list"
	"github.com/kinspect/kinspect/ui/scroll"
	"github.com/kinspect/kinspect/ui/theme"
)

// Source is what the screen reads; *kinesisx.Client satisfies it.
type Source interface {
	ListStreams(ctx context.Context) ([]kinesisx.StreamSummary, error)
	DescribeStream(ctx context.Context, stream string) (kinesisx.Stream, error)
}

// RefreshEvery is how often the list reloads while on top.
const RefreshEvery = 30 * time.Second

// describeWorkers bounds the concurrent DescribeStreamSummary calls
// (the API allows 20 per second per account).
const describeWorkers = 4

// kindLoad tags the list's loads: a newer load drops an older one's
// results.
const kindLoad = "load"

// streamsListedMsg is the result of ListStreams.
type streamsListedMsg struct {
	screen.Tag
	streams []kinesisx.StreamSummary
	err     error
}

// streamsDescribedMsg is the result of describing the listed streams.
type streamsDescribedMsg struct {
	screen.Tag
	details map[string]kinesisx.Stream
	rates   map[string]incoming
	err     error // the first failure, if any
}

// KeyMap are the bindings of the streams screen.
type KeyMap struct {
	Nav     keys.Nav
	Open    key.Binding
	Filter  key.Binding
	Refresh key.Binding
	Sort    key.Binding
	Write   keys.Write
}

// NewKeyMap builds the keymap; readOnly hides the dangerous bindings.
func NewKeyMap(readOnly bool) KeyMap {
	return KeyMap{
		Nav:     keys.NewNav(),
		Open:    key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "open")),
		Filter:  key.NewBinding(key.WithKeys("/"), key.WithHelp("/", "filter")),
		Refresh: key.NewBinding(key.WithKeys("r"), key.WithHelp("r", "refresh")),
		Sort:    keys.NewSort(),
		Write:   keys.NewWrite(readOnly),
	}
}

// ShortHelp implements help.KeyMap.
func (k KeyMap) ShortHelp() []key.Binding {
	return []key.Binding{k.Open, k.Filter, k.Sort, k.Refresh}
}

// FullHelp implements help.KeyMap.
func (k KeyMap) FullHelp() [][]key.Binding {
	return [][]key.Binding{
		{k.Open, k.Filter, k.Sort, k.Refresh},
		k.Nav.Bindings(),
		keys.Enabled(k.Write.Put.Binding),
	}
}

// row is one stream with its description once it is known.
type row struct {
	sum       kinesisx.StreamSummary
	detail    kinesisx.Stream
	described bool
	in        incoming
}

// Model is the streams screen.
type Model struct {
	screen.Base
	src     Source
	metrics Metrics
	st      *theme.Styles
	keys    KeyMap
	rows    []row
	shown   []int // indexes into rows that pass the filter, in order
	sort    list.Sort
	cur     scroll.Cursor
	filter  textinput.Model
	typing  bool
	loaded  bool
	// loadedAt is when the list last loaded; with err set, the rows are
	// from then.
	loadedAt time.Time
	err      error
	width    int
	height   int
}

// New builds the screen. id is the screen's unique ID on the stack.
func New(ctx context.Context, id int, c screen.Common, src Source) *Model {
	return &Model{Base: screen.NewBase(ctx, id, c, RefreshEvery), src: src, st: c.Styles, keys: NewKeyMap(c.ReadOnly), filter: screen.Input("/", "filter by name"), sort: newSort()}
}

// Init loads the list.
func (m *Model) Init() tea.Cmd { return m.reload() }

// Start arms the periodic refresh and, when the screen is shown again
// (after a split, a scale, a stream created elsewhere), reloads at once
// rather than a refresh period later.
func (m *Model) Start() tea.Cmd {
	tick := m.Base.Start()
	if !m.loaded {
		return tick
	}
	return tea.Batch(m.reload(), tick)
}

// Title implements screen.Model.
func (m *Model) Title() string { return "streams" }

// KeyMap implements screen.Model.
func (m *Model) KeyMap() help.KeyMap { return m.keys }

// Capturing reports whether the filter input or the sort picker has the
// focus.
func (m *Model) Capturing() bool { return m.typing || m.sort.Picking() }

// SetSize implements screen.Model.
func (m *Model) SetSize(w, h int) {
	m.width, m.height = w, h
	m.filter.SetWidth(max(w-4, 1))
	m.cur.SetHeight(max(h-headerLines, 0))
}

func (m *Model) reload() tea.Cmd {
	return listStreams(m.Ctx(), m.src, m.NewTag(kindLoad))
}

// listStreams lists the streams.
func listStreams(ctx context.Context, src Source, tag screen.Tag) tea.Cmd {
	return func() tea.Msg {
		s, err := src.ListStreams(ctx) // its error says "list streams"
		return streamsListedMsg{Tag: tag, streams: s, err: err}
	}
}

// Metrics is the optional CloudWatch source of the throughput columns.
type Metrics interface {
	// StreamLoad is the stream's incoming traffic in its newest complete
	// minute with data, and its hottest shard's when shard-level metrics
	// are on; st is what DescribeStream said of the stream.
	StreamLoad(ctx context.Context, st kinesisx.Stream) (Load, error)
}

// Load is a stream's incoming traffic in one complete CloudWatch minute
// (package metrics).
type Load = metrics.Load

// incoming is a stream's CloudWatch load.
type incoming = Load

// describeStreams describes every named stream with a few workers, and
// reads its incoming rate when there is a metrics source.
func describeStreams(ctx context.Context, src Source, ms Metrics, names []string, tag screen.Tag) tea.Cmd {
	return func() tea.Msg {
		out := make(map[string]kinesisx.Stream, len(names))
		rates := make(map[string]incoming, len(names))
		var (
			mu       sync.Mutex
			firstErr error
			wg       sync.WaitGroup
		)
		work := make(chan string)
		for range min(describeWorkers, len(names)) {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for n := range work {
					d, err := src.DescribeStream(ctx, n)
					var in incoming
					if err == nil && ms != nil {
						in, _ = ms.StreamLoad(ctx, d) // a missing rate shows as "–"
					}
					mu.Lock()
					rates[n] = in
					if err != nil && firstErr == nil {
						firstErr = fmt.Errorf("describe stream %s: %w", n, err)
					} else if err == nil {
						out[n] = d
					}
					mu.Unlock()
				}
			}()
		}
	feed:
		for _, n := range names {
			select {
			case work <- n:
			case <-ctx.Done():
				break feed
			}
		}
		close(work)
		wg.Wait()
		return streamsDescribedMsg{Tag: tag, details: out, rates: rates, err: firstErr}
	}
}

// Update implements screen.Model.
func (m *Model) Update(msg tea.Msg) tea.Cmd {
	if !m.Mine(msg) {
		return nil
	}
	switch msg := msg.(type) {
	case streamsListedMsg:
		return m.listed(msg)
	case streamsDescribedMsg:
		for i := range m.rows {
			if d, ok := msg.details[m.rows[i].sum.Name]; ok {
				m.rows[i].detail, m.rows[i].described = d, true
			}
			if in, ok := msg.rates[m.rows[i].sum.Name]; ok {
				m.rows[i].in = in
			}
		}
		m.applyFilter() // the shards and the rates may change the order
		return screen.Error(msg.err)
	case screen.RefreshMsg:
		return tea.Batch(m.reload(), m.Tick())
	case tea.KeyPressMsg:
		return m.key(msg)
	case tea.MouseWheelMsg:
		keys.Scroll(msg, &m.cur)
	case tea.MouseClickMsg:
		list.Click(msg, headerLines, &m.cur)
	}
	return nil
}

func (m *Model) listed(msg streamsListedMsg) tea.Cmd {
	m.loaded = true
	m.err = msg.err
	if msg.err != nil {
		return screen.Error(msg.err)
	}
	m.loadedAt = m.Now()
	old := make(map[string]row, len(m.rows))
	for _, r := range m.rows {
		old[r.sum.Name] = r
	}
	selected := m.Selected()
	m.rows, m.shown = m.rows[:0], m.shown[:0]
	names := make([]string, 0, len(msg.streams))
	for _, s := range msg.streams {
		r := row{sum: s}
		if o, ok := old[s.Name]; ok {
			r.detail, r.described, r.in = o.detail, o.described, o.in
		}
		m.rows = append(m.rows, r)
		names = append(names, s.Name)
	}
	sort.Slice(m.rows, func(i, j int) bool { return m.rows[i].sum.Name < m.rows[j].sum.Name })
	m.applyFilter()
	m.selectName(selected)
	return describeStreams(m.Ctx(), m.src, m.metrics, names, m.CurTag(kindLoad))
}

func (m *Model) key(msg tea.KeyPressMsg) tea.Cmd {
	if m.typing {
		switch msg.String() {
		case "enter", "esc":
			m.typing = false
			m.filter.Blur()
			if msg.String() == "esc" {
				m.filter.SetValue("")
				m.applyFilter()
			}
			return nil
		}
		var cmd tea.Cmd
		m.filter, cmd = m.filter.Update(msg)
		m.applyFilter()
		return cmd
	}
	k := m.keys
	if handled, changed := m.sort.Key(msg); handled {
		if changed {
			m.applyFilter()
		}
		return nil
	}
	if k.Nav.Move(msg, &m.cur) {
		return nil
	}
	switch {
	case key.Matches(msg, k.Filter):
		m.typing = true
		return m.filter.Focus()
	case key.Matches(msg, k.Refresh):
		return m.reload()
	case key.Matches(msg, k.Open):
		if name := m.Selected(); name != "" {
			return screen.Cmd(screen.OpenStreamMsg{Stream: name})
		}
	case key.Matches(msg, k.Write.Put.Binding):
		if name := m.Selected(); name != "" {
			return screen.Cmd(screen.ActionRequestedMsg{Action: kinesisx.ActionPut, Stream: name})
		}
	}
	return nil
}

// applyFilter recomputes the visible rows (case-insensitive substring) in
// the chosen order; the cursor stays on its stream when it is still shown.
func (m *Model) applyFilter() {
	sel := m.Selected()
	q := strings.ToLower(strings.TrimSpace(m.filter.Value()))
	m.shown = m.shown[:0]
	for i, r := range m.rows {
		if q == "" || strings.Contains(strings.ToLower(r.sum.Name), q) {
			m.shown = append(m.shown, i)
		}
	}
	m.order()
	m.cur.SetLen(len(m.shown))
	m.selectName(sel)
}

func (m *Model) selectName(name string) {
	for i, ri := range m.shown {
		if m.rows[ri].sum.Name == name {
			m.cur.Set(i)
			return
		}
	}
}

// Selected returns the name of the stream under the cursor ("" if none).
func (m *Model) Selected() string {
	if m.cur.Pos < 0 || m.cur.Pos >= len(m.shown) {
		return ""
	}
	return m.rows[m.shown[m.cur.Pos]].sum.Name
}

// Stream is the selected stream (screen.Streamer): the command line's
// screens open on it.
func (m *Model) Stream() string { return m.Selected() }

// SetMetrics adds a CloudWatch source: the list then shows each stream's
// incoming throughput against its limit.
func (m *Model) SetMetrics(ms Metrics) { m.metrics = ms }
