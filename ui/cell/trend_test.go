package cell

import (
	"math"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"github.com/kinspect/kinspect/ui/theme"
)

// TestTrendMarks: no value is a gap or pending, never the lowest bar; the
// minutes a live tail filled are drawn in their own ink, apart from
// CloudWatch's published minutes.
func TestTrendMarks(t *testing.T) {
	st := theme.New(theme.Dark())
	nan := math.NaN()
	tests := []struct {
		name     string
		trend    []float64
		mask     []bool
		pending  int
		width    int
		wantText string
		live     string // the run drawn in the live ink ("" for none)
	}{
		{name: "no live minute", trend: []float64{1, 2, nan, 4}, pending: 1, width: 4, wantText: "▂▄·█"},
		{name: "padded to the width", trend: []float64{1, 2, nan, 4}, width: 6, wantText: "  ▂▄·█"},
		{name: "trailing pending", trend: []float64{4, nan, nan}, pending: 2, width: 3, wantText: "█……"},
		{name: "the last two live", trend: []float64{8, nan, 4, 8}, mask: []bool{false, false, true, true}, pending: 3, width: 4, wantText: "█…▄█", live: "▄█"},
		{name: "cut to the width keeps the mask aligned", trend: []float64{8, 1, 2, 8}, mask: []bool{false, false, false, true}, pending: 1, width: 2, wantText: "▂█", live: "█"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Trend(st, tt.trend, tt.mask, tt.pending, tt.width)
			if plain := ansi.Strip(got); plain != tt.wantText {
				t.Errorf("text %q, want %q", plain, tt.wantText)
			}
			if tt.live != "" && !strings.Contains(got, st.Fast.Warn.Paint(tt.live)) {
				t.Errorf("%q should be in the live ink: %q", tt.live, got)
			}
			if tt.live == "" && got != strings.Repeat(" ", tt.width-len(tt.trend))+st.Fast.Accent.Paint(strings.TrimLeft(tt.wantText, " ")) {
				t.Errorf("without live minutes the trend is one run in the CloudWatch ink: %q", got)
			}
		})
	}
}
