// Package shards is the stream screen: the shards table with throughput
// bars against the per-shard limits, a lineage tree, and partition-key
// lookup.
//
// Data comes from Cmds that capture the Source, a context and a request ID;
// stale results are dropped. While the screen is the top of the stack it
// reloads every RefreshEvery (so a split shows up) and, when a Metrics
// source is set, polls it. Live rates come from its own rates-only tail
// (on from the start on a small stream, L toggles, see live.go), which
// runs only while the screen is on top; a tail screen above it also feeds
// its sparklines through screen.ShardRatesMsg.
package shards

import (
	"context"
	"math"
	"time"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"

	"github.com/kinspect/kinspect/kinesisx"
	"github.com/kinspect/kinspect/kinesisx/retention"
	"github.com/kinspect/kinspect/session"
	"github.com/kinspect/kinspect/ui/keys"
	"github.com/kinspect/kinspect/ui/screen"
	"github.com/kinspect/kinspect/ui/screen/list"
	"github.com/kinspect/kinspect/ui/scroll"
	"github.com/kinspect/kinspect/ui/tail"
	"github.com/kinspect/kinspect/ui/theme"
)

// Per-shard write and read limits of Kinesis (provisioned mode).
const (
	LimitInBytes   = 1 << 20 // 1 MiB/s
	LimitInRecords = 1000    // records/s
	LimitOutBytes  = 2 << 20 // 2 MiB/s, shared by polling readers
)

// RefreshEvery is how often the shard list reloads while on top.
const RefreshEvery = 10 * time.Second

// historyLen is how many one-second samples a sparkline keeps.
const historyLen = 60

// Source is what the screen reads; *kinesisx.Client satisfies it.
type Source interface {
	DescribeStream(ctx context.Context, stream string) (kinesisx.Stream, error)
	ListShards(ctx context.Context, stream string) ([]kinesisx.Shard, error)
}

// shardsLoadedMsg is the result of describing the stream and listing shards.
type shardsLoadedMsg struct {
	screen.Tag
	stream kinesisx.Stream
	shards []kinesisx.Shard
	err    error
}

// The kinds of the screen's requests: a newer one drops an older one's
// result.
const (
	kindLoad    = "load"
	kindMetrics = "metrics"
)

// Model is the stream screen.
type Model struct {
	frameRisks map[string]retention.Risk // set while View runs (risk.go)

	screen.Base
	src     Source
	metrics Metrics
	tailer  screen.Tailer
	traffic *session.Traffic
	now     func() time.Time
	st      *theme.Styles
	keys    KeyMap
	name    string

	stream  kinesisx.Stream
	shards  []kinesisx.Shard
	tree    []treeRow
	live    map[string]kinesisx.ShardProgress
	history map[string][]float64
	sampled map[string]time.Time
	metric  map[string]ShardMetric
	cloud   StreamMetric
	polled  time.Time // when metrics were last asked for

	cur        scroll.Cursor
	lineage    bool
	view       []int     // the flat table's shard indexes: shown, in order (sort.go)
	sort       list.Sort // the flat table's order (o)
	hideClosed bool      // c: the flat table hides closed shards
	lookup     textinput.Model
	typing     bool
	found      lookupResult

	hot           bool          // the hot-key panel replaces the table
	riskThreshold time.Duration // retention risk under this; 0: retention.DefaultThreshold

	tail        tail.Live // the live rates tail (L, live.go)
	lag         lagState  // the APP LAG column (lag.go)
	liveFrom    time.Time // when it last opened
	liveAt      time.Time // when its newest batch was measured
	liveDecided bool      // the first load decided whether it starts on its own
	onTop       bool      // not covered (Stop): the screen may read Kinesis
	autoMax     int       // Deps.AutoLiveMax

	loaded        bool
	loadedAt      time.Time // the last load that succeeded
	staleErr      bool      // the refresh after it failed
	width, height int
}

