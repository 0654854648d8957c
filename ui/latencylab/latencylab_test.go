package latencylab

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/golden"
	"go.uber.org/goleak"

	"github.com/kinspect/kinspect/kinesisx"
	"github.com/kinspect/kinspect/kinesisx/latency"
	"github.com/kinspect/kinspect/ui/internal/uitest"
	"github.com/kinspect/kinspect/ui/theme"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// fakeRunner runs the lab with a function field.
type fakeRunner struct {
	run func(ctx context.Context, o latency.Options) (latency.Report, error)
}

func (f fakeRunner) RunLatency(ctx context.Context, o latency.Options) (latency.Report, error) {
	return f.run(ctx, o)
}

func sampleReport() latency.Report {
	return latency.Report{Stream: "orders", RunID: "6257e2a9", Shards: []string{"s0", "s1", "s2", "s3"}, Records: 1000, Sent: 1000,
		PutDuration: 1998 * time.Millisecond,
		Modes: []latency.ModeReport{
			{Mode: kinesisx.ModePolling, Seen: 1000, LastArrival: 2997 * time.Millisecond, P50: 506 * time.Millisecond, P90: 906 * time.Millisecond,
				P99: 996 * time.Millisecond, Max: 1008 * time.Millisecond, MaxMillisBehindLatest: 800},
			{Mode: kinesisx.ModeEFO, Seen: 998, Missing: 2, LastArrival: 1999 * time.Millisecond, P50: 3 * time.Millisecond, P90: 9 * time.Millisecond,
				P99: 40 * time.Millisecond, Max: 52 * time.Millisecond},
		}}
}

func newModel(t *testing.T, d Deps) *Model {
	t.Helper()
	st := theme.New(theme.Plain())
	d.Styles = &st
	m := New(context.Background(), 4, "orders", d)
	m.SetSize(100, 30)
	t.Cleanup(m.Close)
	return m
}

func plain(m *Model) string { return ansi.Strip(m.View()) }

// TestRunFlow confirms, runs with progress and shows the report.
func TestRunFlow(t *testing.T) {
	var got latency.Options
	m := newModel(t, Deps{Runner: fakeRunner{run: func(_ context.Context, o latency.Options) (latency.Report, error) {
		got = o
		o.Progress(latency.Progress{Phase: "putting", Put: 400, Seen: map[kinesisx.Mode]int{kinesisx.ModePolling: 100, kinesisx.ModeEFO: 390}})
		return sampleReport(), nil
	}}})
	out := plain(m)
	for _, want := range []string{"this writes to the stream", "Put 1,000 probe records into orders", "polling and efo",
		"EFO costs money", "deregistered", "kinspect bench latency orders --records 1000 --rate 500 --modes polling,efo", "aws kinesis put-records"} {
		if !strings.Contains(out, want) {
			t.Errorf("confirmation lacks %q:\n%s", want, out)
		}
	}
	m.Update(uitest.Key("+"))
	m.Update(uitest.Key("m")) // polling only
	m.Update(uitest.Key("m")) // efo only
	m.Update(uitest.Key("m")) // both again
	cmd := m.Update(uitest.Key("y"))
	if m.stage != stageRunning || cmd == nil {
		t.Fatal("y should start the run")
	}
	batch, ok := cmd().(tea.BatchMsg)
	if !ok || len(batch) != 2 {
		t.Fatalf("want the run and its progress wait, got %T", batch)
	}
	finished := batch[0]() // runs the lab: progress is offered, then the report
	next := m.Update(batch[1]())
	if out := plain(m); !strings.Contains(out, "putting…") || !strings.Contains(out, "put 400 of 2,000 probes") || !strings.Contains(out, "390 seen") {
		t.Errorf("progress not shown:\n%s", out)
	}
	if next == nil || next() != nil {
		t.Error("after the run ends the progress wait returns nil")
	}
	m.Update(finished)
	if got.Records != 2000 || got.Rate != DefaultRate || len(got.Modes) != 2 || got.Stream != "orders" {
		t.Errorf("options %+v", got)
	}
	out = plain(m)
	for _, want := range []string{"MODE", "polling", "efo", "2997ms", "506ms", "1,000", "998", "efo read the whole run 998ms sooner than polling", "r run again"} {
		if !strings.Contains(out, want) {
			t.Errorf("report lacks %q:\n%s", want, out)
		}
	}
	m.Update(uitest.Key("r"))
	if m.stage != stageConfirm {
		t.Error("r should go back to the confirmation")
	}
}

