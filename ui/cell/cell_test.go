package cell

import (
	"strings"
	"testing"

	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/golden"

	"github.com/kinspect/kinspect/ui/theme"
)

func TestBar(t *testing.T) {
	tests := []struct {
		frac          float64
		width         int
		filled, empty string
	}{
		{0, 4, "", "░░░░"},
		{1, 4, "████", ""},
		{2, 4, "████", ""},
		{0.5, 4, "██", "░░"},
		{0.5 + 1.0/32, 4, "██▏", "░"},
		{-1, 3, "", "░░░"},
		{0.25, 0, "", ""},
	}
	for _, tt := range tests {
		f, e := Bar(tt.frac, tt.width)
		if f != tt.filled || e != tt.empty {
			t.Errorf("Bar(%v, %d) = %q, %q; want %q, %q", tt.frac, tt.width, f, e, tt.filled, tt.empty)
		}
		if tt.width > 0 && lipgloss.Width(f+e) != tt.width {
			t.Errorf("Bar(%v, %d) is %d cells wide", tt.frac, tt.width, lipgloss.Width(f+e))
		}
	}
}

// TestGauges renders bars against limits and sparklines at a fixed width,
// colour stripped, against a golden file.
func TestGauges(t *testing.T) {
	st := theme.New(theme.Plain())
	var b strings.Builder
	for _, v := range []float64{0, 1 << 18, 1 << 19, 900_000, 1 << 20, 3 << 20} {
		line := LimitBar(st, v, 1<<20, 12)
		if w := lipgloss.Width(line); w != 17 {
			t.Errorf("LimitBar(%v) is %d cells, want 17", v, w)
		}
		b.WriteString(ansi.Strip(line) + "|\n")
	}
	for _, vs := range [][]float64{nil, {1}, {0, 1, 2, 3, 4, 5, 6, 7, 8}, {5, 5, 5}, {1, 100, 1, 100, 1, 100, 1, 100, 1, 100, 1, 100, 1}} {
		s := Sparkline(vs, 10)
		if w := lipgloss.Width(s); w != 10 {
			t.Errorf("Sparkline(%v) is %d cells, want 10", vs, w)
		}
		b.WriteString(s + "|\n")
	}
	golden.RequireEqual(t, b.String())
}

func TestFit(t *testing.T) {
	st := theme.New(theme.Dark())
	tests := []struct {
		in    string
		width int
		want  string
	}{
		{"abc", 5, "abc  "},
		{"abcdef", 4, "abc…"},
		{"日本語テキスト", 6, "日本… "},
		{st.Hot.Render("abcdef"), 4, "abc…"},
		{"x", 0, ""},
	}
	for _, tt := range tests {
		got := Fit(tt.in, tt.width)
		if ansi.Strip(got) != tt.want {
			t.Errorf("Fit(%q, %d) = %q, want %q", tt.in, tt.width, got, tt.want)
		}
		if lipgloss.Width(got) != tt.width {
			t.Errorf("Fit(%q, %d) is %d cells wide", tt.in, tt.width, lipgloss.Width(got))
		}
	}
	if got := FitLeft("7", 3); got != "  7" {
		t.Errorf("FitLeft = %q", got)
	}
	if got := Clip("abcdef\nab", 3); got != "abc\nab" {
		t.Errorf("Clip = %q", got)
	}
}

func TestNumbers(t *testing.T) {
	tests := []struct{ got, want string }{
		{Bytes(0), "0 B"},
		{Bytes(1023), "1023 B"},
		{Bytes(1536), "1.5 KiB"},
		{Bytes(2 << 20), "2.0 MiB"},
		{Count(0), "0"},
		{Count(999), "999"},
		{Count(10000), "10,000"},
		{Count(-1234567), "-1,234,567"},
		{Rate(950), "950/s"},
		{Rate(1200), "1.2k/s"},
		{Rate(3.4e6), "3.4M/s"},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("got %q, want %q", tt.got, tt.want)
		}
	}
}
