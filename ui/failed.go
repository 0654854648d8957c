package ui

import (
	bhelp "charm.land/bubbles/v2/help"
	tea "charm.land/bubbletea/v2"

	"github.com/kinspect/kinspect/kinesisx/explain"
	"github.com/kinspect/kinspect/ui/keys"
)

// failed stands in for a home screen whose constructor failed: it says
// why, and quitting or switching (:profile, :region) is what is left.
type failed struct {
	title string
	err   error
}

func (f *failed) Init() tea.Cmd          { return nil }
func (f *failed) Update(tea.Msg) tea.Cmd { return nil }
func (f *failed) View() string           { return explain.Error(f.err) }
func (f *failed) SetSize(int, int)       {}
func (f *failed) Title() string          { return f.title }
func (f *failed) KeyMap() bhelp.KeyMap   { return keys.NewGlobal() }
func (f *failed) Start() tea.Cmd         { return nil }
func (f *failed) Stop()                  {}
func (f *failed) Close()                 {}
func (f *failed) Capturing() bool        { return false }
