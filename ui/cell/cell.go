// Package cell has the small pure renderers the screens share: throughput
// bars against a limit, sparklines, fixed-width cells and human numbers.
// Everything here is a function of its arguments; widths are terminal
// cells measured with lipgloss, never bytes.
package cell

import (
	"fmt"
	"math"
	"strings"

	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/kinspect/kinspect/ui/theme"
)

// eighths are the partial blocks of a bar, from 1/8 to 8/8.
var eighths = []rune{'▏', '▎', '▍', '▌', '▋', '▊', '▉', '█'}

// sparks are the levels of a sparkline, lowest to highest.
var sparks = []rune{'▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'}

// Bar splits width cells into the filled part for frac (0..1, clamped) and
// the empty rest, using eighth blocks for the partial cell. NaN is empty.
func Bar(frac float64, width int) (filled, empty string) {
	if width <= 0 {
		return "", ""
	}
	if math.IsNaN(frac) || frac < 0 {
		frac = 0
	}
	frac = min(frac, 1)
	units := int(math.Round(frac * float64(width*8)))
	full, part := units/8, units%8
	var b strings.Builder
	b.WriteString(strings.Repeat("█", full))
	used := full
	if part > 0 {
		b.WriteRune(eighths[part-1])
		used++
	}
	return b.String(), strings.Repeat("░", width-used)
}

// LimitBar draws value against limit in width cells, coloured by how close
// it is to the limit, followed by the percentage. It is exactly width+5
// cells wide.
func LimitBar(st theme.Styles, value, limit float64, width int) string {
	frac := 0.0
	if limit > 0 {
		frac = value / limit
	}
	filled, empty := Bar(frac, width)
	lvl := st.LevelFast(frac)
	pct := fmt.Sprintf("%4.0f%%", math.Min(frac*100, 999))
	return lvl.Paint(filled) + st.Fast.BarEmpty.Paint(empty) + lvl.Paint(pct)
}

// Sparkline draws the last width values scaled to their maximum; fewer
// values are right-aligned (padded with spaces on the left).
func Sparkline(values []float64, width int) string {
	if width <= 0 {
		return ""
	}
	if len(values) > width {
		values = values[len(values)-width:]
	}
	top := 0.0
	for _, v := range values {
		if v > top {
			top = v
		}
	}
	var b strings.Builder
	b.WriteString(strings.Repeat(" ", width-len(values)))
	for _, v := range values {
		i := 0
		if top > 0 && v > 0 {
			i = int(math.Ceil(v/top*float64(len(sparks)))) - 1
			i = max(0, min(i, len(sparks)-1))
		}
		b.WriteRune(sparks[i])
	}
	return b.String()
}

// Fit truncates s (which may hold ANSI styles) to width cells with an
// ellipsis, and pads it with spaces to exactly width cells.
func Fit(s string, width int) string {
	s, pad := fit(s, width)
	return s + pad
}

// FitLeft is Fit with the padding on the left (right-aligned numbers).
func FitLeft(s string, width int) string {
	s, pad := fit(s, width)
	return pad + s
}

// fit truncates s to width cells with an ellipsis and returns the spaces
// that pad it to exactly width (both empty for no width).
func fit(s string, width int) (string, string) {
	if width <= 0 {
		return "", ""
	}
	w := lipgloss.Width(s)
	if w > width {
		s = ansi.Truncate(s, width, "…")
		w = lipgloss.Width(s)
	}
	return s, strings.Repeat(" ", width-w)
}

// Clip truncates every line of a block to width cells, so no line is
// wider than the window.
func Clip(block string, width int) string {
	lines := strings.Split(block, "\n")
	for i, l := range lines {
		if lipgloss.Width(l) > width {
			lines[i] = ansi.Truncate(l, width, "")
		}
	}
	return strings.Join(lines, "\n")
}

// Bytes spells a byte count with binary units: 512 B, 1.5 KiB, 2.0 MiB.
func Bytes(n float64) string {
	const unit = 1024
	if n < unit {
		return fmt.Sprintf("%.0f B", n)
	}
	units := []string{"KiB", "MiB", "GiB", "TiB"}
	v := n / unit
	i := 0
	for v >= unit && i < len(units)-1 {
		v /= unit
		i++
	}
	return fmt.Sprintf("%.1f %s", v, units[i])
}

// Count spells a count with thousands separators: 10,000.
func Count(n int) string {
	s := fmt.Sprint(n)
	if n < 0 {
		return "-" + Count(-n)
	}
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	return b.String()
}

// Rate spells a per-second rate compactly: 950/s, 1.2k/s, 3.4M/s.
func Rate(v float64) string {
	switch {
	case v >= 1e6:
		return fmt.Sprintf("%.1fM/s", v/1e6)
	case v >= 1e3:
		return fmt.Sprintf("%.1fk/s", v/1e3)
	}
	return fmt.Sprintf("%.0f/s", v)
}
