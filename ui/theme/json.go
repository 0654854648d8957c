package theme

import "charm.land/lipgloss/v2"

// JSONInks colour the tokens of a JSON document (the tail's detail pane).
// Without colour, keys are bold and the rest is plain text.
type JSONInks struct {
	Key, String, Number, Literal, Punct FastStyle
}

// newJSONInks derives the JSON colours from the palette's meanings: keys
// in the accent colour, strings in OK, numbers and true/false/null in warn,
// punctuation muted.
func newJSONInks(s Styles) JSONInks {
	if s.NoColor {
		return JSONInks{Key: NewFastStyle(lipgloss.NewStyle().Bold(true))}
	}
	return JSONInks{
		Key: NewFastStyle(s.Accent), String: NewFastStyle(s.OK), Number: NewFastStyle(s.Warn),
		Literal: NewFastStyle(s.Warn), Punct: NewFastStyle(s.Muted),
	}
}
