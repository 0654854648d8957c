package cmd

import (
	"strings"
	"testing"
	"time"

	"github.com/kinspect/kinspect/kinesisx/local"
)

// tail --until prints what arrived up to a time and ends by itself, on
// every shard, without --idle.
func TestTailUntil(t *testing.T) {
	e := newWriteEnv(t, local.Options{})
	stream := e.stream(3)
	wantExit(t, e.run("", false, "put", "--yes", stream, "--random-keys", "--template", "before-{{seq}}", "--count", "30"), 0, "")
	time.Sleep(20 * time.Millisecond)
	mark := time.Now().UTC().Format(time.RFC3339Nano)
	time.Sleep(20 * time.Millisecond)
	wantExit(t, e.run("", false, "put", "--yes", stream, "--random-keys", "--template", "after-{{seq}}", "--count", "30"), 0, "")

	r := e.run("", false, "tail", stream, "--from", "trim-horizon", "--until", mark, "-o", "raw")
	wantExit(t, r, 0, "")
	lines := strings.Split(strings.TrimSpace(r.stdout), "\n")
	if len(lines) != 30 || strings.Contains(r.stdout, "after-") {
		t.Fatalf("%d lines up to the mark:\n%s", len(lines), r.stdout)
	}

	r = e.run("", false, "tail", stream, "--from", "trim-horizon", "--until", mark, "--max", "5", "-o", "raw")
	wantExit(t, r, 0, "")
	if n := strings.Count(r.stdout, "\n"); n != 5 {
		t.Errorf("--max 5 with --until printed %d", n)
	}

	r = e.run("", false, "tail", stream, "--from", mark, "--until", time.Now().UTC().Format(time.RFC3339Nano), "-o", "raw")
	wantExit(t, r, 0, "")
	if n := strings.Count(r.stdout, "after-"); n != 30 || strings.Contains(r.stdout, "before-") {
		t.Errorf("from the mark to now:\n%s", r.stdout)
	}

	wantExit(t, e.run("", false, "tail", stream, "--until", "-1m"), 2, "--until needs a --from in the past")
	wantExit(t, e.run("", false, "tail", stream, "--from", "-1m", "--until", "-2m"), 2, "--until -2m is not after --from -1m")
	wantExit(t, e.run("", false, "tail", stream, "--from", "-1m", "--until", "soon"), 2, "--until soon: want an RFC 3339 time")
}
