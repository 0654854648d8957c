package streams

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"

	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"
	"go.uber.org/goleak"

	"github.com/kinspect/kinspect/kinesisx"
	"github.com/kinspect/kinspect/ui/internal/uitest"
	"github.com/kinspect/kinspect/ui/screen"
	"github.com/kinspect/kinspect/ui/theme"
)

// TestMain checks that the describe workers never outlive their Cmd.
func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// fakeSource answers with function fields.
type fakeSource struct {
	list     func() ([]kinesisx.StreamSummary, error)
	describe func(name string) (kinesisx.Stream, error)
}

func (f fakeSource) ListStreams(context.Context) ([]kinesisx.StreamSummary, error) { return f.list() }
func (f fakeSource) DescribeStream(_ context.Context, n string) (kinesisx.Stream, error) {
	return f.describe(n)
}

func threeStreams() fakeSource {
	return fakeSource{
		list: func() ([]kinesisx.StreamSummary, error) {
			return []kinesisx.StreamSummary{
				{Name: "orders", Status: "ACTIVE", Mode: "PROVISIONED"},
				{Name: "clicks", Status: "ACTIVE", Mode: "ON_DEMAND"},
				{Name: "logs", Status: "CREATING", Mode: "PROVISIONED"},
			}, nil
		},
		describe: func(n string) (kinesisx.Stream, error) {
			if n == "logs" {
				return kinesisx.Stream{}, errors.New("boom")
			}
			return kinesisx.Stream{Name: n, Status: "ACTIVE", OpenShards: len(n), RetentionHours: 24, Consumers: 2}, nil
		},
	}
}

// loaded builds the screen and feeds it its own load results.
func loaded(t *testing.T, src Source, w, h int) *Model {
	t.Helper()
	st := theme.New(theme.Plain())
	m := New(context.Background(), 1, screen.Common{Styles: &st, ReadOnly: false}, src)
	m.SetRefresh(0)
	m.SetSize(w, h)
	feed(m, m.Init())
	return m
}

// feed runs cmd and hands its messages (and theirs) back to the screen.
func feed(m *Model, cmd tea.Cmd) []tea.Msg {
	var out []tea.Msg
	for _, msg := range uitest.Msgs(cmd) {
		out = append(out, msg)
		out = append(out, feed(m, m.Update(msg))...)
	}
	return out
}

func TestLoadAndRender(t *testing.T) {
	m := loaded(t, threeStreams(), 100, 10)
	out := ansi.Strip(m.View())
	for _, want := range []string{"streams (3)", "NAME", "clicks", "orders", "logs", "ON_DEMAND", "24h"} {
		if !strings.Contains(out, want) {
			t.Errorf("view lacks %q:\n%s", want, out)
		}
	}
	lines := strings.Split(out, "\n")
	if len(lines) != 10 {
		t.Errorf("view has %d lines, want 10", len(lines))
	}
	for _, l := range lines {
		if w := lipgloss.Width(l); w > 100 {
			t.Errorf("line is %d cells wide: %q", w, l)
		}
	}
	// Sorted by name; logs could not be described and shows placeholders.
	if got := m.Selected(); got != "clicks" {
		t.Errorf("selected %q, want clicks (first by name)", got)
	}
	if !strings.Contains(lines[3], "…") {
		t.Errorf("undescribed stream row should show …: %q", lines[3])
	}
}

func TestDescribeErrorReported(t *testing.T) {
	st := theme.New(theme.Plain())
	m := New(context.Background(), 1, screen.Common{Styles: &st, ReadOnly: false}, threeStreams())
	m.SetSize(80, 10)
	msgs := feed(m, m.Init())
	em, ok := uitest.Find[screen.ErrorMsg](msgs)
	if !ok || !strings.Contains(em.Err.Error(), "describe stream logs") {
		t.Errorf("want an error naming the stream, got %v", msgs)
	}
}

func TestFilterAndOpen(t *testing.T) {
	m := loaded(t, threeStreams(), 80, 10)
	feed(m, m.Update(uitest.Key("/")))
	if !m.Capturing() {
		t.Fatal("/ should focus the filter")
	}
	for _, k := range uitest.Type("ORD") {
		m.Update(k)
	}
	if m.Selected() != "orders" || len(m.shown) != 1 {
		t.Errorf("filter ORD shows %d rows, selected %q", len(m.shown), m.Selected())
	}
	m.Update(uitest.Key("enter"))
	if m.Capturing() {
		t.Error("enter should leave the filter")
	}
	msgs := uitest.Msgs(m.Update(uitest.Key("enter")))
	if open, ok := uitest.Find[screen.OpenStreamMsg](msgs); !ok || open.Stream != "orders" {
		t.Errorf("enter should open orders, got %v", msgs)
	}
	m.Update(uitest.Key("/"))
	m.Update(uitest.Key("esc"))
	if len(m.shown) != 3 {
		t.Errorf("esc should clear the filter, %d rows shown", len(m.shown))
	}
}

func TestNavigation(t *testing.T) {
	m := loaded(t, threeStreams(), 80, 10)
	tests := []struct {
		key  string
		want string
	}{
		{"j", "logs"}, {"down", "orders"}, {"down", "orders"}, {"k", "logs"}, {"g", "clicks"}, {"G", "orders"},
	}
	for _, tt := range tests {
		m.Update(uitest.Key(tt.key))
		if got := m.Selected(); got != tt.want {
			t.Errorf("after %s selected %q, want %q", tt.key, got, tt.want)
		}
	}
}

