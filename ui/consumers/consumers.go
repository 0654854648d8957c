// Package consumers is the consumers screen (:consumers): the enhanced
// fan-out consumers of a stream with their status, creation time, age and
// whether kinspect made them; d deregisters one, P prunes the stale
// kinspect ones. Both ask for confirmation, show the equivalent aws
// command, and are hidden in read-only mode (the guard refuses them
// anyway).
//
// Loads and mutations run in Cmds that capture values; results carry the
// screen's ID and a request ID, and stale ones are dropped.
package consumers

import (
	"context"
	"fmt"
	"time"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/kinspect/kinspect/kinesisx"
	"github.com/kinspect/kinspect/ui/keys"
	"github.com/kinspect/kinspect/ui/screen"
	"github.com/kinspect/kinspect/ui/screen/list"
	"github.com/kinspect/kinspect/ui/scroll"
	"github.com/kinspect/kinspect/ui/theme"
)

// StaleAfter is the age from which a kinspect consumer with no heartbeat
// (an older kinspect) counts as stale; one with a heartbeat is stale when
// the heartbeat is (kinesisx.HeartbeatStale), whatever its age.
const StaleAfter = 24 * time.Hour

// Source is what the screen reads and changes; *kinesisx.Client
// satisfies it.
type Source interface {
	DescribeStream(ctx context.Context, stream string) (kinesisx.Stream, error)
	ListConsumers(ctx context.Context, streamARN string) ([]kinesisx.Consumer, error)
	// ReadHeartbeats fills the heartbeats of kinspect's consumers, so the
	// screen calls stale what a prune removes.
	ReadHeartbeats(ctx context.Context, cs []kinesisx.Consumer) []kinesisx.Consumer
	DeregisterConsumer(ctx context.Context, consumerARN string) error
	PruneConsumers(ctx context.Context, streamARN string, olderThan time.Duration) ([]kinesisx.Consumer, error)
}

// KeyMap are the bindings of the consumers screen.
type KeyMap struct {
	Nav        keys.Nav
	Refresh    key.Binding
	Sort       key.Binding
	Deregister keys.Action
	Prune      keys.Action
}

// NewKeyMap builds the keymap; readOnly hides the dangerous bindings.
func NewKeyMap(readOnly bool) KeyMap {
	return KeyMap{
		Nav:        keys.NewNav(),
		Refresh:    key.NewBinding(key.WithKeys("r"), key.WithHelp("r", "refresh")),
		Sort:       keys.NewSort(),
		Deregister: keys.NewAction("d", "deregister", true, readOnly),
		Prune:      keys.NewAction("P", "prune stale kinspect consumers", true, readOnly),
	}
}

// ShortHelp implements help.KeyMap.
func (k KeyMap) ShortHelp() []key.Binding {
	return keys.Enabled(k.Refresh, k.Sort, k.Deregister.Binding, k.Prune.Binding)
}

// FullHelp implements help.KeyMap.
func (k KeyMap) FullHelp() [][]key.Binding {
	return [][]key.Binding{k.ShortHelp(), k.Nav.Bindings()}
}

// listedMsg is the result of describing the stream and listing consumers.
type listedMsg struct {
	screen.Tag
	streamARN string
	consumers []kinesisx.Consumer
	err       error
}

// kindList tags the loads: a newer one drops an older one's result.
const kindList = "list"

// changedMsg is the result of a deregistration or a prune.
type changedMsg struct {
	screen.Tag
	text string
	err  error
}

// pending is a mutation waiting for confirmation.
type pending struct {
	what    string
	command string
	run     tea.Cmd
}

// Model is the consumers screen.
type Model struct {
	screen.Base
	src       Source
	st        *theme.Styles
	keys      KeyMap
	now       func() time.Time
	name      string
	streamARN string
	listed    []kinesisx.Consumer // as ListStreamConsumers returned them
	list      []kinesisx.Consumer // in the chosen order (sort.go)
	sort      list.Sort
	cur       scroll.Cursor
	loaded    bool
	busy      bool
	confirm   *pending
	width     int
	height    int
}

// New builds the screen for a stream. now is the clock of the ages (nil:
// time.Now).
func New(ctx context.Context, id int, c screen.Common, stream string, src Source, now func() time.Time) *Model {
	if now == nil {
		now = c.Now
	}
	return &Model{Base: screen.NewBase(ctx, id, c, 0), src: src, st: c.Styles, keys: NewKeyMap(c.ReadOnly), now: now, name: stream, sort: newSort()}
}

// Init loads the consumers.
func (m *Model) Init() tea.Cmd { return m.reload() }

// Title implements screen.Model.
func (m *Model) Title() string { return "consumers" }

// Stream returns the stream on screen.
func (m *Model) Stream() string { return m.name }

// KeyMap implements screen.Model.
func (m *Model) KeyMap() help.KeyMap { return m.keys }

// Capturing is true while a confirmation is asked or the sort picker is
// open, so y/n/esc reach it.
func (m *Model) Capturing() bool { return m.confirm != nil || m.sort.Picking() }

