package find

import (
	"fmt"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/kinspect/kinspect/ui/screen"
)

func (m *Model) key(msg tea.KeyPressMsg) tea.Cmd {
	if m.typing {
		return m.inputKey(msg)
	}
	if m.keys.Nav.Move(msg, &m.cur) {
		return nil
	}
	switch {
	case key.Matches(msg, m.keys.Stop):
		m.halt()
		m.finish(stopped)
		return nil
	case key.Matches(msg, m.keys.Edit):
		m.typing = true
		m.syncKeys()
		m.input.SetValue(strings.TrimPrefix(Command(m.args.Spec, m.args.Shards), "find "))
		m.input.CursorEnd()
		return m.input.Focus()
	case key.Matches(msg, m.keys.Open):
		if len(m.matches) == 0 {
			return nil
		}
		r := m.matches[m.cur.Pos]
		return screen.Cmd(screen.OpenTailMsg{Stream: m.stream, Shards: []string{r.ShardID}, From: "at:" + r.SequenceNumber, Focus: r.SequenceNumber})
	}
	return nil
}

// inputKey edits the search's words: enter starts the search (the running
// one stops), esc leaves the input, or the screen when no search was made.
func (m *Model) inputKey(msg tea.KeyPressMsg) tea.Cmd {
	switch msg.String() {
	case "enter":
		words := strings.Fields(m.input.Value())
		if m.inputErr = m.check(words); m.inputErr != nil {
			return nil // shown under the input; the words stay to be fixed
		}
		m.halt()
		m.typing = false
		m.input.Blur()
		m.configure(words)
		return m.begin()
	case "esc":
		m.typing, m.inputErr = false, nil
		m.input.Blur()
		m.syncKeys()
		if m.req.Stream == "" { // no search was made: leave
			return screen.Cmd(screen.BackMsg{})
		}
		return nil
	}
	m.inputErr = nil
	var cmd tea.Cmd
	m.input, cmd = m.input.Update(msg)
	return cmd
}

// check says what is wrong with the words of a search, if anything.
func (m *Model) check(words []string) error {
	a, err := ParseArgs(words)
	if err != nil {
		return err
	}
	if _, _, err := a.Spec.Query(m.Now(), fieldName); err != nil {
		return fmt.Errorf("find: %w", err)
	}
	return nil
}
