// Package latencylab is the latency lab screen (`:bench`, or b on the stream
// screen): it puts timestamped probe records into the stream and reads
// them back through a polling tail and an enhanced fan-out tail at once
// (kinesisx/latency), then compares the modes: time until the last probe
// arrived, delivery latency percentiles, MillisBehindLatest, and probes
// seen, missed or duplicated.
//
// It puts records and registers a consumer, so it opens on a confirmation
// that says so (with the EFO cost note) and is refused in read-only mode.
// The run is one Cmd that owns it; progress travels through a lossy
// one-slot channel (the newest value wins) and the report is the Cmd's own
// message. esc pops the screen, and Close cancels the run's context: the
// tails close, and the EFO tail deregisters its consumer.
package latencylab

import (
	"context"
	"fmt"
	"time"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/kinspect/kinspect/kinesisx"
	"github.com/kinspect/kinspect/kinesisx/latency"
	"github.com/kinspect/kinspect/ui/theme"
)

// Defaults of the TUI's runs: smaller than the CLI's 4,000 so that a run
// takes seconds; + and - change the count.
const (
	DefaultRecords = 1000
	DefaultRate    = 500
)

// Runner runs the lab; cmd adapts latency.Run over *kinesisx.Client.
type Runner interface {
	RunLatency(ctx context.Context, opts latency.Options) (latency.Report, error)
}

// Deps are what the screen needs.
type Deps struct {
	Runner   Runner
	Styles   *theme.Styles
	ReadOnly bool
	Records  int     // 0: DefaultRecords
	Rate     float64 // 0: DefaultRate
	Timeout  time.Duration
}

// stage is where the screen is.
type stage int

const (
	stageConfirm stage = iota
	stageRunning
	stageDone
)

// progressMsg is one progress report of run runID.
type progressMsg struct {
	viewID, runID int
	p             latency.Progress
}

// finishedMsg is the end of run runID.
type finishedMsg struct {
	viewID, runID int
	report        latency.Report
	err           error
}

// modeSets are the mode choices m cycles through.
var modeSets = [][]kinesisx.Mode{{kinesisx.ModePolling, kinesisx.ModeEFO}, {kinesisx.ModePolling}, {kinesisx.ModeEFO}}

// KeyMap are the screen's bindings.
type KeyMap struct {
	Run, More, Fewer, Modes, Again key.Binding
}

// ShortHelp implements help.KeyMap.
func (k KeyMap) ShortHelp() []key.Binding {
	out := []key.Binding{}
	for _, b := range []key.Binding{k.Run, k.More, k.Fewer, k.Modes, k.Again} {
		if b.Enabled() {
			out = append(out, b)
		}
	}
	return out
}

// FullHelp implements help.KeyMap.
func (k KeyMap) FullHelp() [][]key.Binding { return [][]key.Binding{k.ShortHelp()} }

// Model is the latency lab screen.
type Model struct {
	id     int
	ctx    context.Context
	cancel context.CancelFunc
	deps   Deps
	st     *theme.Styles
	stream string
	keys   KeyMap

	stage   stage
	records int
	modes   int // index into modeSets
	runID   int
	prog    chan latency.Progress
	done    chan struct{}
	last    latency.Progress
	started time.Time
	report  latency.Report
	err     error

	width, height int
}

// New builds the screen on a stream; it opens on the confirmation.
func New(ctx context.Context, id int, stream string, d Deps) *Model {
	if d.Records <= 0 {
		d.Records = DefaultRecords
	}
	if d.Rate <= 0 {
		d.Rate = DefaultRate
	}
	m := &Model{id: id, ctx: ctx, deps: d, st: d.Styles, stream: stream, records: d.Records,
		keys: KeyMap{
			Run:   key.NewBinding(key.WithKeys("y", "enter"), key.WithHelp("y", "run")),
			More:  key.NewBinding(key.WithKeys("+", "="), key.WithHelp("+", "more probes")),
			Fewer: key.NewBinding(key.WithKeys("-"), key.WithHelp("-", "fewer")),
			Modes: key.NewBinding(key.WithKeys("m"), key.WithHelp("m", "modes")),
			Again: key.NewBinding(key.WithKeys("r"), key.WithHelp("r", "run again")),
		}}
	m.syncKeys()
	return m
}

func (m *Model) syncKeys() {
	form := m.stage == stageConfirm && !m.deps.ReadOnly && m.deps.Runner != nil
	m.keys.Run.SetEnabled(form)
	m.keys.More.SetEnabled(form)
	m.keys.Fewer.SetEnabled(form)
	m.keys.Modes.SetEnabled(form)
	m.keys.Again.SetEnabled(m.stage == stageDone && !m.deps.ReadOnly)
}

// Init implements screen.Model.
func (m *Model) Init() tea.Cmd { return nil }

// Start implements screen.Model: a run in flight goes on under help.
func (m *Model) Start() tea.Cmd { return nil }

