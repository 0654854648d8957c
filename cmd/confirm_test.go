package cmd

import (
	"strings"
	"testing"

	"github.com/kinspect/kinspect/kinesisx/local"
)

// Without a terminal and without --yes, every mutating command refuses
// before it calls or prints anything else: the only line on stderr is the
// refusal, naming --yes, exit 2, and the stream is unchanged.
func TestMutationsWithoutTerminalOrYesRefuseFirst(t *testing.T) {
	e := newWriteEnv(t, local.Options{})
	stream := e.stream(2)
	for _, args := range [][]string{
		{"put", stream, "--key", "k", "--data", "x"},
		{"put", stream},
		{"split", stream, "shardId-000000000000"},
		{"split", stream, "shardId-000000000000", "--at", "median"},
		{"merge", stream, "shardId-000000000000", "shardId-000000000001"},
		{"scale", stream, "3"},
		{"monitoring", stream, "on"},
		{"monitoring", stream, "off"},
		{"consumers", stream, "--register", "c1"},
	} {
		r := e.run("some record\n", false, args...)
		if r.code != ExitUsage || strings.Count(r.stderr, "\n") != 1 || !strings.Contains(r.stderr, "pass --yes") {
			t.Errorf("kinspect %s: exit %d, stderr %q; want exit 2 and only the refusal, naming --yes", strings.Join(args, " "), r.code, r.stderr)
		}
	}
	if n := len(e.readShard(stream, "shardId-000000000000")) + len(e.readShard(stream, "shardId-000000000001")); n != 0 {
		t.Errorf("%d records were put", n)
	}
	if shards := e.shards(stream); len(shards) != 2 {
		t.Errorf("the stream has %d shards, want the 2 it had", len(shards))
	}
	if c := consumers(t, e.sdk, stream); len(c) != 0 {
		t.Errorf("consumers %v were registered", c)
	}
}
