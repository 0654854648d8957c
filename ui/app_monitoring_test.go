package ui

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/kinspect/kinspect/kinesisx"
	"github.com/kinspect/kinspect/metrics"
	"github.com/kinspect/kinspect/ui/metricsview"
	"github.com/kinspect/kinspect/ui/screen"
	"github.com/kinspect/kinspect/ui/shards"
)

// fakeMonitor is the Toggler and the :metrics Source of these tests; like
// *kinesisx.Client it refuses through its guard in read-only mode.
type fakeMonitor struct {
	mu    sync.Mutex
	guard kinesisx.Guard
	calls []string
}

func (f *fakeMonitor) toggle(op, stream string) ([]string, error) {
	a := kinesisx.ActionDisableMonitoring
	if op == "on" {
		a = kinesisx.ActionEnableMonitoring
	}
	if err := f.guard.Allow(a); err != nil {
		return nil, err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls = append(f.calls, op+" "+stream)
	return nil, nil
}

func (f *fakeMonitor) EnableMonitoring(_ context.Context, s string, _ []string) ([]string, error) {
	return f.toggle("on", s)
}

func (f *fakeMonitor) DisableMonitoring(_ context.Context, s string, _ []string) ([]string, error) {
	return f.toggle("off", s)
}

func (f *fakeMonitor) got() string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return strings.Join(f.calls, ", ")
}

func (f *fakeMonitor) StreamMetrics(context.Context, string) (shards.StreamMetric, error) {
	return shards.StreamMetric{}, nil
}

func (f *fakeMonitor) StreamReport(_ context.Context, stream string, _ time.Duration) (metricsview.Data, error) {
	v := 1000.0
	r := metrics.Report{Stream: stream, EnhancedMonitoring: true}
	for i := range 2 {
		s := metrics.ShardReport{ID: fmt.Sprintf("shardId-%012d", i)}
		s.Minute, s.IncomingBytesPerSec = time.Now().Truncate(time.Minute), &v
		r.Shards = append(r.Shards, s)
	}
	return metricsview.Data{Report: r, Now: time.Now(), Lag: 3 * time.Minute}, nil
}

func TestMetricsCommand(t *testing.T) {
	fm := &fakeMonitor{}
	d := newDriver(t, setup{Stream: "orders", Report: fm, Monitor: fm}, 120, 30)
	d.keys(":", "m", "e", "t", "r", "i", "c", "s", "enter")
	s := d.screen()
	for _, want := range []string{"orders › metrics", "orders · CloudWatch · window 15m", "shardId-000000000001", "1000 B", "w window"} {
		if !strings.Contains(s, want) {
			t.Errorf("screen lacks %q:\n%s", want, s)
		}
	}
	d.checkFits(120, 30)
	d.keys("esc")
	if !strings.Contains(d.screen(), "SHARD") || strings.Contains(d.screen(), "› metrics") {
		t.Errorf("esc goes back to the stream:\n%s", d.screen())
	}
}

// TestMonitoringToggleReadOnly: in read-only mode e is not offered, and a
// request anyway (another screen, a stale key) is refused by the guard
// before any dialog opens; :bench is not listed in help.
func TestMonitoringToggleReadOnly(t *testing.T) {
	fm := &fakeMonitor{guard: kinesisx.Guard{ReadOnly: true}}
	d := newDriver(t, setup{Stream: "orders", Monitor: fm, ReadOnly: true}, 120, 30)
	d.keys("e")
	if d.a.overlay != nil {
		t.Fatal("e is hidden in read-only mode and should do nothing")
	}
	d.send(screen.MonitoringRequestedMsg{Stream: "orders", Enable: true})
	if d.a.overlay != nil || !strings.Contains(d.screen(), "enable enhanced monitoring: read-only mode refused it") {
		t.Errorf("the guard should refuse:\n%s", d.screen())
	}
	if fm.got() != "" {
		t.Errorf("calls %q", fm.got())
	}
	d.keys("?")
	h := d.screen()
	if strings.Contains(h, ":bench") || strings.Contains(h, "shard metrics on") || !strings.Contains(h, ":metrics") {
		t.Errorf("read-only help lists a dangerous action, or lacks :metrics:\n%s", h)
	}
	d.keys("esc", ":")
	if strings.Contains(d.screen(), "bench") {
		t.Errorf("the command line offers bench in read-only mode:\n%s", d.screen())
	}
}

// TestMonitoringToggleTimer: e, confirm with a 5-minute auto-off, the
// status line counts down, the timer ends and DisableMonitoring is called.
func TestMonitoringToggleTimer(t *testing.T) {
	fm := &fakeMonitor{}
	d := newDriver(t, setup{Stream: "orders", Monitor: fm, Metrics: fm}, 120, 30)
	if !strings.Contains(d.screen(), "Shard-level metrics are off") {
		t.Errorf("the stream screen should say shard metrics are off:\n%s", d.screen())
	}
	d.keys("e")
	s := d.screen()
	for _, want := range []string{"Turn on shard-level metrics · orders", "It costs money", "aws kinesis enable-enhanced-monitoring --stream-name orders --shard-level-metrics ALL", "after 30 minutes"} {
		if !strings.Contains(s, want) {
			t.Errorf("confirmation lacks %q:\n%s", want, s)
		}
	}
	d.checkFits(120, 30)
	d.keys("-", "-", "-", "-", "-") // 30 → 5 minutes
	if !strings.Contains(d.screen(), "after 5 minutes") {
		t.Fatalf("auto-off not changed:\n%s", d.screen())
	}
	d.keys("y")
	if d.a.overlay != nil {
		t.Errorf("the dialog should close once done:\n%s", d.screen())
	}
	if got := fm.got(); got != "on orders" {
		t.Errorf("calls %q, want the metrics turned on", got)
	}
	d.advance(4 * time.Minute)
	if got := fm.got(); got != "on orders" {
		t.Errorf("calls %q: the timer ended a minute early", got)
	}
	d.advance(time.Minute)
	if got := fm.got(); got != "on orders, off orders" {
		t.Errorf("calls %q, want the metrics turned on then off by the timer", got)
	}
	if s := d.screen(); !strings.Contains(s, "shard-level metrics of orders turned off: the auto-off timer ended") {
		t.Errorf("status after the timer:\n%s", s)
	}
}

// TestMonitoringCountdownBadge: an armed timer shows on the status line.
func TestMonitoringCountdownBadge(t *testing.T) {
	fm := &fakeMonitor{}
	d := newDriver(t, setup{Stream: "orders", Monitor: fm}, 120, 30)
	d.keys("e", "y")
	if s := d.screen(); !strings.Contains(s, "⏱ orders metrics off in 30:00") {
		t.Errorf("no countdown on the status line:\n%s", s)
	}
	d.checkFits(120, 30)
	d.keys("E")
	if s := d.screen(); !strings.Contains(s, "Turn off shard-level metrics · orders") || !strings.Contains(s, "timer had 30:00 left") {
		t.Errorf("E confirmation:\n%s", s)
	}
	d.keys("y")
	if s := d.screen(); strings.Contains(s, "⏱") || fm.got() != "on orders, off orders" {
		t.Errorf("E should turn them off and clear the timer (calls %q):\n%s", fm.got(), s)
	}
}
