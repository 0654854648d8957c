package cmd

import (
	"fmt"
	"strings"
	"testing"

	"github.com/kinspect/kinspect/kinesisx"
	"github.com/kinspect/kinspect/kinesisx/local"
)

// lines is n short numbered lines, then tail.
func lines(n int, tail string) string {
	var b strings.Builder
	for i := 1; i <= n; i++ {
		fmt.Fprintf(&b, "%d\n", i)
	}
	return b.String() + tail
}

// A bounded input with one bad record sends nothing: `(seq 600; a 2 MiB
// line) | kinspect put S --yes` fails with no record on the stream.
func TestPutBoundedInputIsAllOrNothing(t *testing.T) {
	e := newWriteEnv(t, local.Options{})
	stream := e.stream(1)
	big := strings.Repeat("y", 2<<20) + "\n"
	r := e.run(lines(600, big), false, "put", stream, "--yes")
	wantExit(t, r, 1, "record 601 is")
	if strings.Contains(r.stderr, "were sent") {
		t.Errorf("the error speaks of records sent: %s", r.stderr)
	}
	if n := len(e.readShard(stream, "shardId-000000000000")); n != 0 {
		t.Fatalf("%d records were put before the bad one", n)
	}
	// Within --count, the same.
	r = e.run(lines(600, big), false, "put", stream, "--yes", "--count", "700")
	wantExit(t, r, 1, "record 601 is")
	if n := len(e.readShard(stream, "shardId-000000000000")); n != 0 {
		t.Fatalf("%d records were put before the bad one", n)
	}
}

// Beyond the read-ahead bound, a bad record stops the put and the error
// says exactly how many records were sent, as the stream holds them.
func TestPutBeyondReadAheadReportsWhatWasSent(t *testing.T) {
	e := newWriteEnv(t, local.Options{})
	stream := e.stream(1)
	good := kinesisx.ReadAheadRecords + 600
	r := e.run(lines(good, strings.Repeat("y", 2<<20)+"\n"), false, "put", stream, "--yes")
	got := len(e.readShard(stream, "shardId-000000000000"))
	if got == 0 || got > good {
		t.Fatalf("%d records on the stream", got)
	}
	wantExit(t, r, 1, fmt.Sprintf("record %d is", good+1))
	wantExit(t, r, 1, fmt.Sprintf("; %d records were sent before it", got))
}

// A non-positive --count or --rate is bad usage and sends nothing.
func TestPutNonPositiveCountOrRateIsUsage(t *testing.T) {
	e := newWriteEnv(t, local.Options{})
	stream := e.stream(1)
	for _, args := range [][]string{
		{"--count", "0"}, {"--count", "-3"}, {"--rate", "0"}, {"--rate", "-1"},
	} {
		r := e.run("", false, append([]string{"put", stream, "--yes", "--data", "x"}, args...)...)
		wantExit(t, r, 2, args[0])
	}
	if n := len(e.readShard(stream, "shardId-000000000000")); n != 0 {
		t.Fatalf("%d records were put", n)
	}
}
