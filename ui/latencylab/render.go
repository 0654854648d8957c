package latencylab

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/charmbracelet/x/ansi"

	"github.com/kinspect/kinspect/kinesisx"
	"github.com/kinspect/kinspect/kinesisx/latency"
	"github.com/kinspect/kinspect/ui/cell"
	"github.com/kinspect/kinspect/ui/theme"
)

// View implements screen.Model.
func (m *Model) View() string {
	if m.width <= 0 || m.height <= 0 {
		return ""
	}
	st := *m.st
	lines := []string{st.Title.Render("Latency lab · "+m.stream) + st.Muted.Render("  polling vs enhanced fan-out, on your own stream"), ""}
	switch m.stage {
	case stageConfirm:
		// Prose and commands wrap: a narrow screen must not cut the cost
		// note or the command.
		for _, l := range m.confirmLines() {
			lines = append(lines, strings.Split(ansi.Wrap(l, m.width, " "), "\n")...)
		}
	case stageRunning:
		lines = append(lines, m.progressLines()...)
	case stageDone:
		lines = append(lines, reportLines(st, m.report, m.width)...)
	}
	for i, l := range lines {
		lines[i] = cell.Fit(l, m.width)
	}
	for len(lines) < m.height {
		lines = append(lines, "")
	}
	return strings.Join(lines[:m.height], "\n")
}

func modeNames(ms []kinesisx.Mode) string {
	names := make([]string, len(ms))
	for i, md := range ms {
		names[i] = md.String()
	}
	return strings.Join(names, " and ")
}

func hasEFO(ms []kinesisx.Mode) bool {
	for _, md := range ms {
		if md == kinesisx.ModeEFO {
			return true
		}
	}
	return false
}

func (m *Model) confirmLines() []string {
	st := m.st
	var lines []string
	if m.deps.ReadOnly {
		return append(lines, st.Warn.Render("read-only mode: the latency lab puts records, so it is refused"), "", st.Muted.Render("esc back"))
	}
	if m.deps.Runner == nil {
		return append(lines, st.Warn.Render("the latency lab is not available in this session"), "", st.Muted.Render("esc back"))
	}
	modes := m.Modes()
	dur := time.Duration(float64(m.records) / m.deps.Rate * float64(time.Second)).Round(100 * time.Millisecond)
	lines = append(lines,
		st.Warn.Render("⚠ this writes to the stream"),
		fmt.Sprintf("Put %s probe records into %s at %s/s (about %s), spread over its open shards,", cell.Count(m.records), m.stream, fmt.Sprint(m.deps.Rate), dur),
		fmt.Sprintf("and read them back through %s at the same time, from LATEST.", modeNames(modes)),
		st.Muted.Render(fmt.Sprintf("Probes have the partition key %s<run>; consumers of the stream will see them.", latency.KeyPrefix)))
	if hasEFO(modes) {
		lines = append(lines, st.Warn.Render("EFO costs money: a temporary consumer is registered, billed per consumer-shard-hour and per GB read;"),
			st.Warn.Render("it is deregistered when the run ends or is cancelled."))
	}
	lines = append(lines, "", st.Muted.Render("equivalent commands:"),
		"  "+st.Accent.Render(fmt.Sprintf("kinspect bench latency %s --records %d --rate %g --modes %s", m.stream, m.records, m.deps.Rate, strings.ReplaceAll(modeNames(modes), " and ", ","))),
		"  "+st.Accent.Render(kinesisx.PutRecordsCommand(m.stream, min(m.records, kinesisx.MaxPutRecordsEntries))),
		"", st.Title.Render("y")+" run   "+st.Title.Render("+/-")+" probes   "+st.Title.Render("m")+" modes ("+modeNames(modes)+")   "+st.Title.Render("esc")+" back")
	if m.err != nil {
		msg := m.err.Error()
		if errors.Is(m.err, context.Canceled) {
			msg = "the last run was cancelled"
		}
		lines = append(lines, "", st.Error.Render("✗ "+msg))
	}
	return lines
}

