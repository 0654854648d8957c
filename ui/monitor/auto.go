package monitor

import (
	"context"
	"fmt"
	"io"
	"sort"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/kinspect/kinspect/kinesisx"
	"github.com/kinspect/kinspect/kinesisx/explain"
	"github.com/kinspect/kinspect/ui/screen"
)

// TickEvery is how often the countdown is redrawn while a timer runs.
const TickEvery = time.Second

// settleTimeout bounds the calls Settle makes after the UI has exited.
const settleTimeout = 15 * time.Second

// tickedMsg is a countdown tick of generation gen.
type tickedMsg struct{ gen int }

// Auto holds the auto-off timers of the session, and the streams turned
// on with no timer, so that quitting says what is still on. The root
// model owns one and passes it every message.
type Auto struct {
	ctx     context.Context
	t       Toggler
	clock   screen.Clock
	every   time.Duration
	due     map[string]time.Time // stream → when its metrics go off
	leftOn  map[string]bool      // turned on here with no timer (or a failed auto-off)
	ticking bool
	gen     int
}

// NewAuto builds the timers; clock gives the time and the ticks (nil: the wall clock), every the
// countdown tick (zero: TickEvery).
func NewAuto(ctx context.Context, t Toggler, clock screen.Clock, every time.Duration) *Auto {
	if clock == nil {
		clock = screen.WallClock{}
	}
	if every <= 0 {
		every = TickEvery
	}
	return &Auto{ctx: ctx, t: t, clock: clock, every: every, due: map[string]time.Time{}, leftOn: map[string]bool{}}
}

// Update arms a timer when metrics were turned on with an auto-off,
// clears it when they were turned off, and turns them off when it ends.
func (a *Auto) Update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case ChangedMsg:
		if msg.Err != nil {
			if msg.ByTimer {
				a.leftOn[msg.Stream] = true // the auto-off failed: remind on exit
			}
			return nil
		}
		delete(a.due, msg.Stream)
		delete(a.leftOn, msg.Stream)
		if !msg.Enable {
			return nil
		}
		if msg.AutoOff <= 0 {
			a.leftOn[msg.Stream] = true
			return nil
		}
		a.due[msg.Stream] = a.clock.Now().Add(msg.AutoOff)
		return a.arm()
	case tickedMsg:
		if msg.gen != a.gen {
			return nil
		}
		a.ticking = false
		now := a.clock.Now()
		var cmds []tea.Cmd
		for _, s := range a.streams() {
			if !now.Before(a.due[s]) {
				delete(a.due, s)
				cmds = append(cmds, toggle(a.ctx, a.t, 0, s, false, 0, true))
			}
		}
		return tea.Batch(append(cmds, a.arm())...)
	}
	return nil
}

// arm starts the countdown tick if a timer runs and none is pending.
func (a *Auto) arm() tea.Cmd {
	if a.ticking || len(a.due) == 0 {
		return nil
	}
	a.ticking = true
	a.gen++
	gen := a.gen
	return a.clock.Tick(a.every, func(time.Time) tea.Msg { return tickedMsg{gen: gen} })
}

// streams lists the streams with a timer, sorted.
func (a *Auto) streams() []string {
	out := make([]string, 0, len(a.due))
	for s := range a.due {
		out = append(out, s)
	}
	sort.Strings(out)
	return out
}

// Left returns how long until the stream's metrics go off (false: no
// timer).
func (a *Auto) Left(stream string) (time.Duration, bool) {
	d, ok := a.due[stream]
	if !ok {
		return 0, false
	}
	return max(d.Sub(a.clock.Now()), 0), true
}

// Badge is the countdown for the status line: "⏱ orders metrics off in
// 29:41" (and "+N" more timers); empty when none runs.
func (a *Auto) Badge() string {
	ss := a.streams()
	if len(ss) == 0 {
		return ""
	}
	left, _ := a.Left(ss[0])
	s := fmt.Sprintf("⏱ %s metrics off in %s", ss[0], Clock(left))
	if len(ss) > 1 {
		s += fmt.Sprintf(" +%d", len(ss)-1)
	}
	return s
}

// Clock spells a countdown as m:ss (or h:mm:ss).
func Clock(d time.Duration) string {
	d = d.Round(time.Second)
	h, m, s := int(d.Hours()), int(d.Minutes())%60, int(d.Seconds())%60
	if h > 0 {
		return fmt.Sprintf("%d:%02d:%02d", h, m, s)
	}
	return fmt.Sprintf("%d:%02d", m, s)
}

// Settle runs after the UI has exited. Streams whose timer had not ended
// yet have their metrics turned off now (with a fresh, bounded context:
// the UI's may be cancelled), one line each on w; streams left on without
// a timer get a one-line reminder with the command that turns them off.
func (a *Auto) Settle(w io.Writer) {
	if w == nil {
		return
	}
	for _, s := range a.streams() {
		ctx, cancel := context.WithTimeout(context.Background(), settleTimeout)
		_, err := a.t.DisableMonitoring(ctx, s, all())
		cancel()
		if err != nil {
			fmt.Fprintf(w, "kinspect: shard-level metrics of %s are still on (turning them off failed: %s); turn them off with: %s\n",
				s, explain.Error(err), kinesisx.MonitoringCommand(s, false, all()))
			continue
		}
		fmt.Fprintf(w, "kinspect: turned off shard-level metrics of %s on exit (their auto-off timer had %s left)\n", s, Clock(max(a.due[s].Sub(a.clock.Now()), 0)))
	}
	a.due = map[string]time.Time{}
	left := make([]string, 0, len(a.leftOn))
	for s := range a.leftOn {
		left = append(left, s)
	}
	sort.Strings(left)
	for _, s := range left {
		fmt.Fprintf(w, "kinspect: shard-level metrics of %s are still on and cost money; turn them off with: %s\n", s, kinesisx.MonitoringCommand(s, false, all()))
	}
}
