package theme

import (
	"strings"

	"charm.land/lipgloss/v2"
)

// FastStyle is a style reduced to the escape sequences around its text. Styling
// with a FastStyle is a concatenation, where lipgloss's Render measures and lays
// out; screens use FastStyles on the paths that run for every visible cell of
// every frame (table rows, bars). It carries colours and attributes only.
// The zero FastStyle paints nothing.
type FastStyle struct{ pre, post string }

// NewFastStyle reduces a style (colours and attributes only) to a FastStyle.
func NewFastStyle(s lipgloss.Style) FastStyle {
	r := s.Render("\x00")
	i := strings.IndexByte(r, 0)
	if i < 0 {
		return FastStyle{}
	}
	return FastStyle{pre: r[:i], post: r[i+1:]}
}

// Paint wraps s in the style's sequences; s must not hold newlines.
func (k FastStyle) Paint(s string) string {
	if s == "" || k.pre == "" {
		return s
	}
	return k.pre + s + k.post
}

// FastStyles are the FastStyles of the styles used on hot paths.
type FastStyles struct {
	Text, Muted, Accent, OK, Warn, Hot, BarEmpty FastStyle
}

func newFastStyles(s Styles) FastStyles {
	return FastStyles{
		Text: NewFastStyle(s.Text), Muted: NewFastStyle(s.Muted), Accent: NewFastStyle(s.Accent),
		OK: NewFastStyle(s.OK), Warn: NewFastStyle(s.Warn), Hot: NewFastStyle(s.Hot), BarEmpty: NewFastStyle(s.BarEmpty),
	}
}

// LevelFast is Level as a FastStyle.
func (s Styles) LevelFast(frac float64) FastStyle {
	switch {
	case frac >= 0.9:
		return s.Fast.Hot
	case frac >= 0.7:
		return s.Fast.Warn
	}
	return s.Fast.OK
}
