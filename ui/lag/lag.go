// Package lag is the consumer lag screen (:lag): for the stream on screen,
// each consuming application (a KCL lease table, a Lambda event source
// mapping) and, per shard, its checkpoint, owner, lease counter, how far
// behind it is (MillisBehindLatest, records) and its state, with the
// retention-risk clock: how long until the laggard's oldest unread record
// is trimmed. Shards nobody will read, leases nobody holds, a worker
// holding far more leases than the others and children waiting for a
// parent are called out above the table.
//
// The screen reads through its Source in a Cmd that captures the source,
// the stream and a request tag; a newer read drops an older one's result.
// It reads again on the screen.Base refresh timer while on top.
package lag

import (
	"context"
	"errors"
	"net"
	"slices"
	"time"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	klag "github.com/kinspect/kinspect/kinesisx/lag"
	"github.com/kinspect/kinspect/ui/keys"
	"github.com/kinspect/kinspect/ui/screen"
	"github.com/kinspect/kinspect/ui/scroll"
	"github.com/kinspect/kinspect/ui/theme"
)

// RefreshEvery is how often the screen reads again while on top: each
// read is a DynamoDB scan per lease table and one or two GetRecords per
// shard.
const RefreshEvery = 5 * time.Second

// Source reads the lag of a stream's applications (cmd adapts
// kinesisx/lag over the AWS configuration). The report holds what could be
// read; the error says, in one line, what could not. An error that is
// kinesisx/lag.ErrUnavailable means DynamoDB has no endpoint.
type Source interface {
	Lag(ctx context.Context, stream string) (klag.Report, error)
}

// Deps are what the screen reads from.
type Deps struct {
	Source Source
	// RiskThreshold marks a retention clock under it (zero: a quarter of
	// the retention, at least an hour; see kinesisx/retention).
	RiskThreshold time.Duration
}

// KeyMap are the bindings of the lag screen.
type KeyMap struct {
	Nav     keys.Nav
	Refresh key.Binding
}

// NewKeyMap builds the keymap.
func NewKeyMap() KeyMap {
	return KeyMap{Nav: keys.NewNav(), Refresh: key.NewBinding(key.WithKeys("r"), key.WithHelp("r", "read again"))}
}

// ShortHelp implements help.KeyMap.
func (k KeyMap) ShortHelp() []key.Binding { return []key.Binding{k.Refresh} }

// FullHelp implements help.KeyMap.
func (k KeyMap) FullHelp() [][]key.Binding {
	return [][]key.Binding{k.ShortHelp(), k.Nav.Bindings()}
}

// loadedMsg is the result of one read.
type loadedMsg struct {
	screen.Tag
	report klag.Report
	err    error
	at     time.Time
}

const kindLoad = "load"

// Model is the lag screen.
type Model struct {
	screen.Base
	src       Source
	st        *theme.Styles
	keys      KeyMap
	name      string
	apps      []string // the applications asked for (":lag NAME..."); empty: all
	threshold time.Duration

	report  klag.Report
	rows    []row
	err     error
	loaded  bool
	loading bool
	readAt  time.Time
	cur     scroll.Cursor

	width, height int
}

// New builds the screen for one stream; args, if any, name the
// applications to show (lease tables or Lambda function names).
func New(ctx context.Context, id int, c screen.Common, stream string, args []string, d Deps) *Model {
	return &Model{
		Base: screen.NewBase(ctx, id, c, RefreshEvery),
		src:  d.Source, st: c.Styles, keys: NewKeyMap(), name: stream, apps: args, threshold: d.RiskThreshold,
	}
}

// Init reads the lag.
func (m *Model) Init() tea.Cmd { return m.reload() }

// Start arms the refresh and reads again if the screen was covered.
func (m *Model) Start() tea.Cmd {
	if m.loaded {
		return tea.Batch(m.Base.Start(), m.reload())
	}
	return m.Base.Start()
}

// Title implements screen.Model.
func (m *Model) Title() string { return "lag" }

// Stream returns the stream on screen.
func (m *Model) Stream() string { return m.name }

// KeyMap implements screen.Model.
func (m *Model) KeyMap() help.KeyMap { return m.keys }

// Capturing implements screen.Model: the screen has no text input.
func (m *Model) Capturing() bool { return false }

// SetSize implements screen.Model.
func (m *Model) SetSize(w, h int) {
	m.width, m.height = w, h
	m.cur.SetHeight(max(h-m.headerLines()-1, 0))
}

func (m *Model) reload() tea.Cmd {
	m.loading = true
	return load(m.Ctx(), m.src, m.name, m.NewTag(kindLoad), m.Now)
}

// load reads the stream's lag.
func load(ctx context.Context, src Source, stream string, tag screen.Tag, now func() time.Time) tea.Cmd {
	return func() tea.Msg {
		if stream == "" {
			return loadedMsg{Tag: tag, err: errors.New(":lag: open or select a stream first"), at: now()}
		}
		rep, err := src.Lag(ctx, stream)
		return loadedMsg{Tag: tag, report: rep, err: err, at: now()}
	}
}

// Update implements screen.Model.
func (m *Model) Update(msg tea.Msg) tea.Cmd {
	if !m.Mine(msg) {
		return nil
	}
	switch msg := msg.(type) {
	case loadedMsg:
		m.loading = false
		if msg.err != nil && errors.Is(msg.err, context.Canceled) {
			return nil
		}
		m.loaded, m.err, m.readAt = true, msg.err, msg.at
		// A failed read of the stream itself keeps the last report.
		if msg.err == nil || msg.report.Stream != "" {
			m.setReport(msg.report)
		}
		m.cur.SetHeight(max(m.height-m.headerLines()-1, 0))
	case screen.RefreshMsg:
		return tea.Batch(m.reload(), m.Tick())
	case tea.KeyPressMsg:
		if key.Matches(msg, m.keys.Refresh) {
			return m.reload()
		}
		m.keys.Nav.Move(msg, &m.cur)
	case tea.MouseWheelMsg:
		keys.Scroll(msg, &m.cur)
	}
	return nil
}

// setReport installs a report, keeping the cursor on the same row.
func (m *Model) setReport(r klag.Report) {
	var sel row
	if m.cur.Pos >= 0 && m.cur.Pos < len(m.rows) {
		sel = m.rows[m.cur.Pos]
	}
	if len(m.apps) > 0 {
		r.Applications = slices.DeleteFunc(slices.Clone(r.Applications), func(a klag.Application) bool {
			return !slices.Contains(m.apps, a.Name)
		})
	}
	m.report = r
	m.rows = buildRows(r)
	m.cur.SetLen(len(m.rows))
	for i, rw := range m.rows {
		if rw.key() == sel.key() && sel.app != "" {
			m.cur.Set(i)
			break
		}
	}
}

// unavailable reports whether the error says DynamoDB has no endpoint or
// cannot be reached.
func unavailable(err error) bool {
	var op *net.OpError
	return errors.Is(err, klag.ErrUnavailable) || errors.As(err, &op)
}
