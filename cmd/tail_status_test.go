package cmd

import (
	"bytes"
	"context"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kinesis"
	"github.com/aws/aws-sdk-go-v2/service/kinesis/types"

	"github.com/kinspect/kinspect/kinesisx"
	"github.com/kinspect/kinspect/kinesisx/local"
)

// The status line says what kinspect's reads take from each shard's
// shared limits, in all and as a share of 5 calls/s and 2 MiB/s a shard,
// and names the busiest shard's figures.
func TestTailStatusLine(t *testing.T) {
	var w bytes.Buffer
	s := newCostStatus(&w, &w, false)
	s.update(kinesisx.Batch{
		Cost: kinesisx.TailCost{ReadCost: kinesisx.ReadCost{CallsPerSec: 40, BytesPerSec: 4 << 20}, Shards: 40, Budget: 54},
		Shards: map[string]kinesisx.ShardProgress{
			"a": {Cost: kinesisx.ReadCost{CallsPerSec: 5, BytesPerSec: 2 << 20}},
			"b": {Cost: kinesisx.ReadCost{CallsPerSec: 0.8}},
		},
	})
	s.show()
	want := "kinspect reads 40.0 calls/s (20% of 5/s per shard), 4.00 MiB/s (5% of 2 MiB/s per shard) over 40 shards; busiest shard 5.0 calls/s, 2.00 MiB/s; least read 0.8 calls/s; budget 54 calls/s (last 10 s)\n"
	if w.String() != want {
		t.Fatalf("status line\n%q\nwant\n%q", w.String(), want)
	}
	w.Reset()
	e := newCostStatus(&w, &w, true)
	e.update(kinesisx.Batch{Shards: map[string]kinesisx.ShardProgress{"a": {}, "b": {}}})
	e.done()
	if !strings.Contains(w.String(), "enhanced fan-out over 2 shards") || !strings.Contains(w.String(), "nothing from the shared") {
		t.Fatalf("EFO status line %q", w.String())
	}
}

var statusRE = regexp.MustCompile(`kinspect reads ([0-9.]+) calls/s \(([0-9]+)% of 5/s per shard\), ([0-9.]+) [KM]iB/s \(([0-9]+)% of 2 MiB/s per shard\) over ([0-9]+) shards; busiest shard ([0-9.]+) calls/s, ([0-9.]+) [KM]iB/s; least read ([0-9.]+) calls/s; budget ([0-9]+) calls/s`)

// tail -v ends with a status line on stderr measured from the tail's own
// calls: over 4 shards, within the default budget, and its shares agree
// with its figures. stdout holds only the records.
func TestTailVerbosePrintsReadCost(t *testing.T) {
	e := newWriteEnv(t, local.Options{})
	stream := e.stream(4)
	var entries []types.PutRecordsRequestEntry
	for i := 0; i < 200; i++ {
		entries = append(entries, types.PutRecordsRequestEntry{Data: bytes.Repeat([]byte("x"), 20_000), PartitionKey: aws.String(fmt.Sprint(i))}) // 4 MB: well above 0.00 MiB/s over the 10 s window
	}
	if _, err := e.sdk.PutRecords(context.Background(), &kinesis.PutRecordsInput{StreamName: aws.String(stream), Records: entries}); err != nil {
		t.Fatal(err)
	}
	r := e.run("", false, "tail", stream, "--from", "trim-horizon", "--idle", "2s", "-o", "raw", "-v")
	wantExit(t, r, 0, "")
	if n := len(strings.Fields(r.stdout)); n != 200 {
		t.Fatalf("%d records on stdout, want 200", n)
	}
	lines := strings.Split(strings.TrimSpace(r.stderr), "\n")
	m := statusRE.FindStringSubmatch(lines[len(lines)-1])
	if m == nil {
		t.Fatalf("no status line at the end of stderr: %q", r.stderr)
	}
	f := func(i int) float64 { v, _ := strconv.ParseFloat(m[i], 64); return v }
	calls, callsPct, mib, shards, budget := f(1), f(2), f(3), f(5), f(9)
	if shards != 4 || budget != kinesisx.DefaultCallsPerSec(4) {
		t.Fatalf("%q: want 4 shards and the default budget", m[0])
	}
	if calls <= 0 || calls > budget || mib <= 0 {
		t.Fatalf("%q: want some calls and bytes, within the budget", m[0])
	}
	if want := calls / shards / 5 * 100; callsPct < want-1 || callsPct > want+1 {
		t.Fatalf("%q: %.0f%% of 5/s per shard, want %.0f%%", m[0], callsPct, want)
	}
}
