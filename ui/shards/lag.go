package shards

import (
	"context"
	"time"

	tea "charm.land/bubbletea/v2"

	klag "github.com/kinspect/kinspect/kinesisx/lag"
	"github.com/kinspect/kinspect/kinesisx/retention"
	"github.com/kinspect/kinspect/ui/cell"
	"github.com/kinspect/kinspect/ui/screen"
	"github.com/kinspect/kinspect/ui/theme"
)

// LagSource reads the lag of a stream's consuming applications (KCL lease
// tables): the APP LAG column. It has the shape of ui/lag's Source. When
// Deps.Lag is nil and Deps.Source also implements it, the Source is used.
type LagSource interface {
	Lag(ctx context.Context, stream string) (klag.Report, error)
}

// LagEvery is how often the application lag is read again while the
// screen is on top: each read scans the lease tables and reads one or two
// records per shard, so it is kept well apart.
const LagEvery = 30 * time.Second

// The APP LAG column: its width, and the screen width from which there
// is room for it.
const (
	appLagWidth = 16
	appLagFrom  = 90
)

const kindLag = "lag"

// lagLoadedMsg is the result of a read of the application lag.
type lagLoadedMsg struct {
	screen.Tag
	report klag.Report
	err    error
}

// appLag is the worst application's lag on one shard.
type appLag struct {
	app    string
	behind int64 // MillisBehindLatest; -1 when not measured
	risk   *retention.Risk
}

// lagState is what the screen keeps of the application lag.
type lagState struct {
	src    LagSource
	polled time.Time
	shards map[string]appLag // empty: no application, no DynamoDB, or not read yet
}

// pollLag reads the application lag, if there is a source.
func (m *Model) pollLag() tea.Cmd {
	if m.lag.src == nil {
		return nil
	}
	m.lag.polled = m.now()
	return loadLag(m.Ctx(), m.lag.src, m.name, m.NewTag(kindLag))
}

// pollLagIfDue reads it again once LagEvery has passed.
func (m *Model) pollLagIfDue() tea.Cmd {
	if m.now().Sub(m.lag.polled) < LagEvery {
		return nil
	}
	return m.pollLag()
}

func loadLag(ctx context.Context, src LagSource, stream string, tag screen.Tag) tea.Cmd {
	return func() tea.Msg {
		rep, err := src.Lag(ctx, stream)
		return lagLoadedMsg{Tag: tag, report: rep, err: err}
	}
}

// setLag keeps, per shard, the application whose oldest unread record is
// oldest (then the furthest behind). Errors hide the column when nothing
// could be read; the :lag screen says what went wrong.
func (m *Model) setLag(msg lagLoadedMsg) {
	worst := map[string]appLag{}
	keep := msg.report.Retention
	for _, a := range msg.report.Applications {
		for _, s := range a.Shards {
			if s.State == klag.StateEnded || s.MillisBehindLatest == nil && s.CheckpointAge <= 0 {
				continue
			}
			al := appLag{app: a.Name, behind: -1}
			if s.MillisBehindLatest != nil {
				al.behind = *s.MillisBehindLatest
			}
			if keep > 0 && s.CheckpointAge > 0 {
				r := retention.Assess(keep, m.riskThreshold, []retention.ShardAge{{ShardID: s.ShardID, IteratorAge: s.CheckpointAge}})[0]
				al.risk = &r
			}
			if w, ok := worst[s.ShardID]; !ok || age(al) > age(w) || age(al) == age(w) && al.behind > w.behind {
				worst[s.ShardID] = al
			}
		}
	}
	m.lag.shards = worst
}

func age(a appLag) time.Duration {
	if a.risk == nil {
		return 0
	}
	return a.risk.IteratorAge
}

// lagLayout is the layout with room for the APP LAG column when there is
// application lag to show and the width allows it: the other columns are
// laid out as for a screen that much narrower.
func (m *Model) lagLayout() layout {
	if len(m.lag.shards) == 0 || m.width < appLagFrom {
		return newLayout(m.width, m.lineage)
	}
	l := newLayout(m.width-appLagWidth-1, m.lineage)
	l.width, l.appLag = m.width, true
	return l
}

// appLagCell is a shard's APP LAG cell: the worst application's lag and
// its name, in the ink of its retention clock.
func appLagCell(st theme.Styles, a *appLag) string {
	if a == nil {
		return st.Fast.Muted.Paint(cell.Fit("–", appLagWidth))
	}
	lag := "?"
	if a.behind >= 0 {
		lag = fmtMillis(a.behind)
	}
	return riskInk(st, a.risk).Paint(cell.Fit(lag+" "+a.app, appLagWidth))
}

// lagOf is the APP LAG of one shard (nil when none).
func (m *Model) lagOf(shardID string) *appLag {
	if a, ok := m.lag.shards[shardID]; ok {
		return &a
	}
	return nil
}

// lagNote is the selected shard's worst application, for the info line.
func (m *Model) lagNote(shardID string) string {
	a := m.lagOf(shardID)
	if a == nil {
		return ""
	}
	note := "  app " + a.app
	if a.behind >= 0 {
		note += " " + fmtMillis(a.behind) + " behind"
	}
	if a.risk != nil && a.risk.AtRisk() {
		return riskInk(*m.st, a.risk).Paint(note + ", " + fmtLeft(a.risk.Left) + " left")
	}
	return m.st.Muted.Render(note)
}