func TestStaleResultsDropped(t *testing.T) {
	m := loaded(t, threeStreams(), 80, 10)
	m.Update(streamsListedMsg{Tag: screen.Tag{Screen: 1, Kind: kindLoad, Req: m.CurTag(kindLoad).Req - 1}, streams: []kinesisx.StreamSummary{{Name: "old"}}})
	m.Update(streamsListedMsg{Tag: screen.Tag{Screen: 2, Kind: kindLoad, Req: m.CurTag(kindLoad).Req}, streams: []kinesisx.StreamSummary{{Name: "other"}}})
	if strings.Contains(m.View(), "old") || strings.Contains(m.View(), "other") {
		t.Error("a stale or foreign result was applied")
	}
	// The refresh generation of a stopped screen is dead.
	old := m.CurTag(screen.KindRefresh)
	m.Stop()
	if cmd := m.Update(screen.RefreshMsg{Tag: old}); cmd != nil {
		t.Error("a stale tick reloaded")
	}
}

func TestListErrorShown(t *testing.T) {
	// The source's error already says what failed (kinesisx: "list streams: ...").
	src := fakeSource{list: func() ([]kinesisx.StreamSummary, error) { return nil, errors.New("list streams: AccessDenied") }}
	st := theme.New(theme.Plain())
	m := New(context.Background(), 1, screen.Common{Styles: &st, ReadOnly: false}, src)
	m.SetSize(80, 5)
	msgs := feed(m, m.Init())
	if em, ok := uitest.Find[screen.ErrorMsg](msgs); !ok || em.Err.Error() != "list streams: AccessDenied" {
		t.Errorf("want the list error on the status line, once, got %v", msgs)
	}
}

func TestReadOnlyHidesPut(t *testing.T) {
	for _, ro := range []bool{false, true} {
		k := NewKeyMap(ro)
		found := false
		for _, g := range k.FullHelp() {
			for _, b := range g {
				if b.Help().Desc == "put records" {
					found = true
				}
			}
		}
		if found == ro {
			t.Errorf("readOnly=%v: put listed in help = %v", ro, found)
		}
	}
}

func TestMouseWheel(t *testing.T) {
	m := loaded(t, threeStreams(), 80, 10)
	m.Update(tea.MouseWheelMsg{Button: tea.MouseWheelDown})
	if m.Selected() != "orders" {
		t.Errorf("wheel down should scroll, on %q", m.Selected())
	}
	m.Update(tea.MouseWheelMsg{Button: tea.MouseWheelUp})
	if m.Selected() != "clicks" {
		t.Errorf("wheel up should scroll back, on %q", m.Selected())
	}
}

func TestDescribeManyStreamsCancelled(t *testing.T) {
	names := make([]string, 50)
	for i := range names {
		names[i] = fmt.Sprintf("s%02d", i)
	}
	ctx, cancel := context.WithCancel(context.Background())
	calls := 0
	var mu sync.Mutex
	src := fakeSource{describe: func(string) (kinesisx.Stream, error) {
		mu.Lock()
		defer mu.Unlock()
		calls++
		if calls == 5 {
			cancel()
		}
		return kinesisx.Stream{}, nil
	}}
	msg := describeStreams(ctx, src, nil, names, screen.Tag{})().(streamsDescribedMsg)
	if len(msg.details) >= len(names) || calls >= len(names) {
		t.Errorf("cancelling should stop the workers early: %d calls, %d described", calls, len(msg.details))
	}
}

// A refresh that fails keeps the last list on screen and says how old it is.
func TestFailedRefreshMarksTheListStale(t *testing.T) {
	st := theme.New(theme.Plain())
	m := New(context.Background(), 1, screen.Common{Styles: &st, ReadOnly: false}, fakeSource{})
	m.SetSize(100, 6)
	m.Update(streamsListedMsg{Tag: m.CurTag(kindLoad), streams: []kinesisx.StreamSummary{{Name: "orders"}}})
	if strings.Contains(m.View(), "refresh failed") {
		t.Fatal("stale before any failure")
	}
	m.Update(streamsListedMsg{Tag: m.CurTag(kindLoad), err: errors.New("list streams: connection refused")})
	if v := m.View(); !strings.Contains(v, "⚠ refresh failed: as of ") || !strings.Contains(v, "orders") {
		t.Errorf("want the old list marked stale:\n%s", v)
	}
	m.Update(streamsListedMsg{Tag: m.CurTag(kindLoad), streams: []kinesisx.StreamSummary{{Name: "orders"}}})
	if strings.Contains(m.View(), "refresh failed") {
		t.Error("still stale after a refresh that worked")
	}
}

// TestShownAgainReloads: back on the list after a reshard on the stream
// screen, the list reloads at once: the shard count is the new one, not
// the one from before until the next refresh.
func TestShownAgainReloads(t *testing.T) {
	var mu sync.Mutex
	shards := 2
	src := fakeSource{
		list: func() ([]kinesisx.StreamSummary, error) {
			return []kinesisx.StreamSummary{{Name: "orders", Status: "ACTIVE", Mode: "PROVISIONED"}}, nil
		},
		describe: func(n string) (kinesisx.Stream, error) {
			mu.Lock()
			defer mu.Unlock()
			return kinesisx.Stream{Name: n, Status: "ACTIVE", OpenShards: shards, RetentionHours: 24}, nil
		},
	}
	st := theme.New(theme.Plain())
	m := New(context.Background(), 1, screen.Common{Styles: &st, ReadOnly: false}, src)
	m.SetRefresh(0) // no periodic refresh: only Start may reload
	m.SetSize(100, 6)
	feed(m, m.Init())
	m.Start()
	m.Stop() // the stream screen is pushed on top; a split happens there
	mu.Lock()
	shards = 3
	mu.Unlock()
	feed(m, m.Start())
	if row := strings.Split(ansi.Strip(m.View()), "\n")[2]; !strings.Contains(row, " 3 ") {
		t.Errorf("row %q, want the 3 open shards after the split", row)
	}
}
