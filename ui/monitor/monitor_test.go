package monitor

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
	"go.uber.org/goleak"

	"github.com/kinspect/kinspect/kinesisx"
	"github.com/kinspect/kinspect/ui/internal/uitest"
	"github.com/kinspect/kinspect/ui/screen"
	"github.com/kinspect/kinspect/ui/theme"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// call is one toggle the fake received.
type call struct {
	stream  string
	enable  bool
	metrics []string
}

// fakeToggler records calls; with guard set it refuses them as the
// client's mutation guard does in read-only mode.
type fakeToggler struct {
	mu    sync.Mutex
	calls []call
	guard kinesisx.Guard
	err   error
}

func (f *fakeToggler) do(stream string, enable bool, ms []string) ([]string, error) {
	action := kinesisx.ActionDisableMonitoring
	if enable {
		action = kinesisx.ActionEnableMonitoring
	}
	if err := f.guard.Allow(action); err != nil {
		return nil, err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls = append(f.calls, call{stream, enable, ms})
	if f.err != nil {
		return nil, f.err
	}
	if enable {
		return []string{"IncomingBytes", "IncomingRecords"}, nil
	}
	return nil, nil
}

func (f *fakeToggler) EnableMonitoring(_ context.Context, s string, ms []string) ([]string, error) {
	return f.do(s, true, ms)
}

func (f *fakeToggler) DisableMonitoring(_ context.Context, s string, ms []string) ([]string, error) {
	return f.do(s, false, ms)
}

func (f *fakeToggler) got() []call {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]call(nil), f.calls...)
}

// clock is a settable clock.
type clock struct{ t time.Time }

func (c *clock) Now() time.Time { return c.t }

func (c *clock) Tick(d time.Duration, fn func(time.Time) tea.Msg) tea.Cmd { return tea.Tick(d, fn) }

func confirm(t *testing.T, tg Toggler, enable bool) *Confirm {
	t.Helper()
	st := theme.New(theme.Plain())
	c := NewConfirm(context.Background(), 3, tg, &st, "orders", enable, 0)
	c.SetSize(100, 24)
	return c
}

func TestConfirmEnable(t *testing.T) {
	tests := []struct {
		name    string
		keys    []string
		autoOff time.Duration
		shows   string
	}{
		{"default 30 minutes", nil, 30 * time.Minute, "after 30 minutes"},
		{"longer", []string{"+", "+"}, 40 * time.Minute, "after 40 minutes"},
		{"shorter, not below 0", []string{"-", "-", "-", "-", "-", "-", "-"}, 0, "Leave them on"},
		{"none", []string{"0"}, 0, "Leave them on"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tg := &fakeToggler{}
			c := confirm(t, tg, true)
			for _, k := range tc.keys {
				c.Update(uitest.Key(k))
			}
			out := ansi.Strip(c.View())
			for _, want := range []string{tc.shows, "It costs money", "aws kinesis enable-enhanced-monitoring --stream-name orders --shard-level-metrics ALL", "y turn on"} {
				if !strings.Contains(out, want) {
					t.Errorf("confirmation lacks %q:\n%s", want, out)
				}
			}
			if len(tg.got()) != 0 {
				t.Fatal("nothing may be sent before y")
			}
			msgs := uitest.Msgs(c.Update(uitest.Key("y")))
			ch, ok := uitest.Find[ChangedMsg](msgs)
			if !ok || ch.Err != nil || !ch.Enable || ch.AutoOff != tc.autoOff || ch.ID != 3 {
				t.Fatalf("result %+v", ch)
			}
			if got := tg.got(); len(got) != 1 || !got[0].enable || got[0].stream != "orders" || strings.Join(got[0].metrics, ",") != "ALL" {
				t.Errorf("calls %+v", got)
			}
			if _, ok := uitest.Find[screen.BackMsg](uitest.Msgs(c.Update(ch))); !ok {
				t.Error("the confirmation should close once done")
			}
		})
	}
}

func TestConfirmCancelAndError(t *testing.T) {
	tg := &fakeToggler{}
	c := confirm(t, tg, false)
	if !strings.Contains(ansi.Strip(c.View()), "aws kinesis disable-enhanced-monitoring --stream-name orders --shard-level-metrics ALL") {
		t.Errorf("turning off shows the command:\n%s", ansi.Strip(c.View()))
	}
	if _, ok := uitest.Find[screen.BackMsg](uitest.Msgs(c.Update(uitest.Key("n")))); !ok || len(tg.got()) != 0 {
		t.Error("n cancels without a call")
	}
	// A refusal (read-only guard) stays on the dialog, which says why.
	ro := &fakeToggler{guard: kinesisx.Guard{ReadOnly: true}}
	c = confirm(t, ro, true)
	msgs := uitest.Msgs(c.Update(uitest.Key("y")))
	ch, _ := uitest.Find[ChangedMsg](msgs)
	if !errors.Is(ch.Err, kinesisx.ErrReadOnly) {
		t.Fatalf("want the guard's refusal, got %v", ch.Err)
	}
	if _, ok := uitest.Find[screen.BackMsg](uitest.Msgs(c.Update(ch))); ok {
		t.Error("a failed toggle should keep the dialog open")
	}
	if out := ansi.Strip(c.View()); !strings.Contains(out, "read-only mode refused it") {
		t.Errorf("the dialog should show the refusal:\n%s", out)
	}
	if len(ro.got()) != 0 {
		t.Error("the guard refused: nothing sent")
	}
}

