package monitor

import (
	"context"
	"fmt"
	"io"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/kinspect/kinspect/session"
	"github.com/kinspect/kinspect/ui/screen"
)

// TickEvery is how often the countdown is redrawn while a timer runs.
const TickEvery = time.Second

// tickedMsg is a countdown tick of generation gen.
type tickedMsg struct{ gen int }

// Auto drives the session's auto-off timers (session.Auto) from the event
// loop: it records every ChangedMsg, ticks the countdown while a timer
// runs, and turns the metrics off when one ends. The root model owns one
// and passes it every message.
type Auto struct {
	ctx     context.Context
	t       Toggler
	clock   screen.Clock
	every   time.Duration
	timers  *session.Auto
	ticking bool
	gen     int
}

// NewAuto drives timers (nil: timers of its own); clock gives the time
// and the ticks (nil: the wall clock), every the countdown tick (zero:
// TickEvery).
func NewAuto(ctx context.Context, t Toggler, clock screen.Clock, every time.Duration, timers *session.Auto) *Auto {
	if clock == nil {
		clock = screen.WallClock{}
	}
	if every <= 0 {
		every = TickEvery
	}
	if timers == nil {
		timers = session.NewAuto()
	}
	return &Auto{ctx: ctx, t: t, clock: clock, every: every, timers: timers}
}

// Update arms a timer when metrics were turned on with an auto-off,
// clears it when they were turned off, and turns them off when it ends.
func (a *Auto) Update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case ChangedMsg:
		a.timers.Changed(msg.Stream, msg.Enable, msg.AutoOff, msg.ByTimer, msg.Err, a.clock.Now())
		return a.arm()
	case tickedMsg:
		if msg.gen != a.gen {
			return nil
		}
		a.ticking = false
		var cmds []tea.Cmd
		for _, s := range a.timers.Expire(a.clock.Now()) {
			cmds = append(cmds, toggle(a.ctx, a.t, 0, s, false, 0, true))
		}
		return tea.Batch(append(cmds, a.arm())...)
	}
	return nil
}

// arm starts the countdown tick if a timer runs and none is pending.
func (a *Auto) arm() tea.Cmd {
	if a.ticking || !a.timers.Pending() {
		return nil
	}
	a.ticking = true
	a.gen++
	gen := a.gen
	return a.clock.Tick(a.every, func(time.Time) tea.Msg { return tickedMsg{gen: gen} })
}

// Left returns how long until the stream's metrics go off (false: no
// timer).
func (a *Auto) Left(stream string) (time.Duration, bool) {
	return a.timers.Left(stream, a.clock.Now())
}

// Badge is the countdown for the status line: "⏱ orders metrics off in
// 29:41" (and "+N" more timers); empty when none runs.
func (a *Auto) Badge() string {
	ss := a.timers.Streams()
	if len(ss) == 0 {
		return ""
	}
	left, _ := a.Left(ss[0])
	s := fmt.Sprintf("⏱ %s metrics off in %s", ss[0], session.Countdown(left))
	if len(ss) > 1 {
		s += fmt.Sprintf(" +%d", len(ss)-1)
	}
	return s
}

// Settle runs after the UI has exited: see session.Auto.Settle.
func (a *Auto) Settle(w io.Writer) { a.timers.Settle(w, a.t, a.clock.Now()) }