func (m *Model) progressLines() []string {
	st := m.st
	p := m.last
	lines := []string{
		st.Muted.Render(fmt.Sprintf("%s… %s elapsed", p.Phase, time.Since(m.started).Round(100*time.Millisecond))),
		fmt.Sprintf("put %s of %s probes", cell.Count(p.Put), cell.Count(m.records)),
		"",
	}
	barW := max(min(m.width-30, 40), 5)
	for _, md := range m.Modes() {
		seen := p.Seen[md]
		frac := float64(seen) / float64(max(m.records, 1))
		f, e := cell.Bar(frac, barW)
		lines = append(lines, fmt.Sprintf("%-8s ", md)+st.Accent.Render(f)+st.BarEmpty.Render(e)+fmt.Sprintf(" %s seen", cell.Count(seen)))
	}
	return append(lines, "", st.Muted.Render("esc cancels the run (the tails close; the EFO consumer is deregistered)"))
}

// ms spells a duration in milliseconds or seconds.
func ms(d time.Duration) string {
	if d >= 10*time.Second {
		return fmt.Sprintf("%.1fs", d.Seconds())
	}
	return fmt.Sprintf("%dms", d.Milliseconds())
}

// reportLines renders a report: the per-mode table, then bars comparing
// the time until the last probe arrived and the median latency.
func reportLines(st theme.Styles, rep latency.Report, width int) []string {
	lines := []string{st.Muted.Render(fmt.Sprintf("run %s · %s probes sent over %d shard(s) in %s · %d failed to put",
		rep.RunID, cell.Count(rep.Sent), len(rep.Shards), ms(rep.PutDuration), rep.PutFailed)), ""}
	cols := []string{cell.Fit("MODE", 8), cell.FitLeft("LAST", 8), cell.FitLeft("P50", 7), cell.FitLeft("P90", 7), cell.FitLeft("P99", 7),
		cell.FitLeft("MAX", 7), cell.FitLeft("BEHIND", 7), cell.FitLeft("SEEN", 6), cell.FitLeft("MISS", 5), cell.FitLeft("DUP", 4)}
	lines = append(lines, st.Header.Render(strings.Join(cols, " ")))
	for _, md := range rep.Modes {
		row := []string{cell.Fit(md.Mode.String(), 8), cell.FitLeft(ms(md.LastArrival), 8), cell.FitLeft(ms(md.P50), 7), cell.FitLeft(ms(md.P90), 7),
			cell.FitLeft(ms(md.P99), 7), cell.FitLeft(ms(md.Max), 7), cell.FitLeft(ms(time.Duration(md.MaxMillisBehindLatest)*time.Millisecond), 7),
			cell.FitLeft(cell.Count(md.Seen), 6), cell.FitLeft(fmt.Sprint(md.Missing), 5), cell.FitLeft(fmt.Sprint(md.Duplicates), 4)}
		line := strings.Join(row, " ")
		if !md.Complete() || md.Err != "" {
			line = st.Warn.Render(line)
		}
		lines = append(lines, line)
		if md.Err != "" {
			lines = append(lines, st.Error.Render("  the "+md.Mode.String()+" tail stopped: "+md.Err))
		}
	}
	barW := max(min(width-28, 60), 5)
	for _, part := range []struct {
		title string
		of    func(latency.ModeReport) time.Duration
	}{
		{"time until the last probe arrived", func(r latency.ModeReport) time.Duration { return r.LastArrival }},
		{"median delivery latency (put → received)", func(r latency.ModeReport) time.Duration { return r.P50 }},
	} {
		lines = append(lines, "", st.Header.Render(part.title))
		var top time.Duration
		for _, md := range rep.Modes {
			top = max(top, part.of(md))
		}
		for _, md := range rep.Modes {
			v := part.of(md)
			frac := 0.0
			if top > 0 {
				frac = float64(v) / float64(top)
			}
			f, e := cell.Bar(frac, barW)
			lines = append(lines, fmt.Sprintf("%-8s ", md.Mode)+st.Accent.Render(f)+st.BarEmpty.Render(e)+" "+ms(v))
		}
	}
	if w := winner(rep); w != "" {
		lines = append(lines, "", st.OK.Render(w))
	}
	return append(lines, "", st.Muted.Render("r run again · esc back"))
}

// winner says which mode's last probe arrived first, when both ran.
func winner(rep latency.Report) string {
	if len(rep.Modes) != 2 {
		return ""
	}
	a, b := rep.Modes[0], rep.Modes[1]
	if a.Seen == 0 || b.Seen == 0 {
		return ""
	}
	if b.LastArrival < a.LastArrival {
		a, b = b, a
	}
	return fmt.Sprintf("%s read the whole run %s sooner than %s", a.Mode, ms(b.LastArrival-a.LastArrival), b.Mode)
}
