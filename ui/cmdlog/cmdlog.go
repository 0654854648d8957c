// Package cmdlog is the command log screen (`:log`): every API call
// kinspect made, newest last, with its time, service, operation, stream
// and shard, latency, retries and outcome, and for a mutation the
// equivalent `aws kinesis` command.
//
// The screen polls its Source (a *calllog.Log) every PollEvery while it is
// the top of the stack, asking only for the entries after the last one it
// holds. A poll carries the Start generation that armed it; a stopped
// screen's poll is dropped and not re-armed.
package cmdlog

import (
	"context"
	"time"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/kinspect/kinspect/kinesisx/calllog"
	"github.com/kinspect/kinspect/ui/keys"
	"github.com/kinspect/kinspect/ui/screen"
	"github.com/kinspect/kinspect/ui/screen/list"
	"github.com/kinspect/kinspect/ui/scroll"
	"github.com/kinspect/kinspect/ui/theme"
)

// PollEvery is how often the screen asks the log for new calls.
const PollEvery = 500 * time.Millisecond

// Keep bounds the entries the screen holds; older ones give way.
const Keep = 2000

// Source is the call log; *calllog.Log satisfies it.
type Source interface {
	Since(seq uint64) []calllog.Entry
}

// polledMsg carries the entries after the screen's last one.
type polledMsg struct {
	screen.Tag
	entries []calllog.Entry
}

// KeyMap are the bindings of the screen.
type KeyMap struct {
	Nav    keys.Nav
	Follow key.Binding
	Errors key.Binding
}

// ShortHelp implements help.KeyMap.
func (k KeyMap) ShortHelp() []key.Binding {
	return []key.Binding{k.Nav.Up, k.Nav.Down, k.Follow, k.Errors}
}

// FullHelp implements help.KeyMap.
func (k KeyMap) FullHelp() [][]key.Binding {
	return [][]key.Binding{{k.Follow, k.Errors}, k.Nav.Bindings()}
}

// Model is the command log screen.
type Model struct {
	screen.Base
	src  Source
	st   *theme.Styles
	keys KeyMap

	all     []calllog.Entry
	shown   []int // indexes into all that pass the filter
	last    uint64
	dropped int // entries given way to Keep
	errOnly bool
	follow  bool
	cur     scroll.Cursor

	width, height int
}

// New builds the screen over a call log.
func New(ctx context.Context, id int, c screen.Common, src Source) *Model {
	b := screen.NewBase(ctx, id, c, 0)
	b.SetRefresh(PollEvery) // the log polls at its pace whatever the screens' refresh
	return &Model{
		Base: b, src: src, st: c.Styles, follow: true,
		keys: KeyMap{
			Nav:    keys.NewNav(),
			Follow: key.NewBinding(key.WithKeys("f"), key.WithHelp("f", "follow newest")),
			Errors: key.NewBinding(key.WithKeys("e"), key.WithHelp("e", "errors only")),
		},
	}
}

// Init implements screen.Model.
func (m *Model) Init() tea.Cmd { return nil }

// Start polls at once and arms the next poll.
func (m *Model) Start() tea.Cmd {
	m.Stop() // a new polling generation: an older one's poll dies out
	return poll(m.src, m.last, m.CurTag(screen.KindRefresh))
}

// Title implements screen.Model.
func (m *Model) Title() string { return "command log" }

// KeyMap implements screen.Model.
func (m *Model) KeyMap() help.KeyMap { return m.keys }

// Capturing implements screen.Model: the screen has no text input.
func (m *Model) Capturing() bool { return false }

// SetSize implements screen.Model.
func (m *Model) SetSize(w, h int) {
	m.width, m.height = w, h
	m.cur.SetHeight(max(h-headerLines-detailLines, 1))
	if m.follow {
		m.cur.Bottom()
	}
}

// poll reads the log after seq, for the polling generation tag.
func poll(src Source, seq uint64, tag screen.Tag) tea.Cmd {
	return func() tea.Msg { return polledMsg{Tag: tag, entries: src.Since(seq)} }
}

// Update implements screen.Model.
func (m *Model) Update(msg tea.Msg) tea.Cmd {
	if !m.Mine(msg) {
		return nil
	}
	switch msg := msg.(type) {
	case polledMsg:
		m.add(msg.entries)
		return m.Tick()
	case screen.RefreshMsg:
		return poll(m.src, m.last, m.CurTag(screen.KindRefresh))
	case tea.KeyPressMsg:
		return m.key(msg)
	case tea.MouseWheelMsg:
		if d := keys.Wheel(msg); d != 0 {
			m.move(d)
		}
	case tea.MouseClickMsg:
		if list.Click(msg, headerLines, &m.cur) {
			m.follow = m.cur.AtBottom()
		}
	}
	return nil
}

// add appends new entries, drops the oldest beyond Keep, and follows the
// newest when following.
func (m *Model) add(es []calllog.Entry) {
	for _, e := range es {
		if e.Seq <= m.last {
			continue
		}
		m.last = e.Seq
		m.all = append(m.all, e)
	}
	if over := len(m.all) - Keep; over > 0 {
		m.all = append(m.all[:0:0], m.all[over:]...)
		m.dropped += over
	}
	m.refilter()
}

// refilter rebuilds the shown rows and keeps the cursor in place (or at
// the bottom when following).
func (m *Model) refilter() {
	m.shown = m.shown[:0]
	for i, e := range m.all {
		if !m.errOnly || !e.OK() {
			m.shown = append(m.shown, i)
		}
	}
	m.cur.SetLen(len(m.shown))
	if m.follow {
		m.cur.Bottom()
	}
}

func (m *Model) move(d int) {
	m.cur.Move(d)
	m.follow = m.cur.AtBottom()
}

func (m *Model) key(msg tea.KeyPressMsg) tea.Cmd {
	k := m.keys
	if k.Nav.Move(msg, &m.cur) {
		// Follow the newest entries again once the last one is selected.
		m.follow = m.cur.AtBottom()
		return nil
	}
	switch {
	case key.Matches(msg, k.Follow):
		m.follow = true
		m.cur.Bottom()
	case key.Matches(msg, k.Errors):
		m.errOnly = !m.errOnly
		m.refilter()
	}
	return nil
}

// Selected returns the entry under the cursor.
func (m *Model) Selected() (calllog.Entry, bool) {
	if m.cur.Pos < 0 || m.cur.Pos >= len(m.shown) {
		return calllog.Entry{}, false
	}
	return m.all[m.shown[m.cur.Pos]], true
}
