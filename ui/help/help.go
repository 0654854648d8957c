// Package help is the help overlay: every binding of the screen below and
// the global ones, spelled out, in columns that fit the window.
package help

import (
	"strings"

	bhelp "charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"github.com/kinspect/kinspect/ui/cell"
	"github.com/kinspect/kinspect/ui/keys"
	"github.com/kinspect/kinspect/ui/screen"
	"github.com/kinspect/kinspect/ui/theme"
)

// Model is the help overlay. It implements screen.Model.
type Model struct {
	st            *theme.Styles
	screen        string
	local, global bhelp.KeyMap
	commands      []string
	width, height int
}

// New builds the help of a screen titled screen.
func New(st *theme.Styles, screen string, local, global bhelp.KeyMap) *Model {
	return &Model{st: st, screen: screen, local: local, global: global,
		commands: []string{":streams", ":consumers", ":metrics", ":log", ":bench", ":q"}}
}

// SetCommands replaces the command-line commands listed (read-only mode
// leaves out the dangerous ones, as it does their keys).
func (m *Model) SetCommands(cs []string) { m.commands = cs }

// Init implements screen.Model.
func (m *Model) Init() tea.Cmd { return nil }

// Start implements screen.Model.
func (m *Model) Start() tea.Cmd { return nil }

// Stop implements screen.Model.
func (m *Model) Stop() {}

// Close implements screen.Model.
func (m *Model) Close() {}

// Title implements screen.Model.
func (m *Model) Title() string { return "help" }

// Capturing is true: every key closes or is ignored by help.
func (m *Model) Capturing() bool { return true }

// SetSize implements screen.Model.
func (m *Model) SetSize(w, h int) { m.width, m.height = w, h }

// closeHelp is the binding that closes the overlay.
func closeHelp() key.Binding {
	return key.NewBinding(key.WithKeys("esc", "?", "q"), key.WithHelp("esc", "close help"))
}

// KeyMap implements screen.Model.
func (m *Model) KeyMap() bhelp.KeyMap { return keyList{closeHelp()} }

// keyList is a help.KeyMap of a few bindings.
type keyList []key.Binding

// ShortHelp implements help.KeyMap.
func (k keyList) ShortHelp() []key.Binding { return k }

// FullHelp implements help.KeyMap.
func (k keyList) FullHelp() [][]key.Binding { return [][]key.Binding{k} }

// Update closes the overlay on esc, ? or q.
func (m *Model) Update(msg tea.Msg) tea.Cmd {
	if k, ok := msg.(tea.KeyPressMsg); ok && key.Matches(k, closeHelp()) {
		return screen.Cmd(screen.BackMsg{})
	}
	return nil
}

// View implements screen.Model. Bindings flow into as many columns as the
// height needs.
func (m *Model) View() string {
	var entries []string
	entries = append(entries, m.st.Title.Render(m.screen))
	entries = append(entries, Render(*m.st, m.local.FullHelp())...)
	entries = append(entries, "", m.st.Title.Render("everywhere"))
	entries = append(entries, Render(*m.st, m.global.FullHelp())...)
	entries = append(entries, "", m.st.Title.Render("commands"))
	for _, c := range m.commands {
		entries = append(entries, "  "+m.st.HelpKey.Render(c))
	}
	for _, n := range commandNotes() {
		entries = append(entries, "  "+m.st.Muted.Render(n))
	}
	rows := max(m.height, 1)
	cols := (len(entries) + rows - 1) / rows
	// Columns narrow to share the width rather than the last ones being
	// cut off the window (80x24 has three).
	w := colWidth
	if cols > 0 && cols*w > m.width {
		w = max(m.width/cols, 1)
	}
	lines := make([]string, rows)
	for c := range cols {
		for r := 0; r < rows; r++ {
			i := c*rows + r
			entry := ""
			if i < len(entries) {
				entry = entries[i]
			}
			lines[r] += cell.Fit(entry, w)
		}
	}
	return cell.Clip(strings.Join(lines, "\n"), m.width)
}

// commandNotes say how the command line behaves (README, "Commands").
func commandNotes() []string {
	return []string{
		"tab completes commands,",
		"streams and profiles; a",
		"command replaces the",
		"screens above its stream",
	}
}

// colWidth is the width of one column of help.
const colWidth = 36

// Render lays out groups of bindings, one binding a line, "key  desc",
// skipping those not offered (disabled, or dangerous in read-only mode).
func Render(st theme.Styles, groups [][]key.Binding) []string {
	var offered []key.Help
	kw := 0 // the keys' column: the longest key, at most 12 cells
	for _, g := range groups {
		for _, b := range g {
			if !keys.Offered(b) {
				continue
			}
			offered = append(offered, b.Help())
			kw = min(max(kw, lipgloss.Width(b.Help().Key)), 12)
		}
	}
	lines := make([]string, 0, len(offered))
	for _, h := range offered {
		lines = append(lines, "  "+st.HelpKey.Render(cell.Fit(h.Key, kw))+" "+st.HelpDesc.Render(h.Desc))
	}
	return lines
}
