package ui

import (
	tea "charm.land/bubbletea/v2"

	"github.com/kinspect/kinspect/ui/screen"
)

// staleHint looks, in the background, for stale kinspect EFO consumers of
// a stream just opened and puts the line that says how to prune them on
// the status line (nil without Backends.StaleHint).
func (a *app) staleHint(stream string) tea.Cmd {
	if a.conn.StaleHint == nil {
		return nil
	}
	ctx, hint := a.ctx, a.conn.StaleHint
	return func() tea.Msg {
		if s := hint(ctx, stream); s != "" {
			return screen.InfoMsg{Text: s}
		}
		return nil
	}
}