func TestAutoOff(t *testing.T) {
	tg := &fakeToggler{}
	clk := &clock{t: time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)}
	a := NewAuto(context.Background(), tg, clk, time.Millisecond, nil)
	if a.Badge() != "" {
		t.Fatal("no timer, no badge")
	}
	if a.Update(ChangedMsg{Stream: "orders", Enable: true, AutoOff: 30 * time.Minute}) == nil {
		t.Fatal("arming should start the countdown tick")
	}
	if got := a.Badge(); got != "⏱ orders metrics off in 30:00" {
		t.Errorf("badge %q", got)
	}
	// Ticks before the deadline redraw only.
	clk.t = clk.t.Add(29*time.Minute + 1*time.Second)
	for _, m := range uitest.Msgs(a.Update(tickedMsg{gen: a.gen})) {
		if _, ok := m.(ChangedMsg); ok {
			t.Fatal("turned off too early")
		}
	}
	if got := a.Badge(); got != "⏱ orders metrics off in 0:59" {
		t.Errorf("badge %q", got)
	}
	// A stale tick does nothing.
	if a.Update(tickedMsg{gen: a.gen - 1}) != nil {
		t.Error("stale tick")
	}
	// The deadline: DisableMonitoring is called, by the timer.
	clk.t = clk.t.Add(time.Minute)
	ch, ok := uitest.Find[ChangedMsg](uitest.Msgs(a.Update(tickedMsg{gen: a.gen})))
	if !ok || !ch.ByTimer || ch.Enable || ch.Stream != "orders" {
		t.Fatalf("timer result %+v", ch)
	}
	if got := tg.got(); len(got) != 1 || got[0].enable || got[0].stream != "orders" {
		t.Errorf("calls %+v", got)
	}
	a.Update(ch)
	if a.Badge() != "" {
		t.Errorf("badge after the timer: %q", a.Badge())
	}
	var out bytes.Buffer
	a.Settle(&out)
	if out.Len() != 0 || len(tg.got()) != 1 {
		t.Errorf("nothing left to settle: %q", out.String())
	}
}

func TestSettle(t *testing.T) {
	tests := []struct {
		name  string
		msgs  []ChangedMsg
		err   error
		calls int
		want  []string
	}{
		{"pending timer is turned off on exit", []ChangedMsg{{Stream: "orders", Enable: true, AutoOff: 30 * time.Minute}}, nil, 1,
			[]string{"kinspect: turned off shard-level metrics of orders on exit (their auto-off timer had 30:00 left)"}},
		{"no timer: reminder", []ChangedMsg{{Stream: "logs", Enable: true}}, nil, 0,
			[]string{"kinspect: shard-level metrics of logs are still on and cost money; turn them off with: aws kinesis disable-enhanced-monitoring --stream-name logs --shard-level-metrics ALL"}},
		{"turned off by hand: nothing", []ChangedMsg{{Stream: "orders", Enable: true, AutoOff: time.Minute}, {Stream: "orders"}}, nil, 0, nil},
		{"failed exit call: reminder", []ChangedMsg{{Stream: "orders", Enable: true, AutoOff: time.Minute}}, errors.New("boom"), 1,
			[]string{"shard-level metrics of orders are still on (turning them off failed: boom)"}},
		{"failed auto-off: reminder", []ChangedMsg{{Stream: "orders", Enable: true, AutoOff: time.Minute}, {Stream: "orders", ByTimer: true, Err: errors.New("x")}}, nil, 1,
			[]string{"kinspect: turned off shard-level metrics of orders on exit"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tg := &fakeToggler{err: tc.err}
			clk := &clock{t: time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)}
			a := NewAuto(context.Background(), tg, clk, time.Hour, nil)
			for _, m := range tc.msgs {
				a.Update(m)
			}
			var out bytes.Buffer
			a.Settle(&out)
			if n := len(tg.got()); n != tc.calls {
				t.Errorf("%d calls, want %d", n, tc.calls)
			}
			for _, w := range tc.want {
				if !strings.Contains(out.String(), w) {
					t.Errorf("output lacks %q:\n%s", w, out.String())
				}
			}
			if tc.want == nil && out.Len() != 0 {
				t.Errorf("want no output, got %q", out.String())
			}
		})
	}
}
