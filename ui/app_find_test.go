package ui

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/kinspect/kinspect/ui/internal/uitest"
	"github.com/kinspect/kinspect/ui/screen"
)

// TestArgCommands: a command of Config.ArgCommands gets the words after
// its name, their case kept, on the stream on screen.
func TestArgCommands(t *testing.T) {
	var gotStream string
	var gotArgs []string
	d := newDriver(t, Config{Stream: "orders", ArgCommands: map[string]ArgScreenFunc{
		"find": func(_ context.Context, _ int, _ screen.Common, stream string, args []string) screen.Model {
			gotStream, gotArgs = stream, args
			return &stubScreen{title: "find " + strings.Join(args, " ")}
		},
	}}, 120, 10)
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
}
