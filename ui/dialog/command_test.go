package dialog

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"charm.land/lipgloss/v2"

	"github.com/kinspect/kinspect/kinesisx"
	"github.com/kinspect/kinspect/ui/screen"
)

// TestConfirmKeepsItsPoint: at every width the confirmation shows the
// warning and the question whole, the y/n keys, and the aws command whole:
// broken only between arguments (a flag with its value when they fit), so
// that the lines pasted into a shell are the command.
func TestConfirmKeepsItsPoint(t *testing.T) {
	f := fourShards()
	for _, w := range []int{40, 80, 120} {
		t.Run(fmt.Sprint(w), func(t *testing.T) {
			req := screen.ActionRequestedMsg{Action: kinesisx.ActionSplit, Stream: "orders", ShardID: shardID(0)}
			r := open(t, New(context.Background(), 1, req, deps(f, nil)), w, 20).(*Reshard)
			press(r, "enter")
			if r.stage != stageConfirm {
				t.Fatalf("stage %d:\n%s", r.stage, plainView(r))
			}
			s := plainView(r)
			for _, want := range []string{"shard-hours change", "y split shard n back"} {
				if !strings.Contains(flat(r), want) {
					t.Errorf("width %d lacks %q:\n%s", w, want, s)
				}
			}
			var cmd []string
			in := false
			for _, l := range strings.Split(s, "\n") {
				l = strings.TrimSpace(l)
				if strings.HasPrefix(l, "aws kinesis") {
					in = true
				}
				if in {
					if lipgloss.Width(l) > w {
						t.Errorf("line wider than %d: %q", w, l)
					}
					cmd = append(cmd, strings.TrimSuffix(l, " \\"))
					if !strings.HasSuffix(l, " \\") {
						break
					}
				}
			}
			if got := strings.Join(cmd, " "); got != r.plan.Command {
				t.Errorf("width %d: the lines do not paste back to the command:\n got %q\nwant %q\n%s", w, got, r.plan.Command, s)
			}
			for _, l := range cmd {
				if strings.HasSuffix(l, "--stream-name") || strings.HasSuffix(l, "--shard-to-split") {
					t.Errorf("width %d: a flag is parted from its value: %q", w, l)
				}
			}
		})
	}
}

func TestWrapCommandQuotes(t *testing.T) {
	cmd := kinesisx.AWSCommand("put-record", "--stream-name", "s", "--data", "a b c d e f")
	got := wrapCommand(cmd, 40)
	want := []string{"aws kinesis put-record --stream-name s \\", "--data 'a b c d e f'"}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("got %q", got)
	}
}
