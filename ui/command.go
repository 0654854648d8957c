package ui

import (
	"fmt"
	"slices"
	"strings"

	tea "charm.land/bubbletea/v2"

	"github.com/kinspect/kinspect/ui/screen"
)

// openCommandLine starts typing a command and loads, in the background,
// the names it completes (stream names, profiles).
func (a *app) openCommandLine() tea.Cmd {
	a.typing = true
	a.cmdline.SetValue("")
	return tea.Batch(a.cmdline.Focus(), a.loadNames())
}

// commandKey edits the command line; enter runs it, esc leaves it, tab
// completes the word under the cursor.
func (a *app) commandKey(msg tea.KeyPressMsg) tea.Cmd {
	switch msg.String() {
	case "esc":
		a.typing = false
		a.cmdline.Blur()
		return nil
	case "enter":
		a.typing = false
		a.cmdline.Blur()
		return a.run(a.cmdline.Value(), true)
	case "tab":
		return a.complete()
	}
	var cmd tea.Cmd
	a.cmdline, cmd = a.cmdline.Update(msg)
	return cmd
}

// run executes a command line: a command name and its arguments
// (":consumers orders"). Besides the registry's screens: :streams goes
// home, :profile and :region switch the connection, :q quits.
//
// A command switches the view rather than stacking screens (k9s's rule):
// a stream's screen (":consumers", ":tail") opens right above the screen
// of its stream, closing what was above it (the stream screen opens
// first when it is not on the stack: a command naming another stream
// leaves the first one); any other screen (":log") opens right above
// the streams list. A command a screen asks for (typed false: b for the
// latency lab, F for find) opens above it, as enter does.
func (a *app) run(line string, typed bool) tea.Cmd {
	words := strings.Fields(line)
	if len(words) == 0 {
		return nil
	}
	name, words := strings.ToLower(words[0]), words[1:]
	switch name {
	case "q", "quit", "q!":
		return a.quit()
	case screen.Home, "ls":
		return a.popTo(0)
	case "profile", "ctx":
		return a.switchProfile(words)
	case "region":
		return a.switchRegion(words)
	}
	e, name, ok := a.conn.Screens.Lookup(name)
	if !ok || name == screen.Home {
		return screen.Error(fmt.Errorf("unknown command :%s (try %s)", name, strings.Join(a.commands(), ", ")))
	}
	args := screen.Args{Words: words}
	if e.Stream {
		args.Stream = a.currentStream()
		if len(words) > 0 && (!e.Query || queryStream(words, a.names.streams)) {
			args.Stream, args.Words = words[0], words[1:]
		}
	}
	if name == screen.StreamScreen && typed {
		if i := a.streamScreen(args.Stream); i >= 0 {
			return a.popTo(i)
		}
	}
	s, err := a.build(name, args)
	if err != nil {
		return screen.Error(err)
	}
	if !typed {
		return a.push(name, s)
	}
	var cmds []tea.Cmd
	switch i := a.streamScreen(args.Stream); {
	case !e.Stream || name == screen.StreamScreen:
		cmds = append(cmds, a.popTo(0))
	case i >= 0:
		cmds = append(cmds, a.popTo(i))
	default:
		// The stream's own screen first, so that esc goes back to it.
		base, err := a.build(screen.StreamScreen, screen.Args{Stream: args.Stream})
		if err != nil {
			s.Close()
			return screen.Error(err)
		}
		cmds = append(cmds, a.popTo(0), a.push(screen.StreamScreen, base))
	}
	cmds = append(cmds, a.push(name, s))
	if name == screen.StreamScreen {
		cmds = append(cmds, a.staleHint(args.Stream))
	}
	return tea.Batch(cmds...)
}

// streamScreen is the index on the stack of the screen of stream, or -1.
func (a *app) streamScreen(stream string) int {
	for i, f := range a.stack {
		if s, ok := f.Model.(screen.Streamer); ok && f.name == screen.StreamScreen && s.Stream() == stream {
			return i
		}
	}
	return -1
}

// currentStream is the stream of the topmost screen that has one (the
// streams list: the selected one).
func (a *app) currentStream() string {
	for i := len(a.stack) - 1; i >= 0; i-- {
		if s, ok := a.stack[i].Model.(screen.Streamer); ok && s.Stream() != "" {
			return s.Stream()
		}
	}
	return ""
}

// queryStream reports whether a query command's first word names its
// stream, as the other commands' does (":find orders key:K"): the words
// of a query are word:value, so a bare first word followed by a query,
// or a stream's known name, is the stream.
func queryStream(words, streams []string) bool {
	if strings.Contains(words[0], ":") {
		return false
	}
	return len(words) > 1 || slices.Contains(streams, words[0])
}

// usage are the commands with their arguments, for help.
func (a *app) usage() []string {
	cs := a.commands()
	for i, c := range cs {
		e, name, ok := a.conn.Screens.Lookup(c[1:])
		switch {
		case name == screen.TailScreen:
			cs[i] += " [stream [shard…]]"
		case ok && e.Query:
			cs[i] += " [stream] query…"
		case ok && e.Stream:
			cs[i] += " [stream]"
		case c == ":profile":
			cs[i] += " [name [region]]"
		case c == ":region":
			cs[i] += " name"
		}
	}
	return cs
}

// commands are the command-line commands of this session, as help and
// the placeholder list them: the registry's (a change the read-only guard
// refuses is left out, as its key is), then the root's own.
func (a *app) commands() []string {
	cs := []string{":" + screen.Home}
	for _, n := range a.conn.Screens.Names() {
		if e, _, _ := a.conn.Screens.Lookup(n); n == screen.Home || (e.Action != "" && a.conn.Guard.Allow(e.Action) != nil) {
			continue
		}
		cs = append(cs, ":"+n)
	}
	if a.cfg.Connect != nil {
		cs = append(cs, ":profile", ":region")
	}
	return append(cs, ":q")
}
