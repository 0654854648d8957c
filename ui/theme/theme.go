// Package theme turns a small set of semantic colours into the one Styles
// struct every screen renders with. Styles are built once by New and passed
// down by value; nothing here is global or mutable.
package theme

import (
	"image/color"

	"charm.land/lipgloss/v2"
)

// Theme is the palette by meaning, not by hue: screens ask for "warn", not
// "yellow", so a light terminal and NO_COLOR can change every screen at once.
type Theme struct {
	Text    color.Color
	Muted   color.Color
	Accent  color.Color
	OK      color.Color
	Warn    color.Color
	Hot     color.Color
	Badge   color.Color // background of the read-only badge
	Select  color.Color // background of the selected row
	Border  color.Color
	NoColor bool
}

// Dark is the palette for a dark terminal background.
func Dark() Theme {
	return Theme{
		Text:   lipgloss.Color("#E4E4E7"),
		Muted:  lipgloss.Color("#8B8B94"),
		Accent: lipgloss.Color("#7DD3FC"),
		OK:     lipgloss.Color("#4ADE80"),
		Warn:   lipgloss.Color("#FACC15"),
		Hot:    lipgloss.Color("#F87171"),
		Badge:  lipgloss.Color("#B91C1C"),
		Select: lipgloss.Color("#334155"),
		Border: lipgloss.Color("#52525B"),
	}
}

// Light is the palette for a light terminal background.
func Light() Theme {
	return Theme{
		Text:   lipgloss.Color("#18181B"),
		Muted:  lipgloss.Color("#6B6B76"),
		Accent: lipgloss.Color("#0369A1"),
		OK:     lipgloss.Color("#15803D"),
		Warn:   lipgloss.Color("#A16207"),
		Hot:    lipgloss.Color("#B91C1C"),
		Badge:  lipgloss.Color("#DC2626"),
		Select: lipgloss.Color("#CBD5E1"),
		Border: lipgloss.Color("#A1A1AA"),
	}
}

// Plain is the palette without colour (NO_COLOR or --no-color): every
// distinction is made with bold, reverse and faint instead.
func Plain() Theme { return Theme{NoColor: true} }

// Pick chooses the palette: Plain when noColor, else Dark or Light.
func Pick(dark, noColor bool) Theme {
	switch {
	case noColor:
		return Plain()
	case dark:
		return Dark()
	}
	return Light()
}

// Styles are the ready-made styles of every screen.
type Styles struct {
	Title    lipgloss.Style
	Header   lipgloss.Style // table column headers
	Text     lipgloss.Style
	Muted    lipgloss.Style
	Accent   lipgloss.Style
	OK       lipgloss.Style
	Warn     lipgloss.Style
	Hot      lipgloss.Style
	Error    lipgloss.Style
	Selected lipgloss.Style // the cursor row
	Badge    lipgloss.Style // RO badge
	Status   lipgloss.Style // the status line
	Footer   lipgloss.Style
	HelpKey  lipgloss.Style
	HelpDesc lipgloss.Style
	Input    lipgloss.Style
	Border   lipgloss.Style // pane separators
	BarEmpty lipgloss.Style
	NoColor  bool
	// Fast holds the hot-path styles above as FastStyles.
	Fast FastStyles
	// JSON colours JSON tokens (json.go).
	JSON JSONInks
}

// New builds the Styles of a Theme.
func New(t Theme) Styles {
	st := build(t)
	st.Fast = newFastStyles(st)
	st.JSON = newJSONInks(st)
	return st
}

func build(t Theme) Styles {
	s := lipgloss.NewStyle()
	if t.NoColor {
		return Styles{
			Title:    s.Bold(true),
			Header:   s.Bold(true),
			Text:     s,
			Muted:    s.Faint(true),
			Accent:   s.Bold(true),
			OK:       s,
			Warn:     s.Bold(true),
			Hot:      s.Bold(true).Reverse(true),
			Error:    s.Bold(true),
			Selected: s.Reverse(true),
			Badge:    s.Reverse(true).Bold(true),
			Status:   s,
			Footer:   s,
			HelpKey:  s.Bold(true),
			HelpDesc: s.Faint(true),
			Input:    s,
			Border:   s.Faint(true),
			BarEmpty: s.Faint(true),
			NoColor:  true,
		}
	}
	return Styles{
		Title:    s.Bold(true).Foreground(t.Accent),
		Header:   s.Bold(true).Foreground(t.Muted),
		Text:     s.Foreground(t.Text),
		Muted:    s.Foreground(t.Muted),
		Accent:   s.Foreground(t.Accent),
		OK:       s.Foreground(t.OK),
		Warn:     s.Foreground(t.Warn),
		Hot:      s.Foreground(t.Hot).Bold(true),
		Error:    s.Foreground(t.Hot),
		Selected: s.Background(t.Select).Foreground(t.Text),
		Badge:    s.Background(t.Badge).Foreground(lipgloss.Color("#FFFFFF")).Bold(true),
		Status:   s.Foreground(t.Muted),
		Footer:   s.Foreground(t.Muted),
		HelpKey:  s.Foreground(t.Accent).Bold(true),
		HelpDesc: s.Foreground(t.Muted),
		Input:    s.Foreground(t.Text),
		Border:   s.Foreground(t.Border),
		BarEmpty: s.Foreground(t.Border),
	}
}

// Level picks OK, Warn or Hot for a fraction of a limit: warn from 70 %,
// hot from 90 %.
func (s Styles) Level(frac float64) lipgloss.Style {
	switch {
	case frac >= 0.9:
		return s.Hot
	case frac >= 0.7:
		return s.Warn
	}
	return s.OK
}
