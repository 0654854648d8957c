package theme

import (
	"strings"

	"charm.land/lipgloss/v2"
)

// Ink is a style reduced to the escape sequences around its text. Styling
// with an Ink is a concatenation, where lipgloss's Render measures and lays
// out; screens use Inks on the paths that run for every visible cell of
// every frame (table rows, bars). It carries colours and attributes only.
// The zero Ink paints nothing.
type Ink struct{ pre, post string }

// NewInk reduces a style (colours and attributes only) to an Ink.
func NewInk(s lipgloss.Style) Ink {
	r := s.Render("\x00")
	i := strings.IndexByte(r, 0)
	if i < 0 {
		return Ink{}
	}
	return Ink{pre: r[:i], post: r[i+1:]}
}

// Paint wraps s in the ink's sequences; s must not hold newlines.
func (k Ink) Paint(s string) string {
	if s == "" || k.pre == "" {
		return s
	}
	return k.pre + s + k.post
}

// Inks are the Inks of the styles used on hot paths.
type Inks struct {
	Text, Muted, Accent, OK, Warn, Hot, BarEmpty Ink
}

func newInks(s Styles) Inks {
	return Inks{
		Text: NewInk(s.Text), Muted: NewInk(s.Muted), Accent: NewInk(s.Accent),
		OK: NewInk(s.OK), Warn: NewInk(s.Warn), Hot: NewInk(s.Hot), BarEmpty: NewInk(s.BarEmpty),
	}
}

// LevelInk is Level as an Ink.
func (s Styles) LevelInk(frac float64) Ink {
	switch {
	case frac >= 0.9:
		return s.Ink.Hot
	case frac >= 0.7:
		return s.Ink.Warn
	}
	return s.Ink.OK
}
