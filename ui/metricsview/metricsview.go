// Package metricsview is the :metrics screen: CloudWatch's per-shard
// figures of one stream against the shard limits (1 MiB/s and 1,000
// records/s in, 2 MiB/s out), iterator age and throttles for the newest
// minute with data, a per-shard sparkline of the window, and the stream
// totals. The minutes CloudWatch has not published yet are marked, and
// filled from a running tail when the Source can (session.CloudWatch does).
//
// Loads run in Cmds that capture the Source, a context and a request ID;
// stale results are dropped. While the screen is on top it reloads every
// RefreshEvery; Stop and Close disarm the timer by bumping a generation.
package metricsview

import (
	"context"
	"fmt"
	"time"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/kinspect/kinspect/metrics"
	"github.com/kinspect/kinspect/session"
	"github.com/kinspect/kinspect/ui/keys"
	"github.com/kinspect/kinspect/ui/screen"
	"github.com/kinspect/kinspect/ui/screen/list"
	"github.com/kinspect/kinspect/ui/scroll"
	"github.com/kinspect/kinspect/ui/tail"
	"github.com/kinspect/kinspect/ui/theme"
)

// RefreshEvery is how often the screen asks CloudWatch again while on top:
// its points are a minute apart, and calls cost money.
const RefreshEvery = time.Minute

// windows are the windows the screen offers (w cycles through them).
var windows = [...]time.Duration{15 * time.Minute, time.Hour, 3 * time.Hour}

// Data is one load: the report, its unpublished minutes filled from a
// live tail where the source could (package metrics).
type Data = metrics.Filled

// Source reads a stream's CloudWatch report over a window
// (*session.CloudWatch).
type Source interface {
	StreamReport(ctx context.Context, stream string, window time.Duration) (Data, error)
}

// loadedMsg is the result of a load.
type loadedMsg struct {
	screen.Tag
	data Data
	err  error
}

// kindLoad tags the loads: a newer one drops an older one's result.
const kindLoad = "load"

// Deps are the screen's dependencies.
type Deps struct {
	Source Source
	// Tailer and Session, both optional, back the live fill (L, live.go):
	// the tail's batches go to the session, whose live counts fill the
	// CloudWatch adapter's unpublished minutes.
	Tailer  screen.Tailer
	Session *session.Session
	// Now is the clock of the live fill (nil: the Common clock).
	Now func() time.Time
}

// Model is the :metrics screen.
type Model struct {
	screen.Base
	src    Source
	st     *theme.Styles
	keys   KeyMap
	stream string

	window  int // index into windows
	data    Data
	loaded  bool
	loading bool
	listed  []metrics.ShardReport // the shards shown, by ID
	rows    []metrics.ShardReport // in the chosen order (sort.go)
	sort    list.Sort
	cur     scroll.Cursor

	tailer screen.Tailer
	sess   *session.Session
	now    func() time.Time
	live   tail.Live

	width, height int
}

// New builds the screen for a stream.
func New(ctx context.Context, id int, c screen.Common, stream string, d Deps) *Model {
	if d.Now == nil {
		d.Now = c.Now
	}
	k := NewKeyMap(c.ReadOnly)
	k.Live.SetEnabled(d.Tailer != nil && d.Session != nil)
	b := screen.NewBase(ctx, id, c, RefreshEvery)
	if c.Refresh > 0 {
		b.SetRefresh(RefreshEvery) // once a minute, as CloudWatch publishes
	}
	return &Model{Base: b, src: d.Source, st: c.Styles, stream: stream, keys: k,
		tailer: d.Tailer, sess: d.Session, now: d.Now, live: tail.NewLive(id, "live fill of", d.Session), sort: newSort()}
}

// Init loads the default window.
func (m *Model) Init() tea.Cmd { return m.load() }

// Start arms the minute refresh (and reloads when returning to the top).
func (m *Model) Start() tea.Cmd {
	cmds := []tea.Cmd{m.Base.Start(), m.startLive()}
	if m.loaded {
		cmds = append(cmds, m.load())
	}
	return tea.Batch(cmds...)
}

