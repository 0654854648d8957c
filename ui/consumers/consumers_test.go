package consumers

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/kinspect/kinspect/kinesisx"
	"github.com/kinspect/kinspect/ui/help"
	"github.com/kinspect/kinspect/ui/internal/uitest"
	"github.com/kinspect/kinspect/ui/screen"
	"github.com/kinspect/kinspect/ui/theme"
)

var now = time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)

type fakeSource struct {
	mu       sync.Mutex
	list     []kinesisx.Consumer
	gone     []string
	pruned   time.Duration
	deregErr error
	beats    map[string]time.Time // heartbeats by consumer ARN
}

func (f *fakeSource) DescribeStream(context.Context, string) (kinesisx.Stream, error) {
	return kinesisx.Stream{Name: "orders", ARN: "arn:stream/orders"}, nil
}

func (f *fakeSource) ListConsumers(_ context.Context, arn string) ([]kinesisx.Consumer, error) {
	if arn != "arn:stream/orders" {
		return nil, errors.New("wrong stream ARN " + arn)
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]kinesisx.Consumer(nil), f.list...), nil
}

func (f *fakeSource) ReadHeartbeats(_ context.Context, cs []kinesisx.Consumer) []kinesisx.Consumer {
	f.mu.Lock()
	defer f.mu.Unlock()
	out := append([]kinesisx.Consumer(nil), cs...)
	for i := range out {
		out[i].Heartbeat = f.beats[out[i].ARN]
	}
	return out
}

func (f *fakeSource) DeregisterConsumer(_ context.Context, arn string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.deregErr != nil {
		return f.deregErr
	}
	f.gone = append(f.gone, arn)
	return nil
}

func (f *fakeSource) PruneConsumers(_ context.Context, _ string, older time.Duration) ([]kinesisx.Consumer, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.pruned = older
	return kinesisx.StaleConsumers(f.list, now, older), nil
}

func sample() *fakeSource {
	return &fakeSource{list: []kinesisx.Consumer{
		{Name: "analytics", ARN: "arn:c/analytics", Status: "ACTIVE", CreatedAt: now.Add(-72 * time.Hour)},
		{Name: "kinspect-host-0badf00d", ARN: "arn:c/old", Status: "ACTIVE", CreatedAt: now.Add(-30 * time.Hour), Kinspect: true},
		{Name: "kinspect-host-12345678", ARN: "arn:c/new", Status: "ACTIVE", CreatedAt: now.Add(-5 * time.Minute), Kinspect: true},
	}}
}

func newModel(t *testing.T, f *fakeSource, readOnly bool, w, h int) *Model {
	t.Helper()
	st := theme.New(theme.Plain())
	m := New(context.Background(), 3, screen.Common{Styles: &st, ReadOnly: readOnly}, "orders", f, func() time.Time { return now })
	m.SetSize(w, h)
	feed(m, m.Init())
	return m
}

// feed runs cmd and gives its messages back to the screen; it returns
// those meant for the root.
func feed(m *Model, cmd tea.Cmd) []any {
	var root []any
	for _, msg := range uitest.Msgs(cmd) {
		switch msg.(type) {
		case screen.InfoMsg, screen.ErrorMsg:
			root = append(root, msg)
		default:
			root = append(root, feed(m, m.Update(msg))...)
		}
	}
	return root
}

func press(m *Model, names ...string) []any {
	var out []any
	for _, n := range names {
		out = append(out, feed(m, m.Update(uitest.Key(n)))...)
	}
	return out
}

func plain(m *Model) string { return ansi.Strip(m.View()) }

func TestList(t *testing.T) {
	for _, w := range []int{60, 100, 140} {
		m := newModel(t, sample(), false, w, 10)
		s := plain(m)
		for _, want := range []string{"consumers of orders", "3 registered", "analytics", "ACTIVE", "2026-11-23 12:00:00", "3d", "30h", "5m", "yes"} {
			if w >= 100 && !strings.Contains(s, want) {
				t.Errorf("width %d: list lacks %q:\n%s", w, want, s)
			}
		}
		for _, l := range strings.Split(m.View(), "\n") {
			if lipgloss.Width(l) > w {
				t.Errorf("width %d: line too wide: %q", w, l)
			}
		}
	}
}

