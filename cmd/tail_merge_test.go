package cmd

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kinesis"

	"github.com/kinspect/kinspect/kinesisx/local"
)

// tail --merge prints a 4-shard stream's records, put to each shard in
// turn, in arrival order (with --watermark 0 strictly); --merge=false
// prints them as each shard's reads bring them, in blocks.
func TestTailMergePrintsInArrivalOrder(t *testing.T) {
	e := newWriteEnv(t, local.Options{})
	stream := e.stream(4)
	shards := e.shards(stream)
	const rounds = 10
	for i := range rounds {
		for _, s := range shards {
			_, err := e.sdk.PutRecord(context.Background(), &kinesis.PutRecordInput{StreamName: aws.String(stream),
				Data: []byte(fmt.Sprintf("%s-%02d", aws.ToString(s.ShardId), i)), PartitionKey: aws.String("k"), ExplicitHashKey: s.HashKeyRange.StartingHashKey})
			if err != nil {
				t.Fatal(err)
			}
			time.Sleep(3 * time.Millisecond) // distinct arrival times (milliseconds)
		}
	}
	arrivals := func(r cmdRun) []time.Time {
		t.Helper()
		wantExit(t, r, 0, "")
		var out []time.Time
		for _, line := range strings.Split(strings.TrimSpace(r.stdout), "\n") {
			var rec struct{ Arrival time.Time }
			if err := json.Unmarshal([]byte(line), &rec); err != nil {
				t.Fatalf("%q: %v", line, err)
			}
			out = append(out, rec.Arrival)
		}
		if len(out) != rounds*len(shards) {
			t.Fatalf("printed %d records, want %d", len(out), rounds*len(shards))
		}
		return out
	}
	backs := func(ts []time.Time) int {
		n := 0
		for i := 1; i < len(ts); i++ {
			if ts[i].Before(ts[i-1]) {
				n++
			}
		}
		return n
	}
	merged := arrivals(e.run("", false, "tail", stream, "--from", "trim-horizon", "--idle", "1s", "-o", "json", "--merge", "--watermark", "0"))
	if n := backs(merged); n != 0 {
		t.Errorf("--merge --watermark 0: arrival went back %d times", n)
	}
	blocks := arrivals(e.run("", false, "tail", stream, "--from", "trim-horizon", "--idle", "1s", "-o", "json"))
	if backs(blocks) == 0 {
		t.Errorf("without --merge (stdout not a terminal) the records came in arrival order: the default is not off in a pipe")
	}
}

func TestTailMergeFlags(t *testing.T) {
	e := newWriteEnv(t, local.Options{})
	wantExit(t, e.run("", false, "tail", "s", "--watermark", "-1s"), 2, "--watermark must not be negative")
	wantExit(t, e.run("", false, "tail", "s", "--from", "-5m", "--until", "-1m", "--merge"), 2, "--merge goes without --until")
	wantExit(t, e.run("", false, "tail", "s", "--merge=false", "--watermark", "2s"), 2, "--watermark orders a merged tail: it goes without --merge=false")
	wantExit(t, e.run("", false, "tail", "s", "--from", "-5m", "--until", "-1m", "--watermark", "2s"), 2, "--watermark orders a merged tail, which goes without --until")
	// In a pipe the merge is off, but a --watermark given alone turns it on
	// rather than being ignored.
	pipe := newFactory(Stdio{Out: io.Discard})
	o := tailOptions{f: pipe, Watermark: 2 * time.Second}
	if err := o.mergeDefault(false, true); err != nil || !o.Merge {
		t.Errorf("--watermark alone in a pipe: merge %v, err %v", o.Merge, err)
	}
	o = tailOptions{f: pipe}
	if err := o.mergeDefault(false, false); err != nil || o.Merge {
		t.Errorf("a pipe with neither flag: merge %v, err %v", o.Merge, err)
	}
	r := e.run("", false, "tail", "--help")
	if !strings.Contains(r.stdout, "It is\non when stdout is a terminal, off otherwise") {
		t.Errorf("tail --help does not say when --merge is on:\n%s", r.stdout)
	}
}