// Stop cancels a run in flight: only the top screen reads Kinesis.
func (m *Model) Stop() { m.abort() }

// Close cancels a run in flight.
func (m *Model) Close() { m.abort() }

func (m *Model) abort() {
	m.runID++
	if m.cancel != nil {
		m.cancel()
		m.cancel = nil
	}
	if m.stage == stageRunning {
		m.stage, m.err = stageConfirm, context.Canceled
		m.syncKeys()
	}
}

// Title implements screen.Model.
func (m *Model) Title() string { return "latency lab " + m.stream }

// KeyMap implements screen.Model.
func (m *Model) KeyMap() help.KeyMap { return m.keys }

// Capturing implements screen.Model.
func (m *Model) Capturing() bool { return false }

// SetSize implements screen.Model.
func (m *Model) SetSize(w, h int) { m.width, m.height = w, h }

// Stream returns the stream the lab probes.
func (m *Model) Stream() string { return m.stream }

// Modes returns the modes the next run compares.
func (m *Model) Modes() []kinesisx.Mode { return modeSets[m.modes] }

// Update implements screen.Model.
func (m *Model) Update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case progressMsg:
		if msg.viewID != m.id || msg.runID != m.runID || m.stage != stageRunning {
			return nil
		}
		m.last = msg.p
		return wait(m.prog, m.done, m.id, m.runID)
	case finishedMsg:
		if msg.viewID != m.id || msg.runID != m.runID {
			return nil
		}
		m.cancel = nil
		m.report, m.err = msg.report, msg.err
		m.stage = stageDone
		if msg.err != nil {
			m.stage = stageConfirm
		}
		m.syncKeys()
	case tea.KeyPressMsg:
		return m.key(msg)
	}
	return nil
}

func (m *Model) key(msg tea.KeyPressMsg) tea.Cmd {
	k := m.keys
	switch {
	case key.Matches(msg, k.Run):
		return m.run()
	case key.Matches(msg, k.More):
		m.records = min(m.records*2, 16000)
	case key.Matches(msg, k.Fewer):
		m.records = max(m.records/2, 125)
	case key.Matches(msg, k.Modes):
		m.modes = (m.modes + 1) % len(modeSets)
	case key.Matches(msg, k.Again):
		m.stage, m.err = stageConfirm, nil
		m.syncKeys()
	}
	return nil
}

// run starts the lab in a Cmd; its progress comes through m.prog.
func (m *Model) run() tea.Cmd {
	if m.deps.Runner == nil || m.deps.ReadOnly {
		return nil
	}
	m.abort()
	m.stage, m.err, m.last, m.started = stageRunning, nil, latency.Progress{Phase: "starting"}, time.Now()
	m.syncKeys()
	ctx, cancel := context.WithCancel(m.ctx)
	m.cancel = cancel
	m.prog, m.done = make(chan latency.Progress, 1), make(chan struct{})
	opts := latency.Options{Stream: m.stream, Records: m.records, Rate: m.deps.Rate, Modes: m.Modes(), Timeout: m.deps.Timeout}
	return tea.Batch(runLab(ctx, m.deps.Runner, opts, m.prog, m.done, m.id, m.runID), wait(m.prog, m.done, m.id, m.runID))
}

// runLab runs the lab; the runner is the only writer of prog and closes
// done when it returns.
func runLab(ctx context.Context, r Runner, opts latency.Options, prog chan latency.Progress, done chan struct{}, viewID, runID int) tea.Cmd {
	return func() tea.Msg {
		defer close(done)
		opts.Progress = func(p latency.Progress) { offer(prog, copyProgress(p)) }
		rep, err := r.RunLatency(ctx, opts)
		if err != nil {
			err = fmt.Errorf("latency lab on %s: %w", opts.Stream, err)
		}
		return finishedMsg{viewID: viewID, runID: runID, report: rep, err: err}
	}
}

// copyProgress copies the map the lab goes on writing.
func copyProgress(p latency.Progress) latency.Progress {
	seen := make(map[kinesisx.Mode]int, len(p.Seen))
	for k, v := range p.Seen {
		seen[k] = v
	}
	p.Seen = seen
	return p
}

// offer puts p in the one-slot channel, replacing an unread value.
func offer(ch chan latency.Progress, p latency.Progress) {
	for range 2 {
		select {
		case ch <- p:
			return
		default:
		}
		select {
		case <-ch:
		default:
		}
	}
}

// wait returns the next progress value, or nil once the run returned
// (a value still unread then is delivered first).
func wait(prog chan latency.Progress, done chan struct{}, viewID, runID int) tea.Cmd {
	return func() tea.Msg {
		select {
		case p := <-prog:
			return progressMsg{viewID: viewID, runID: runID, p: p}
		default:
		}
		select {
		case p := <-prog:
			return progressMsg{viewID: viewID, runID: runID, p: p}
		case <-done:
			return nil
		}
	}
}