// Stop disarms the refresh and closes the live fill: only the top screen
// reads Kinesis.
func (m *Model) Stop() { m.Base.Stop(); m.stopLive() }

// Close disarms the refresh and closes the live fill for good.
func (m *Model) Close() { m.Base.Close(); m.stopLive() }

// Title implements screen.Model.
func (m *Model) Title() string { return "metrics" }

// Stream returns the stream on screen.
func (m *Model) Stream() string { return m.stream }

// Window returns the window shown.
func (m *Model) Window() time.Duration { return windows[m.window] }

// KeyMap implements screen.Model.
func (m *Model) KeyMap() help.KeyMap { return m.keys }

// Capturing implements screen.Model: true while the sort picker is open.
func (m *Model) Capturing() bool { return m.sort.Picking() }

// SetSize implements screen.Model.
func (m *Model) SetSize(w, h int) {
	m.width, m.height = w, h
	m.cur.SetHeight(max(h-m.headerLines(), 0))
}

func (m *Model) load() tea.Cmd {
	m.loading = true
	return load(m.Ctx(), m.src, m.stream, windows[m.window], m.NewTag(kindLoad))
}

func load(ctx context.Context, src Source, stream string, window time.Duration, tag screen.Tag) tea.Cmd {
	return func() tea.Msg {
		d, err := src.StreamReport(ctx, stream, window)
		if err != nil {
			err = fmt.Errorf("CloudWatch metrics of %s: %w", stream, err)
		}
		return loadedMsg{Tag: tag, data: d, err: err}
	}
}

// Update implements screen.Model.
func (m *Model) Update(msg tea.Msg) tea.Cmd {
	if !m.Mine(msg) {
		return nil
	}
	if cmd, ok := m.updateLive(msg); ok {
		return cmd
	}
	switch msg := msg.(type) {
	case loadedMsg:
		m.loading = false
		if msg.err != nil {
			return screen.Error(msg.err)
		}
		m.data, m.loaded = msg.data, true
		m.listed = shownShards(msg.data)
		m.arrange()
		m.cur.SetHeight(max(m.height-m.headerLines(), 0))
	case screen.RefreshMsg:
		return tea.Batch(m.load(), m.Tick())
	case screen.StreamChangedMsg:
		if msg.Stream == m.stream {
			return m.load()
		}
	case tea.KeyPressMsg:
		return m.key(msg)
	case tea.MouseWheelMsg:
		keys.Scroll(msg, &m.cur)
	case tea.MouseClickMsg:
		list.Click(msg, m.headerLines(), &m.cur)
	}
	return nil
}

func (m *Model) key(msg tea.KeyPressMsg) tea.Cmd {
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
	case key.Matches(msg, k.Window):
		m.window = (m.window + 1) % len(windows)
		return m.load()
	case key.Matches(msg, k.Refresh):
		return m.load()
	case key.Matches(msg, k.Live):
		m.live.SetOn(!m.live.On())
		if !m.live.On() {
			m.stopLive()
			return nil
		}
		return m.startLive()
	case key.Matches(msg, k.Enable.Binding):
		return screen.Cmd(screen.MonitoringRequestedMsg{Stream: m.stream, Enable: true})
	case key.Matches(msg, k.Disable.Binding):
		return screen.Cmd(screen.MonitoringRequestedMsg{Stream: m.stream, Enable: false})
	}
	return nil
}

// shownShards are the rows of the table: the open shards, and the closed
// ones that had data in the window.
func shownShards(d Data) []metrics.ShardReport {
	open := make(map[string]bool, len(d.Open))
	for _, id := range d.Open {
		open[id] = true
	}
	out := make([]metrics.ShardReport, 0, len(d.Report.Shards))
	for _, s := range d.Report.Shards {
		if d.Open == nil || open[s.ID] || !s.Minute.IsZero() || hasData(s.Series) {
			out = append(out, s)
		}
	}
	return out
}

func hasData(ps []metrics.Point) bool {
	for _, p := range ps {
		if p.IncomingBytesPerSec != nil || p.OutgoingBytesPerSec != nil {
			return true
		}
	}
	return false
}
