package theme

import (
	"strings"
	"testing"
)

func TestNoColorHasNoColour(t *testing.T) {
	st := New(Pick(true, true))
	for _, s := range []string{st.Title.Render("x"), st.Hot.Render("x"), st.Selected.Render("x"), st.Badge.Render("RO"), st.Level(0.95).Render("x")} {
		// SGR colour parameters: 38/48 (extended) and 30-37, 40-47, 90-97.
		if strings.Contains(s, "38;") || strings.Contains(s, "48;") || strings.Contains(s, "[3") && !strings.Contains(s, "[3m") {
			t.Errorf("NoColor style renders a colour: %q", s)
		}
	}
	if !st.NoColor {
		t.Error("NoColor flag lost")
	}
}

func TestColourThemes(t *testing.T) {
	for _, dark := range []bool{true, false} {
		st := New(Pick(dark, false))
		if s := st.Hot.Render("x"); !strings.Contains(s, "38;") {
			t.Errorf("dark=%v: Hot has no colour: %q", dark, s)
		}
	}
	if Dark().Text == Light().Text {
		t.Error("light and dark palettes should differ")
	}
}

func TestLevel(t *testing.T) {
	st := New(Dark())
	tests := []struct {
		frac float64
		want string
	}{{0, "ok"}, {0.69, "ok"}, {0.7, "warn"}, {0.89, "warn"}, {0.9, "hot"}, {3, "hot"}}
	for _, tt := range tests {
		got := map[string]string{st.OK.Render("x"): "ok", st.Warn.Render("x"): "warn", st.Hot.Render("x"): "hot"}[st.Level(tt.frac).Render("x")]
		if got != tt.want {
			t.Errorf("Level(%v) = %s, want %s", tt.frac, got, tt.want)
		}
	}
}

func TestInkPaintsAsRender(t *testing.T) {
	for _, th := range []Theme{Dark(), Light(), Plain()} {
		st := New(th)
		for name, s := range map[string]struct{ ink, render string }{
			"hot":   {st.Fast.Hot.Paint("12 %"), st.Hot.Render("12 %")},
			"muted": {st.Fast.Muted.Paint("a b"), st.Muted.Render("a b")},
			"level": {st.LevelFast(0.8).Paint("x"), st.Level(0.8).Render("x")},
		} {
			if s.ink != s.render {
				t.Errorf("%s: Paint %q, Render %q", name, s.ink, s.render)
			}
		}
	}
	if got := (FastStyle{}).Paint("plain"); got != "plain" {
		t.Errorf("the zero FastStyle changed the text: %q", got)
	}
	if got := New(Dark()).Fast.Hot.Paint(""); got != "" {
		t.Errorf("painting nothing gave %q", got)
	}
}

func TestJSONInks(t *testing.T) {
	plain := New(Plain())
	if s := plain.JSON.String.Paint("x"); s != "x" {
		t.Errorf("NoColor paints JSON strings: %q", s)
	}
	if s := plain.JSON.Key.Paint("k"); s == "k" || strings.Contains(s, "38;") {
		t.Errorf("NoColor keys should be bold without colour: %q", s)
	}
	dark := New(Dark())
	seen := map[string]string{}
	for name, ink := range map[string]FastStyle{"key": dark.JSON.Key, "string": dark.JSON.String, "number": dark.JSON.Number, "punct": dark.JSON.Punct} {
		s := ink.Paint("x")
		if !strings.Contains(s, "38;") {
			t.Errorf("dark %s has no colour: %q", name, s)
		}
		if other, ok := seen[s]; ok {
			t.Errorf("dark %s and %s look the same", name, other)
		}
		seen[s] = name
	}
}
