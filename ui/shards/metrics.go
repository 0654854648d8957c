package shards

import (
	"context"
	"fmt"
	"strings"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/kinspect/kinspect/metrics"
	"github.com/kinspect/kinspect/ui/cell"
	"github.com/kinspect/kinspect/ui/keys"
	"github.com/kinspect/kinspect/ui/screen"
)

// MetricsEvery is how often CloudWatch is asked again while the screen
// is on top: its data points are a minute apart, and calls cost money.
const MetricsEvery = time.Minute

// ShardMetric and StreamMetric are CloudWatch's figures of a shard and of
// a stream (package metrics).
type (
	ShardMetric  = metrics.ShardMetric
	StreamMetric = metrics.StreamMetric
)

// Metrics is the optional CloudWatch source of the screen.
type Metrics interface {
	StreamMetrics(ctx context.Context, stream string) (StreamMetric, error)
}

// metricsLoadedMsg is the result of a metrics poll.
type metricsLoadedMsg struct {
	screen.Tag
	metrics StreamMetric
	err     error
}

// loadMetrics polls the metrics source.
func loadMetrics(ctx context.Context, src Metrics, stream string, tag screen.Tag) tea.Cmd {
	return func() tea.Msg {
		ms, err := src.StreamMetrics(ctx, stream)
		if err != nil {
			err = fmt.Errorf("CloudWatch metrics of %s: %w", stream, err)
		}
		return metricsLoadedMsg{Tag: tag, metrics: ms, err: err}
	}
}

// cloudLine is the stream's CloudWatch summary: incoming rate with a
// sparkline of the window, iterator age, throttles, and the minutes not
// published yet.
func (m *Model) cloudLine() string {
	if m.metrics == nil {
		return ""
	}
	c := m.cloud
	st := m.st
	off := ""
	if m.loaded && len(m.stream.ShardLevelMetrics) == 0 {
		// Said plainly, first: the table's CloudWatch columns stay empty.
		off = st.Warn.Render("Shard-level metrics are off: no per-shard CloudWatch figures.")
		if keys.Offered(m.keys.MetricsOn.Binding) {
			off += st.Muted.Render(" e turns them on (costs money).")
		}
		off += "  "
	}
	if m.polled.IsZero() || (c.Minute.IsZero() && len(c.Trend) == 0) {
		return off + st.Muted.Render("CloudWatch: no data point yet (minutes are published 1–3 min late)")
	}
	// The figures are of a complete minute, named; with none yet there
	// are no figures, not zeros.
	parts := []string{"no complete minute yet"}
	if !c.Minute.IsZero() {
		parts = []string{
			cwLabel(c.Minute) + " in " + cell.Bytes(c.InBytes) + "/s " + cell.Rate(c.InRecords),
			fmt.Sprintf("iterator age %s", fmtMillis(c.IteratorAgeMs)),
			fmt.Sprintf("throttled w %.0f r %.0f", c.WriteThrottled, c.ReadThrottled),
		}
	}
	// The freshness note comes right after the trend it explains, so a
	// narrow screen cuts the figures rather than the note.
	line := off + st.Muted.Render("CloudWatch ") + cell.Trend(*st, c.Trend, c.LiveMask, c.Pending, min(30, len(c.Trend)))
	if c.Pending > 0 {
		note := fmt.Sprintf("last %d min not published yet", c.Pending)
		if c.Live > 0 {
			note = fmt.Sprintf("%d min unpublished, %d live from the tail", c.Pending, c.Live)
			if !c.LiveAt.IsZero() {
				note += fmt.Sprintf(" (as of %s ago)", max(m.now().Sub(c.LiveAt), 0).Round(time.Second))
			}
		}
		line += st.Warn.Render("  " + note)
	}
	line += st.Muted.Render("  " + strings.Join(parts, " · "))
	if c.WriteThrottled > 0 || c.ReadThrottled > 0 {
		line += " " + st.Hot.Render("throttling")
	}
	return line
}

// cwLabel names the CloudWatch minute figures are of, so they are not
// taken for the rate of this second.
func cwLabel(minute time.Time) string { return "cw " + minute.UTC().Format("15:04") }
