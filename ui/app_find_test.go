package ui

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/kinspect/kinspect/ui/internal/uitest"
	"github.com/kinspect/kinspect/ui/screen"
)

// TestQueryCommand: a Query entry gets every word after its name, their
// case kept, on the stream on screen; asked by a screen (the tail's F),
// it opens above that screen.
func TestQueryCommand(t *testing.T) {
	var gotStream string
	var gotArgs []string
	d := newDriver(t, setup{Stream: "orders", Extra: map[string]screen.Entry{"find": findStub(&gotStream, &gotArgs)}}, 120, 10)
	d.keys(":")
	for _, k := range uitest.Type("FIND  key:User-7 since:-1h") {
		d.send(k)
	}
	d.keys("enter")
	if gotStream != "orders" || !slices.Equal(gotArgs, []string{"key:User-7", "since:-1h"}) {
		t.Errorf(":find gave stream %q args %q", gotStream, gotArgs)
	}
	if !strings.Contains(d.screen(), "find key:User-7 since:-1h") {
		t.Errorf("the screen did not open:\n%s", d.screen())
	}
	d.keys("esc", "t", "enter")
	d.send(screen.RunCommandMsg{Command: "find data:x"})
	if got := trail(d); got != "streams › orders › tail orders › find data:x" {
		t.Errorf("a screen's request opens above it: %q", got)
	}
}

// TestQueryCommandNamesItsStream: ":find clicks key:K" names its stream as
// ":tail clicks" does; a bare word alone that is no stream stays the
// query (and the screen says what is wrong with it).
func TestQueryCommandNamesItsStream(t *testing.T) {
	var gotStream string
	var gotArgs []string
	d := newDriver(t, setup{Stream: "orders", Extra: map[string]screen.Entry{"find": findStub(&gotStream, &gotArgs)}}, 120, 10)
	d.send(screen.RunCommandMsg{Command: "find clicks key:User-7"})
	if gotStream != "clicks" || !slices.Equal(gotArgs, []string{"key:User-7"}) {
		t.Errorf(":find clicks key:User-7 gave stream %q args %q", gotStream, gotArgs)
	}
	d.send(screen.RunCommandMsg{Command: "find user-7"})
	if gotStream != "orders" || !slices.Equal(gotArgs, []string{"user-7"}) {
		t.Errorf(":find user-7 gave stream %q args %q", gotStream, gotArgs)
	}
}

// findStub is a Query entry that keeps the stream and words it was given.
func findStub(stream *string, words *[]string) screen.Entry {
	find := fixed(true, func(_ context.Context, _ int, _ screen.Common, a screen.Args) screen.Model {
		*stream, *words = a.Stream, a.Words
		return &stubScreen{title: "find " + strings.Join(a.Words, " ")}
	})
	find.Query = true
	return find
}