// Deps are what the screen reads from.
type Deps struct {
	Source  Source
	Metrics Metrics       // optional: CloudWatch
	Tailer  screen.Tailer // optional: live rates (L)
	// RiskThreshold marks a shard at retention risk when less than this is
	// left (zero: a quarter of the retention, at least an hour).
	RiskThreshold time.Duration
	// Now is the clock of the sparkline sampling (nil: the Common clock).
	Now func() time.Time
	// Session, if set, is given every batch of the live rates tail, on the
	// event loop: its traffic feeds the hot-key panel (h) and the split
	// dialog's median, its live counts the CloudWatch minutes not
	// published yet.
	Session *session.Session
	// AutoLiveMax is the widest stream (open shards) whose live rates
	// start on their own: zero is what the read budget allows (AutoLive),
	// positive lowers that bound, negative never.
	AutoLiveMax int
	// Lag, if set, reads the consuming applications' lag for the APP LAG
	// column (lag.go); nil uses Source if it is a LagSource.
	Lag LagSource
}

// New builds the screen for one stream.
func New(ctx context.Context, id int, c screen.Common, stream string, d Deps) *Model {
	ti := screen.Input("key: ", "partition key")
	if d.Now == nil {
		d.Now = c.Now
	}
	keys := NewKeyMap(c.ReadOnly)
	keys.Live.SetEnabled(d.Tailer != nil)
	if l, ok := d.Source.(LagSource); ok && d.Lag == nil {
		d.Lag = l
	}
	var tr *session.Traffic
	if d.Session != nil {
		tr = d.Session.Traffic
	}
	return &Model{
		Base: screen.NewBase(ctx, id, c, RefreshEvery),
		src:  d.Source, metrics: d.Metrics, tailer: d.Tailer, st: c.Styles, name: stream,
		now:           d.Now,
		riskThreshold: d.RiskThreshold,
		traffic:       tr,
		onTop:         true, // a new screen is pushed on top
		autoMax:       d.AutoLiveMax,
		keys:          keys,
		live:          map[string]kinesisx.ShardProgress{},
		tail:          tail.NewLive(id, "live rates of", d.Session),
		lag:           lagState{src: d.Lag},
		history:       map[string][]float64{},
		sampled:       map[string]time.Time{},
		lookup:        ti,
		sort:          newSort(),
	}
}

// Init loads the stream and its shards.
func (m *Model) Init() tea.Cmd { return m.reload() }

// Start arms the refresh, polls the metrics (if any) and reopens the live
// rates tail if it was on.
func (m *Model) Start() tea.Cmd {
	clear(m.live) // what a tail above saw is no longer live
	m.onTop = true
	cmds := []tea.Cmd{m.Base.Start(), m.pollMetrics(), m.startLive(), m.pollLagIfDue()}
	if m.loaded {
		cmds = append(cmds, m.reload())
	}
	return tea.Batch(cmds...)
}

// Stop disarms the refresh and closes the live rates tail: only the top
// screen reads Kinesis.
func (m *Model) Stop() {
	m.onTop = false
	m.Base.Stop()
	m.stopLive()
}

// Close releases the live rates tail for good.
func (m *Model) Close() {
	m.onTop = false
	m.Base.Close()
	m.stopLive()
}

// Title implements screen.Model.
func (m *Model) Title() string { return m.name }

// KeyMap implements screen.Model.
func (m *Model) KeyMap() help.KeyMap { return m.keys }

// Capturing reports whether the key lookup input or the sort picker has
// the focus.
func (m *Model) Capturing() bool { return m.typing || m.sort.Picking() }

// SetSize implements screen.Model.
func (m *Model) SetSize(w, h int) {
	m.width, m.height = w, h
	m.lookup.SetWidth(max(min(40, w/3), 1))
	m.cur.SetHeight(max(h-m.headerLines(), 0))
}

func (m *Model) reload() tea.Cmd {
	return loadShards(m.Ctx(), m.src, m.name, m.NewTag(kindLoad))
}

func (m *Model) pollMetrics() tea.Cmd {
	if m.metrics == nil {
		return nil
	}
	m.polled = m.now()
	return loadMetrics(m.Ctx(), m.metrics, m.name, m.NewTag(kindMetrics))
}