func TestDeregisterConfirms(t *testing.T) {
	f := sample()
	m := newModel(t, f, false, 140, 10)
	press(m, "j", "d")
	s := plain(m)
	if !strings.Contains(s, "Deregister consumer kinspect-host-0badf00d?") || !strings.Contains(s, "aws kinesis deregister-stream-consumer --consumer-arn arn:c/old") {
		t.Errorf("d should ask with the aws command:\n%s", s)
	}
	if !m.Capturing() || len(f.gone) != 0 {
		t.Fatal("nothing may happen before y")
	}
	press(m, "n")
	if len(f.gone) != 0 || m.confirm != nil {
		t.Fatal("n should cancel")
	}
	root := press(m, "d", "y")
	if len(f.gone) != 1 || f.gone[0] != "arn:c/old" {
		t.Errorf("deregistered %v", f.gone)
	}
	if len(root) == 0 || !strings.Contains(root[0].(screen.InfoMsg).Text, "deregistered kinspect-host-0badf00d") {
		t.Errorf("want a note on the status line: %v", root)
	}
	f.deregErr = errors.New("ResourceInUseException")
	root = press(m, "d", "y")
	if len(root) == 0 {
		t.Fatal("a failure should reach the status line")
	}
	if e, ok := root[0].(screen.ErrorMsg); !ok || !strings.Contains(e.Err.Error(), "ResourceInUse") {
		t.Errorf("want the error, got %v", root)
	}
}

func TestPruneOnlyStaleKinspect(t *testing.T) {
	f := sample()
	m := newModel(t, f, false, 160, 10)
	press(m, "P")
	s := plain(m)
	if !strings.Contains(s, "Deregister 1 stale kinspect consumer(s): kinspect-host-0badf00d?") {
		t.Errorf("P should name the stale kinspect consumers only:\n%s", s)
	}
	press(m, "y")
	if f.pruned != StaleAfter {
		t.Errorf("prune older than %v, want %v", f.pruned, StaleAfter)
	}
	f.list = f.list[2:] // only a fresh one left
	press(m, "r")
	root := press(m, "P")
	if m.confirm != nil || len(root) == 0 || !strings.Contains(root[0].(screen.InfoMsg).Text, "no stale kinspect consumer") {
		t.Errorf("nothing stale: no question, a note (%v)", root)
	}
}

// TestPruneGoesByHeartbeat: an old consumer whose heartbeat is fresh is in
// use by a live kinspect and is not offered for pruning; a young one whose
// heartbeat stopped is; the list says which is which.
func TestPruneGoesByHeartbeat(t *testing.T) {
	f := sample()
	f.beats = map[string]time.Time{
		"arn:c/old": now.Add(-30 * time.Second),
		"arn:c/new": now.Add(-4 * time.Minute),
	}
	m := newModel(t, f, false, 160, 10)
	s := plain(m)
	for _, want := range []string{"live 30s", "stale 4m"} {
		if !strings.Contains(s, want) {
			t.Errorf("the list should show %q:\n%s", want, s)
		}
	}
	press(m, "P")
	if s := plain(m); !strings.Contains(s, "Deregister 1 stale kinspect consumer(s): kinspect-host-12345678?") {
		t.Errorf("P should offer the consumer whose heartbeat stopped, not the live old one:\n%s", s)
	}
}

func TestReadOnlyHidesAndRefuses(t *testing.T) {
	f := sample()
	m := newModel(t, f, true, 140, 10)
	press(m, "d", "y", "P", "y")
	if len(f.gone) != 0 || f.pruned != 0 || m.confirm != nil {
		t.Error("read-only mode must not deregister")
	}
	st := theme.New(theme.Plain())
	text := ansi.Strip(strings.Join(help.Render(st, m.KeyMap().FullHelp()), "\n"))
	if strings.Contains(text, "deregister") || strings.Contains(text, "prune") {
		t.Errorf("help lists dangerous keys in read-only mode:\n%s", text)
	}
}
