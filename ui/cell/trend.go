package cell

import (
	"math"
	"strings"

	"github.com/kinspect/kinspect/ui/theme"
)

// Gap and Pending are the cells of a trend with no value: a gap (no data
// point, or a live reader that was paused) and one of the trailing minutes
// CloudWatch has not published yet (or the minute still open).
const (
	Gap     = '·'
	Pending = '…'
)

// Trend draws the last width values of a series (oldest first) as a
// sparkline right-aligned in width cells. NaN is no value: the trailing
// pending ones are drawn as Pending, the others as Gap, never as the
// lowest bar, which would read as an outage. Values marked in live (nil:
// none) are drawn in the warn ink, so they read as estimates beside the
// published ones; the rest in the accent ink.
func Trend(st theme.Styles, values []float64, live []bool, pending, width int) string {
	if width <= 0 {
		return ""
	}
	if len(values) > width {
		cut := len(values) - width
		values = values[cut:]
		if len(live) > cut {
			live = live[cut:]
		} else {
			live = nil
		}
	}
	clean := make([]float64, len(values))
	for i, v := range values {
		if !math.IsNaN(v) {
			clean[i] = v
		}
	}
	r := []rune(Sparkline(clean, len(clean)))
	var b strings.Builder
	b.WriteString(strings.Repeat(" ", width-len(values)))
	run, inLive := []rune{}, false
	flush := func() {
		if len(run) == 0 {
			return
		}
		ink := st.Fast.Accent
		if inLive {
			ink = st.Fast.Warn
		}
		b.WriteString(ink.Paint(string(run)))
		run = run[:0]
	}
	for i, v := range values {
		c := r[i]
		switch {
		case !math.IsNaN(v):
		case i >= len(values)-pending:
			c = Pending
		default:
			c = Gap
		}
		isLive := i < len(live) && live[i]
		if isLive != inLive {
			flush()
			inLive = isLive
		}
		run = append(run, c)
	}
	flush()
	return b.String()
}