// loadShards describes the stream and lists its shards.
func loadShards(ctx context.Context, src Source, stream string, tag screen.Tag) tea.Cmd {
	return func() tea.Msg {
		msg := shardsLoadedMsg{Tag: tag}
		// The source's errors say what failed and on which stream.
		msg.stream, msg.err = src.DescribeStream(ctx, stream)
		if msg.err != nil {
			return msg
		}
		msg.shards, msg.err = src.ListShards(ctx, stream)
		return msg
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
	case shardsLoadedMsg:
		if msg.err != nil {
			m.staleErr = m.loaded
			return screen.Error(msg.err)
		}
		m.loaded, m.loadedAt, m.staleErr = true, m.now(), false
		m.setShards(msg.stream, msg.shards)
		m.dropClosedLive()
		m.traffic.SetShards(m.name, msg.shards)
		return m.autoLive()
	case metricsLoadedMsg:
		if msg.err != nil {
			return screen.Error(msg.err)
		}
		m.cloud, m.metric = msg.metrics, msg.metrics.Shards
		if m.sortsByRates() {
			m.arrange()
		}
	case screen.RefreshMsg:
		cmds := []tea.Cmd{m.reload(), m.Tick(), m.pollLagIfDue()}
		if m.now().Sub(m.polled) >= MetricsEvery {
			cmds = append(cmds, m.pollMetrics())
		}
		return tea.Batch(cmds...)
	case lagLoadedMsg:
		m.setLag(msg)
	case screen.StreamChangedMsg:
		if msg.Stream == m.name {
			return m.reload()
		}
	case screen.ShardRatesMsg:
		if msg.Stream == m.name {
			m.observe(msg)
		}
	case tea.KeyPressMsg:
		return m.key(msg)
	case tea.MouseWheelMsg:
		keys.Scroll(msg, &m.cur)
	case tea.MouseClickMsg:
		if !m.hot {
			list.Click(msg, m.headerLines(), &m.cur)
		}
	}
	return nil
}

// setShards installs a new shard list and keeps the cursor on the same
// shard.
func (m *Model) setShards(s kinesisx.Stream, shards []kinesisx.Shard) {
	sel := m.Selected()
	m.stream, m.shards = s, shards
	m.tree = buildTree(shards)
	m.arrangeFrom(sel.ID)
	if m.found.query != "" {
		m.found = lookupKey(m.shards, m.found.query)
	}
}

// observe records live rates and samples the sparkline history once a
// second per shard. A shard the tail reports closed reads zero from then
// on (its bar must not freeze at its last rate); seconds nobody sampled
// (the reader was paused) are gaps in the history, not zeros.
func (m *Model) observe(msg screen.ShardRatesMsg) {
	m.liveAt = msg.At
	for id, p := range msg.Shards {
		if p.Closed {
			p.Rates = kinesisx.Rates{}
		}
		m.live[id] = p
		last, ok := m.sampled[id]
		if ok && msg.At.Sub(last) < time.Second {
			continue
		}
		m.sampled[id] = msg.At
		h := m.history[id]
		if missed := int(msg.At.Sub(last)/time.Second) - 1; ok && missed > 0 {
			for range min(missed, historyLen) {
				h = append(h, math.NaN())
			}
		}
		v := p.Rates.BytesPerSec1s
		if msg.At.Sub(m.liveFrom) < liveSecondWhole {
			v = math.NaN() // the rates tail's first seconds: not a whole second of records
		}
		h = append(h, v)
		if len(h) > historyLen {
			h = h[len(h)-historyLen:]
		}
		m.history[id] = h
	}
	if m.sortsByRates() {
		m.arrange()
	}
}

// dropClosedLive zeroes the live rates of the shards a reload found
// closed: a tail may never report them again.
func (m *Model) dropClosedLive() {
	for _, s := range m.shards {
		if p, ok := m.live[s.ID]; ok && !s.Open {
			p.Rates, p.Closed = kinesisx.Rates{}, true
			m.live[s.ID] = p
		}
	}
}

// order returns the shard index shown at row i (tree order in lineage
// mode, else the flat table's, sorted and filtered).
func (m *Model) order(i int) int {
	if m.lineage {
		return m.tree[i].idx
	}
	return m.view[i]
}

// Selected returns the shard under the cursor (zero Shard if none).
func (m *Model) Selected() kinesisx.Shard {
	if m.cur.Pos < 0 || m.cur.Pos >= m.rowCount() {
		return kinesisx.Shard{}
	}
	return m.shards[m.order(m.cur.Pos)]
}

func (m *Model) selectID(id string) {
	if id == "" {
		return
	}
	for i := range m.rowCount() {
		if m.shards[m.order(i)].ID == id {
			m.cur.Set(i)
			return
		}
	}
}

// Stream returns the stream on screen.
func (m *Model) Stream() string { return m.name }
