package streams

import (
	"context"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/kinspect/kinspect/kinesisx"
	"github.com/kinspect/kinspect/ui/internal/uitest"
	"github.com/kinspect/kinspect/ui/screen"
	"github.com/kinspect/kinspect/ui/theme"
)

// fourStreams: shards 2, 8, 4 and one that fails to describe; rates make
// "a" the busiest per shard, "d" unknown.
func fourStreams(t *testing.T, w int) *Model {
	t.Helper()
	shards := map[string]int{"a": 2, "b": 8, "c": 4}
	src := fakeSource{
		list: func() ([]kinesisx.StreamSummary, error) {
			return []kinesisx.StreamSummary{{Name: "c"}, {Name: "a"}, {Name: "d"}, {Name: "b"}}, nil
		},
		describe: func(n string) (kinesisx.Stream, error) {
			if n == "d" {
				return kinesisx.Stream{}, context.DeadlineExceeded
			}
			return kinesisx.Stream{Name: n, Status: "ACTIVE", OpenShards: shards[n]}, nil
		},
	}
	st := theme.New(theme.Plain())
	m := New(context.Background(), 1, screen.Common{Styles: &st}, src)
	m.SetMetrics(fakeRates{"a": 1.5 * (1 << 20), "b": 2 * (1 << 20), "c": 0.5 * (1 << 20)})
	m.SetRefresh(0)
	m.SetSize(w, 10)
	feed(m, m.Init())
	return m
}

func names(m *Model) string {
	var out []string
	for _, i := range m.shown {
		out = append(out, m.rows[i].sum.Name)
	}
	return strings.Join(out, " ")
}

func TestStreamsSort(t *testing.T) {
	for _, w := range []int{80, 120} {
		m := fourStreams(t, w)
		if got := names(m); got != "a b c d" {
			t.Fatalf("listed by name: %s", got)
		}
		m.Update(uitest.Key("down")) // b
		for _, c := range []struct {
			keys   []string
			want   string
			header string
		}{
			{[]string{"o", "s"}, "b c a d", "SHARDS ↓"},
			{[]string{"o", "s"}, "a c b d", "SHARDS ↑"},
			// a: 75%, b: 25%, c: 12.5%; d unknown, last.
			{[]string{"o", "u"}, "a b c d", "IN (CloudWatch) ↓"},
			{[]string{"o", "n", "o", "n"}, "d c b a", "NAME ↓"},
			{[]string{"o", "-"}, "a b c d", ""},
		} {
			for _, k := range c.keys {
				m.Update(uitest.Key(k))
			}
			if got := names(m); got != c.want {
				t.Errorf("%d: after %v: %s, want %s", w, c.keys, got, c.want)
			}
			out := ansi.Strip(m.View())
			header := strings.Split(out, "\n")[1]
			switch {
			case c.header == "" && strings.ContainsAny(header, "↑↓"):
				t.Errorf("%d: as listed, the header marks a column: %q", w, header)
			case c.header == "IN (CloudWatch) ↓" && w < 100:
				if !strings.Contains(out, "sorted by utilisation ↓") {
					t.Errorf("%d: without the column the title says the order:\n%s", w, out)
				}
			case c.header != "" && !strings.Contains(strings.ReplaceAll(header, " ", ""), strings.ReplaceAll(c.header, " ", "")):
				t.Errorf("%d: header %q lacks %q", w, header, c.header)
			}
			if m.Selected() != "b" {
				t.Errorf("%d: after %v the cursor is on %q, want b", w, c.keys, m.Selected())
			}
		}
	}
}

func TestStreamsSortSurvivesFilterAndReload(t *testing.T) {
	m := fourStreams(t, 120)
	m.Update(uitest.Key("o"))
	if !m.Capturing() || !strings.Contains(ansi.Strip(m.View()), "u utilisation") {
		t.Fatalf("o should open the picker:\n%s", ansi.Strip(m.View()))
	}
	m.Update(uitest.Key("s"))
	m.Update(uitest.Key("/"))
	for _, k := range uitest.Type("b") {
		m.Update(k)
	}
	m.Update(uitest.Key("enter"))
	if names(m) != "b" {
		t.Errorf("filter: %s", names(m))
	}
	m.Update(uitest.Key("/"))
	m.Update(uitest.Key("esc")) // clears the filter
	if names(m) != "b c a d" {
		t.Errorf("after the filter: %s", names(m))
	}
	feed(m, m.reload())
	if names(m) != "b c a d" || m.Selected() != "b" {
		t.Errorf("after a reload: %s, cursor on %s", names(m), m.Selected())
	}
}

func TestStreamsClick(t *testing.T) {
	for _, w := range []int{80, 120} {
		m := fourStreams(t, w)
		m.Update(tea.MouseClickMsg{Button: tea.MouseLeft, Y: 4})
		if m.Selected() != "c" {
			t.Errorf("%d: a click on line 4 (the third row) selected %q", w, m.Selected())
		}
		m.Update(tea.MouseClickMsg{Button: tea.MouseLeft, Y: 1}) // the header
		m.Update(tea.MouseClickMsg{Button: tea.MouseLeft, Y: 7}) // under the rows
		if m.Selected() != "c" {
			t.Errorf("%d: a click off the rows moved the cursor to %q", w, m.Selected())
		}
	}
}
