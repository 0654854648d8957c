package ui

import (
	"fmt"

	tea "charm.land/bubbletea/v2"

	"github.com/kinspect/kinspect/kinesisx"
	"github.com/kinspect/kinspect/kinesisx/explain"
	"github.com/kinspect/kinspect/ui/monitor"
	"github.com/kinspect/kinspect/ui/screen"
)

// monitoring opens the confirmation of the shard-level metrics toggle, or
// says why it cannot: the guard refuses it in read-only mode whatever the
// screen offered.
func (a *app) monitoring(req screen.MonitoringRequestedMsg) tea.Cmd {
	action := kinesisx.ActionDisableMonitoring
	if req.Enable {
		action = kinesisx.ActionEnableMonitoring
	}
	if err := a.conn.Guard.Allow(action); err != nil {
		return screen.Error(err)
	}
	if a.conn.Monitor == nil || a.auto == nil {
		return screen.Error(fmt.Errorf("%s: %w", action, errNotYet))
	}
	if req.Stream == "" {
		return screen.Error(fmt.Errorf("%s: open or select a stream first", action))
	}
	left, _ := a.auto.Left(req.Stream)
	d := monitor.NewConfirm(a.ctx, a.id(), a.conn.Monitor, a.st, req.Stream, req.Enable, left)
	if a.overlay != nil {
		a.overlay.Close()
	}
	a.overlay = d
	d.SetSize(a.bodySize())
	return d.Init()
}

// monitoringChanged arms or clears the auto-off timer, lets the
// confirmation close (or show the error), puts the outcome on the status
// line, and tells the screens of the stream to reload.
func (a *app) monitoringChanged(msg monitor.ChangedMsg) tea.Cmd {
	var cmds []tea.Cmd
	if a.auto != nil {
		cmds = append(cmds, a.auto.Update(msg))
	}
	if a.overlay != nil {
		cmds = append(cmds, a.overlay.Update(msg))
	}
	if msg.Err != nil {
		return tea.Batch(append(cmds, a.setStatus(explain.OneLine(msg.Text()), true))...)
	}
	cmds = append(cmds, a.setStatus(explain.OneLine(msg.Text()), false))
	return tea.Batch(append(cmds, screen.Cmd(screen.StreamChangedMsg{Stream: msg.Stream}))...)
}
