package session

import (
	"context"
	"fmt"
	"io"
	"sort"
	"time"

	"github.com/kinspect/kinspect/kinesisx"
	"github.com/kinspect/kinspect/kinesisx/explain"
)

// settleTimeout bounds the calls Settle makes after the UI has exited.
const settleTimeout = 15 * time.Second

// Auto holds the auto-off timers of shard-level metrics turned on in this
// session, and the streams turned on with no timer, so that quitting says
// what is still on. Changed and Expire are called from the root's Update
// (the UI's monitor.Auto ticks the countdown); Settle after the UI has
// exited. Auto-off and quitting: if the user quits before a timer ends,
// Settle turns the metrics off on the way out, since nothing would be left
// to end them, and says so; nothing is left on silently.
type Auto struct {
	due    map[string]time.Time // stream → when its metrics go off
	leftOn map[string]bool      // turned on here with no timer (or a failed auto-off)
}

// NewAuto builds empty timers.
func NewAuto() *Auto {
	return &Auto{due: map[string]time.Time{}, leftOn: map[string]bool{}}
}

// Changed records the outcome, at now, of turning stream's shard-level
// metrics on (enable, with an auto-off after autoOff when positive) or
// off (byTimer: by the timer itself), failed with err.
func (a *Auto) Changed(stream string, enable bool, autoOff time.Duration, byTimer bool, err error, now time.Time) {
	if err != nil {
		if byTimer {
			a.leftOn[stream] = true // the auto-off failed: remind on exit
		}
		return
	}
	delete(a.due, stream)
	delete(a.leftOn, stream)
	switch {
	case !enable:
	case autoOff <= 0:
		a.leftOn[stream] = true
	default:
		a.due[stream] = now.Add(autoOff)
	}
}

// Pending reports whether a timer runs.
func (a *Auto) Pending() bool { return len(a.due) > 0 }

// Expire removes the timers that have ended by now and returns their
// streams, sorted: their metrics are to be turned off.
func (a *Auto) Expire(now time.Time) []string {
	var out []string
	for _, s := range a.Streams() {
		if !now.Before(a.due[s]) {
			delete(a.due, s)
			out = append(out, s)
		}
	}
	return out
}

// Streams lists the streams with a timer, sorted.
func (a *Auto) Streams() []string {
	out := make([]string, 0, len(a.due))
	for s := range a.due {
		out = append(out, s)
	}
	sort.Strings(out)
	return out
}

// Left returns how long after now the stream's metrics go off (false: no
// timer).
func (a *Auto) Left(stream string, now time.Time) (time.Duration, bool) {
	d, ok := a.due[stream]
	if !ok {
		return 0, false
	}
	return max(d.Sub(now), 0), true
}

// Disabler turns shard-level metrics off; *kinesisx.Client satisfies it.
type Disabler interface {
	DisableMonitoring(ctx context.Context, stream string, metrics []string) ([]string, error)
}

// Settle runs after the UI has exited. Streams whose timer had not ended
// by now have their metrics turned off (with a fresh, bounded context:
// the UI's may be cancelled), one line each on w; streams left on without
// a timer get a one-line reminder with the command that turns them off.
func (a *Auto) Settle(w io.Writer, d Disabler, now time.Time) {
	if w == nil {
		return
	}
	all := []string{"ALL"}
	for _, s := range a.Streams() {
		ctx, cancel := context.WithTimeout(context.Background(), settleTimeout)
		_, err := d.DisableMonitoring(ctx, s, all)
		cancel()
		if err != nil {
			fmt.Fprintf(w, "kinspect: shard-level metrics of %s are still on (turning them off failed: %s); turn them off with: %s\n",
				s, explain.Error(err), kinesisx.MonitoringCommand(s, false, all))
			continue
		}
		fmt.Fprintf(w, "kinspect: turned off shard-level metrics of %s on exit (their auto-off timer had %s left)\n", s, Countdown(max(a.due[s].Sub(now), 0)))
	}
	a.due = map[string]time.Time{}
	left := make([]string, 0, len(a.leftOn))
	for s := range a.leftOn {
		left = append(left, s)
	}
	sort.Strings(left)
	for _, s := range left {
		fmt.Fprintf(w, "kinspect: shard-level metrics of %s are still on and cost money; turn them off with: %s\n", s, kinesisx.MonitoringCommand(s, false, all))
	}
}

// Countdown spells a duration as m:ss (or h:mm:ss).
func Countdown(d time.Duration) string {
	d = d.Round(time.Second)
	h, m, s := int(d.Hours()), int(d.Minutes())%60, int(d.Seconds())%60
	if h > 0 {
		return fmt.Sprintf("%d:%02d:%02d", h, m, s)
	}
	return fmt.Sprintf("%d:%02d", m, s)
}