// TestReportGolden renders the report at two widths.
func TestReportGolden(t *testing.T) {
	st := theme.New(theme.Plain())
	var b strings.Builder
	for _, w := range []int{80, 120} {
		for _, l := range reportLines(st, sampleReport(), w) {
			if lw := ansi.StringWidth(l); lw > w {
				t.Errorf("width %d: a line of %d cells: %q", w, lw, ansi.Strip(l))
			}
			b.WriteString(ansi.Strip(l) + "\n")
		}
	}
	golden.RequireEqual(t, b.String())
}

// TestCancel: closing the screen (esc pops it) cancels the run's context,
// and the runner's late result is dropped.
func TestCancel(t *testing.T) {
	started := make(chan struct{})
	m := newModel(t, Deps{Runner: fakeRunner{run: func(ctx context.Context, _ latency.Options) (latency.Report, error) {
		close(started)
		<-ctx.Done()
		return latency.Report{}, ctx.Err()
	}}})
	batch := m.Update(uitest.Key("y"))().(tea.BatchMsg)
	done := make(chan tea.Msg, 1)
	go func() { done <- batch[0]() }()
	<-started
	m.Close()
	select {
	case msg := <-done:
		m.Update(msg)
	case <-time.After(5 * time.Second):
		t.Fatal("closing the screen should cancel the run")
	}
	if m.stage != stageConfirm || !strings.Contains(plain(m), "the last run was cancelled") {
		t.Errorf("stage %d:\n%s", m.stage, plain(m))
	}
}

func TestRefusedOrUnavailable(t *testing.T) {
	tests := []struct {
		name string
		d    Deps
		want string
	}{
		{"read-only", Deps{ReadOnly: true, Runner: fakeRunner{}}, "read-only mode"},
		{"no runner", Deps{}, "not available"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := newModel(t, tt.d)
			if cmd := m.Update(uitest.Key("y")); cmd != nil || m.stage != stageConfirm {
				t.Error("y must not run")
			}
			if !strings.Contains(plain(m), tt.want) {
				t.Errorf("want %q:\n%s", tt.want, plain(m))
			}
			for _, b := range m.KeyMap().ShortHelp() {
				if b.Help().Desc == "run" {
					t.Error("help must not offer run")
				}
			}
		})
	}
}

func TestRunError(t *testing.T) {
	m := newModel(t, Deps{Runner: fakeRunner{run: func(context.Context, latency.Options) (latency.Report, error) {
		return latency.Report{}, errors.New("stream orders has 20 open shards")
	}}})
	batch := m.Update(uitest.Key("y"))().(tea.BatchMsg)
	m.Update(batch[0]())
	if out := plain(m); !strings.Contains(out, "✗ latency lab on orders: stream orders has 20 open shards") {
		t.Errorf("the error should show on the confirmation:\n%s", out)
	}
}

// TestConfirmationWrapsWhenNarrow: at 60 cells nothing of the cost note
// or the commands is cut.
func TestConfirmationWrapsWhenNarrow(t *testing.T) {
	m := newModel(t, Deps{Runner: fakeRunner{}})
	m.SetSize(60, 30)
	v := m.View()
	for _, l := range strings.Split(v, "\n") {
		if w := ansi.StringWidth(l); w > 60 {
			t.Errorf("line of %d cells: %q", w, ansi.Strip(l))
		}
	}
	flat := strings.Join(strings.Fields(ansi.Strip(v)), " ")
	for _, want := range []string{"billed per consumer-shard-hour and per GB read", "it is deregistered when the run ends or is cancelled",
		"--records file://records.json # 500 records", "modes polling,efo"} {
		if !strings.Contains(flat, want) {
			t.Errorf("narrow confirmation lacks %q:\n%s", want, ansi.Strip(v))
		}
	}
}