// SetSize implements screen.Model.
func (m *Model) SetSize(w, h int) {
	m.width, m.height = w, h
	m.cur.SetHeight(max(h-headerLines, 0))
}

func (m *Model) reload() tea.Cmd {
	return loadConsumers(m.Ctx(), m.src, m.name, m.NewTag(kindList))
}

func loadConsumers(ctx context.Context, src Source, stream string, tag screen.Tag) tea.Cmd {
	return func() tea.Msg {
		msg := listedMsg{Tag: tag}
		st, err := src.DescribeStream(ctx, stream)
		if err != nil {
			msg.err = fmt.Errorf("consumers of %s: %w", stream, err)
			return msg
		}
		msg.streamARN = st.ARN
		msg.consumers, msg.err = src.ListConsumers(ctx, st.ARN)
		if msg.err != nil {
			msg.err = fmt.Errorf("consumers of %s: %w", stream, msg.err)
			return msg
		}
		msg.consumers = src.ReadHeartbeats(ctx, msg.consumers)
		return msg
	}
}

// Selected returns the consumer under the cursor.
func (m *Model) Selected() (kinesisx.Consumer, bool) {
	if m.cur.Pos < 0 || m.cur.Pos >= len(m.list) {
		return kinesisx.Consumer{}, false
	}
	return m.list[m.cur.Pos], true
}

// Update implements screen.Model.
func (m *Model) Update(msg tea.Msg) tea.Cmd {
	if !m.Mine(msg) {
		return nil
	}
	switch msg := msg.(type) {
	case listedMsg:
		m.loaded = true
		if msg.err != nil {
			return screen.Error(msg.err)
		}
		m.streamARN, m.listed = msg.streamARN, msg.consumers
		m.arrange()
	case changedMsg:
		m.busy = false
		if msg.err != nil {
			return tea.Batch(screen.Error(msg.err), m.reload())
		}
		return tea.Batch(screen.Cmd(screen.InfoMsg{Text: msg.text}), m.reload())
	case tea.KeyPressMsg:
		return m.key(msg)
	case tea.MouseWheelMsg:
		keys.Scroll(msg, &m.cur)
	case tea.MouseClickMsg:
		if m.confirm == nil {
			list.Click(msg, headerLines, &m.cur)
		}
	}
	return nil
}

func (m *Model) key(msg tea.KeyPressMsg) tea.Cmd {
	if m.confirm != nil {
		switch msg.String() {
		case "y", "Y":
			run := m.confirm.run
			m.confirm, m.busy = nil, true
			return run
		case "n", "N", "esc", "q":
			m.confirm = nil
		}
		return nil
	}
	k := m.keys
	if handled, changed := m.sort.Key(msg); handled {
		if changed {
			m.arrange()
		}
		return nil
	}
	if k.Nav.Move(msg, &m.cur) {
		return nil
	}
	switch {
	case key.Matches(msg, k.Refresh):
		return m.reload()
	case key.Matches(msg, k.Deregister.Binding, k.Prune.Binding):
		if err := m.Allow(kinesisx.ActionDeregisterConsumer); err != nil {
			return screen.Error(err) // read-only: say why, ask nothing
		}
		if key.Matches(msg, k.Deregister.Binding) {
			return m.askDeregister()
		}
		return m.askPrune()
	}
	return nil
}

func (m *Model) askDeregister() tea.Cmd {
	c, ok := m.Selected()
	if !ok || m.busy {
		return nil
	}
	ctx, src, tag := m.MutationCtx(), m.src, m.CurTag("")
	m.confirm = &pending{
		what:    fmt.Sprintf("Deregister consumer %s? Its subscriptions end now.", c.Name),
		command: kinesisx.DeregisterConsumerCommand(c.ARN),
		run: func() tea.Msg {
			err := src.DeregisterConsumer(ctx, c.ARN)
			return changedMsg{Tag: tag, text: "deregistered " + c.Name, err: err}
		},
	}
	return nil
}

func (m *Model) askPrune() tea.Cmd {
	if m.busy || !m.loaded {
		return nil
	}
	stale := kinesisx.StaleConsumers(m.list, m.now(), StaleAfter)
	if len(stale) == 0 {
		return screen.Cmd(screen.InfoMsg{Text: fmt.Sprintf("no stale kinspect consumer on %s (a stale heartbeat, or none and older than %s)", m.name, StaleAfter)})
	}
	ctx, src, tag, arn := m.MutationCtx(), m.src, m.CurTag(""), m.streamARN
	names := ""
	for i, c := range stale {
		if i > 0 {
			names += ", "
		}
		names += c.Name
	}
	m.confirm = &pending{
		what:    fmt.Sprintf("Deregister %d stale kinspect consumer(s): %s?", len(stale), names),
		command: kinesisx.DeregisterConsumerCommand(stale[0].ARN) + " (one per consumer)",
		run: func() tea.Msg {
			done, err := src.PruneConsumers(ctx, arn, StaleAfter)
			return changedMsg{Tag: tag, text: fmt.Sprintf("pruned %d consumer(s)", len(done)), err: err}
		},
	}
	return nil
}
