package ui

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/kinspect/kinspect/ui/screen"
)

// namesTimeout bounds the listing of stream names for completion.
const namesTimeout = 15 * time.Second

// maxCandidates bounds the completions the status line lists.
const maxCandidates = 12

// completions are the names the command line completes besides the
// commands, loaded once per connection.
type completions struct {
	loading, loaded bool
	streams         []string
	profiles        []string
	err             error
}

// namesMsg carries the names loaded for the connection numbered gen.
type namesMsg struct {
	gen               int
	streams, profiles []string
	err               error
}

// loadNames lists, off the event loop, the connection's streams and the
// shared config's profiles (nil when loaded or loading).
func (a *app) loadNames() tea.Cmd {
	if a.names.loading || a.names.loaded {
		return nil
	}
	a.names.loading = true
	ctx, lister, profiles, gen := a.ctx, a.conn.Streams, a.cfg.Profiles, a.connGen
	return func() tea.Msg {
		msg := namesMsg{gen: gen}
		if profiles != nil {
			msg.profiles, msg.err = profiles()
		}
		if lister != nil {
			ctx, cancel := context.WithTimeout(ctx, namesTimeout)
			defer cancel()
			ss, err := lister.ListStreams(ctx)
			if err != nil {
				msg.err = fmt.Errorf("list streams: %w", err)
			}
			for _, s := range ss {
				msg.streams = append(msg.streams, s.Name)
			}
		}
		return msg
	}
}

// namesLoaded keeps the names of the current connection.
func (a *app) namesLoaded(msg namesMsg) {
	if msg.gen != a.connGen {
		return
	}
	slices.Sort(msg.streams)
	a.names = completions{loaded: true, streams: msg.streams, profiles: msg.profiles, err: msg.err}
}

// complete completes the last word of the command line: a command name
// first, then the argument the command takes (a stream, a profile). One
// match is written out whole; several, as far as they agree, and the
// status line lists them.
func (a *app) complete() tea.Cmd {
	line := a.cmdline.Value()
	words := strings.Fields(line)
	if len(words) == 0 || strings.HasSuffix(line, " ") {
		words = append(words, "")
	}
	last := words[len(words)-1]
	var cands []string
	switch len(words) {
	case 1:
		cands = a.commandNames()
	case 2:
		cands = a.argNames(strings.ToLower(words[0]))
	}
	var matches []string
	for _, c := range cands {
		if strings.HasPrefix(strings.ToLower(c), strings.ToLower(last)) {
			matches = append(matches, c)
		}
	}
	if len(matches) == 0 {
		if len(words) == 2 && a.names.err != nil {
			return a.setStatus(a.names.err.Error(), true)
		}
		return nil
	}
	done := commonPrefix(matches)
	if len(matches) == 1 {
		done += " "
	}
	a.cmdline.SetValue(strings.Join(append(words[:len(words)-1], done), " "))
	a.cmdline.CursorEnd()
	if len(matches) == 1 {
		return nil
	}
	if len(matches) > maxCandidates {
		matches = append(matches[:maxCandidates], fmt.Sprintf("… %d more", len(matches)-maxCandidates))
	}
	return a.setStatus(strings.Join(matches, "  "), false)
}

// commandNames are the names a command line starts with.
func (a *app) commandNames() []string {
	out := []string{screen.Home}
	for _, n := range append(a.conn.Screens.Names(), a.conn.Screens.Aliases()...) {
		if n != screen.Home {
			out = append(out, n)
		}
	}
	if a.cfg.Connect != nil {
		out = append(out, "profile", "region")
	}
	return append(out, "quit")
}

// argNames are the names the first argument of command completes to.
func (a *app) argNames(command string) []string {
	switch command {
	case "profile", "ctx":
		return a.names.profiles
	}
	if e, _, ok := a.conn.Screens.Lookup(command); ok && e.Stream {
		return a.names.streams
	}
	return nil
}

// commonPrefix is the longest prefix the strings share.
func commonPrefix(ss []string) string {
	p := ss[0]
	for _, s := range ss[1:] {
		for !strings.HasPrefix(s, p) {
			p = p[:len(p)-1]
		}
	}
	return p
}
