package help

import (
	"strings"
	"testing"

	"charm.land/bubbles/v2/key"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/kinspect/kinspect/ui/internal/uitest"
	"github.com/kinspect/kinspect/ui/keys"
	"github.com/kinspect/kinspect/ui/screen"
	"github.com/kinspect/kinspect/ui/theme"
)

type local []key.Binding

func (l local) ShortHelp() []key.Binding  { return l }
func (l local) FullHelp() [][]key.Binding { return [][]key.Binding{l} }

func TestHelp(t *testing.T) {
	st := theme.New(theme.Plain())
	w := keys.NewWrite(true)
	m := New(&st, "orders", local{key.NewBinding(key.WithKeys("t"), key.WithHelp("t", "tail stream")), w.Split.Binding}, keys.NewGlobal())
	for _, size := range [][2]int{{100, 30}, {80, 8}} {
		m.SetSize(size[0], size[1])
		out := m.View()
		plain := ansi.Strip(out)
		for _, want := range []string{"orders", "tail stream", "everywhere", "quit", ":streams"} {
			if !strings.Contains(plain, want) {
				t.Errorf("%v: help lacks %q:\n%s", size, want, plain)
			}
		}
		if strings.Contains(plain, "split") {
			t.Errorf("%v: a disabled key is listed", size)
		}
		lines := strings.Split(out, "\n")
		if len(lines) != size[1] {
			t.Errorf("%v: %d lines", size, len(lines))
		}
		for _, l := range lines {
			if lipgloss.Width(l) > size[0] {
				t.Errorf("%v: line too wide: %q", size, ansi.Strip(l))
			}
		}
	}
	for _, k := range []string{"esc", "?", "q"} {
		if _, ok := uitest.Find[screen.BackMsg](uitest.Msgs(m.Update(uitest.Key(k)))); !ok {
			t.Errorf("%s should close help", k)
		}
	}
	if m.Update(uitest.Key("x")) != nil {
		t.Error("other keys do nothing")
	}
}

// TestHelpFitsItsColumns: at 80x24 a screen's help takes three columns;
// they share the width instead of the third being cut off the window.
func TestHelpFitsItsColumns(t *testing.T) {
	st := theme.New(theme.Plain())
	var l local
	for _, k := range strings.Split("abcdefghijklmnoprstuvwxyzABCDEFGHIJKLMNOP", "") {
		l = append(l, key.NewBinding(key.WithKeys(k), key.WithHelp(k, "does "+k)))
	}
	m := New(&st, "orders", l, keys.NewGlobal())
	m.SetCommands([]string{":streams", ":region name", ":q"})
	m.SetSize(80, 24)
	plain := ansi.Strip(m.View())
	for _, want := range []string{"does P", ":region name", "tab completes", "screens above its stream"} {
		if !strings.Contains(plain, want) {
			t.Errorf("80x24: help lacks %q:\n%s", want, plain)
		}
	}
}
