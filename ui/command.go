package ui

import (
	"fmt"
	"strings"

	tea "charm.land/bubbletea/v2"

	"github.com/kinspect/kinspect/kinesisx"
	"github.com/kinspect/kinspect/ui/bench"
	"github.com/kinspect/kinspect/ui/cmdlog"
	"github.com/kinspect/kinspect/ui/consumers"
	"github.com/kinspect/kinspect/ui/metricsview"
	"github.com/kinspect/kinspect/ui/screen"
	"github.com/kinspect/kinspect/ui/streams"
)

// commandKey edits the command line; enter runs it, esc leaves it.
func (a *app) commandKey(msg tea.KeyPressMsg) tea.Cmd {
	switch msg.String() {
	case "esc":
		a.typing = false
		a.cmdline.Blur()
		return nil
	case "enter":
		a.typing = false
		a.cmdline.Blur()
		return a.run(a.cmdline.Value())
	}
	var cmd tea.Cmd
	a.cmdline, cmd = a.cmdline.Update(msg)
	return cmd
}

// run executes a command: streams, q/quit, or a screen from
// Config.Commands (consumers, metrics) on the stream on screen.
func (a *app) run(line string) tea.Cmd {
	if word, rest, _ := strings.Cut(strings.TrimSpace(line), " "); a.cfg.ArgCommands[strings.ToLower(word)] != nil {
		return a.push(a.cfg.ArgCommands[strings.ToLower(word)](a.ctx, a.id(), a.common, a.currentStream(), strings.Fields(rest)))
	}
	name := strings.ToLower(strings.TrimSpace(line))
	switch name {
	case "":
		return nil
	case "q", "quit", "q!":
		return a.quit()
	case "streams", "stream", "ls":
		// Back to the home screen: everything above it closes.
		for len(a.stack) > 1 {
			a.top().Close()
			a.stack = a.stack[:len(a.stack)-1]
		}
		a.top().SetSize(a.bodySize())
		return tea.Batch(a.top().Init(), a.top().Start())
	}
	if f, ok := a.cfg.Commands[name]; ok {
		return a.push(f(a.ctx, a.id(), a.currentStream(), a.st))
	}
	switch {
	case name == "log" && a.cfg.CallLog != nil:
		return a.push(cmdlog.New(a.ctx, a.id(), a.common, a.cfg.CallLog))
	case name == "bench" && a.cfg.Bench != nil:
		return a.openBench()
	}
	if name == "metrics" && a.cfg.Report != nil {
		stream := a.currentStream()
		if stream == "" {
			return screen.Error(fmt.Errorf(":metrics: open or select a stream first"))
		}
		return a.push(metricsview.New(a.ctx, a.id(), a.common, stream, metricsview.Deps{Source: a.cfg.Report, Tailer: a.cfg.Tailer, Session: a.sess}))
	}
	if name == "consumers" && a.cfg.Consumers != nil {
		stream := a.currentStream()
		if stream == "" {
			return screen.Error(fmt.Errorf(":consumers: open or select a stream first"))
		}
		return a.push(consumers.New(a.ctx, a.id(), a.common, stream, a.cfg.Consumers, nil))
	}
	switch name {
	case "consumers", "metrics", "log", "bench":
		return screen.Error(fmt.Errorf(":%s: %w", name, errNotYet))
	}
	return screen.Error(fmt.Errorf("unknown command :%s (try %s)", name, strings.Join(a.commands(), ", ")))
}

// openBench opens the latency lab on the stream on screen. It puts
// records: the guard refuses it in read-only mode before any screen opens.
func (a *app) openBench() tea.Cmd {
	if err := a.cfg.guard().Allow(kinesisx.ActionPut); err != nil {
		return screen.Error(fmt.Errorf(":bench: %w", err))
	}
	stream := a.currentStream()
	if stream == "" {
		return screen.Error(fmt.Errorf(":bench: open or select a stream first"))
	}
	return a.push(bench.New(a.ctx, a.id(), stream, bench.Deps{Runner: a.cfg.Bench, Styles: a.st, ReadOnly: a.cfg.ReadOnly}))
}

// currentStream is the stream of the deepest screen that has one.
func (a *app) currentStream() string {
	for i := len(a.stack) - 1; i >= 0; i-- {
		if s, ok := a.stack[i].(interface{ Stream() string }); ok {
			return s.Stream()
		}
	}
	if s, ok := a.stack[0].(*streams.Model); ok {
		return s.Selected()
	}
	return ""
}
