package cmd

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kinesis"

	"github.com/kinspect/kinspect/kinesisx/local"
)

// findLine is one line of find -o json.
type findLine struct {
	Shard, Sequence, PartitionKey, Data string
	Match                               bool
}

func parseFound(t *testing.T, out string) []findLine {
	t.Helper()
	var ls []findLine
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		if line == "" {
			continue
		}
		var l findLine
		if err := json.Unmarshal([]byte(line), &l); err != nil {
			t.Fatalf("%v: %q", err, line)
		}
		ls = append(ls, l)
	}
	return ls
}

func TestFind(t *testing.T) {
	e := newWriteEnv(t, local.Options{})
	stream := e.stream(2)
	ctx := context.Background()
	putOne := func(key string, data []byte) string {
		t.Helper()
		out, err := e.sdk.PutRecord(ctx, &kinesis.PutRecordInput{StreamName: aws.String(stream), PartitionKey: aws.String(key), Data: data})
		if err != nil {
			t.Fatal(err)
		}
		return aws.ToString(out.SequenceNumber)
	}
	wantExit(t, e.run("", false, "put", "--yes", stream, "--random-keys", "--template", `{"n":{{seq}}}`, "--count", "40"), 0, "")
	seq := putOne("user-7", []byte(`{"user":7,"n":1}`))
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write([]byte(`{"logEvents":[{"message":"level=ERROR disk full"}]}`))
	zw.Close()
	putOne("logs", gz.Bytes())
	putOne("user-7", []byte(`{"user":7,"n":2}`))

	// Before a split: shardId-000000000000's children take later records.
	wantExit(t, e.run("", false, "split", stream, "shardId-000000000000", "--yes"), 0, "")
	putOne("user-7", []byte(`{"user":7,"n":3}`))
	time.Sleep(5 * time.Millisecond)
	afterAll := time.Now().UTC().Format(time.RFC3339Nano)

	t.Run("key across a split, parents first", func(t *testing.T) {
		r := e.run("", false, "find", stream, "--key", "user-7", "--from", "-5m", "-o", "json")
		wantExit(t, r, 0, "3 match(es) in 44 records on 4 shard(s)")
		ls := parseFound(t, r.stdout)
		if len(ls) != 3 {
			t.Fatalf("%d lines:\n%s", len(ls), r.stdout)
		}
		for i, l := range ls {
			if !l.Match || l.PartitionKey != "user-7" || !strings.Contains(l.Data, `"n":`+string(rune('1'+i))) {
				t.Errorf("line %d: %+v", i, l)
			}
		}
	})

	t.Run("pattern inside a gzip payload", func(t *testing.T) {
		r := e.run("", false, "find", stream, "--grep", `level=ERROR`, "--from", "-5m", "-o", "json")
		wantExit(t, r, 0, "1 match(es)")
		if ls := parseFound(t, r.stdout); len(ls) != 1 || ls[0].PartitionKey != "logs" {
			t.Fatalf("found %+v", ls)
		}
	})

	t.Run("sequence number, context around it", func(t *testing.T) {
		r := e.run("", false, "find", stream, "--seq", seq, "-C", "1", "--from", "trim-horizon")
		wantExit(t, r, 0, "1 match(es) in")
		lines := strings.Split(strings.TrimRight(r.stdout, "\n"), "\n")
		if len(lines) != 3 || !strings.HasPrefix(lines[0], "  ") || !strings.HasPrefix(lines[1], "> ") || !strings.Contains(lines[1], seq) || !strings.HasPrefix(lines[2], "  ") {
			t.Fatalf("want context, match, context:\n%s", r.stdout)
		}
	})

	t.Run("sequence number without --from: that record and what follows", func(t *testing.T) {
		r := e.run("", false, "find", stream, "--seq", seq, "-C", "1", "-o", "json")
		wantExit(t, r, 0, "1 match(es)")
		ls := parseFound(t, r.stdout)
		if len(ls) != 2 || !ls[0].Match || ls[0].Sequence != seq || ls[1].Match || ls[1].PartitionKey != "logs" {
			t.Fatalf("found %+v", ls)
		}
	})

	t.Run("a closed shard's children from --from, not from their start", func(t *testing.T) {
		r := e.run("", false, "find", stream, "--shard", "shardId-000000000000", "--key", "user-7", "--from", afterAll)
		wantExit(t, r, 1, "no record matched")
	})

	t.Run("max", func(t *testing.T) {
		r := e.run("", false, "find", stream, "--key", "user-7", "--max", "1", "-o", "json")
		wantExit(t, r, 0, "1 match(es)")
		if ls := parseFound(t, r.stdout); len(ls) != 1 || !strings.Contains(ls[0].Data, `"n":1`) {
			t.Fatalf("found %+v", ls)
		}
	})

	t.Run("nothing matches", func(t *testing.T) {
		r := e.run("", false, "find", stream, "--key", "nobody")
		wantExit(t, r, 1, "kinspect: no record matched in 44 records on 4 shard(s)")
		if r.stdout != "" {
			t.Errorf("stdout %q", r.stdout)
		}
		// A window that ends before the records arrived.
		r = e.run("", false, "find", stream, "--key", "user-7", "--from", "-1h", "--until", "-30m")
		wantExit(t, r, 1, "no record matched in 0 records")
	})

	for _, tt := range []struct {
		name string
		args []string
		want string
	}{
		{"bad pattern", []string{"--grep", "("}, "--grep: error parsing regexp"},
		{"latest", []string{"--from", "latest"}, "--from latest: want trim-horizon"},
		{"bad sequence", []string{"--seq", "12a"}, `--seq: "12a" is not a sequence number`},
		{"window backwards", []string{"--from", "-5m", "--until", "-10m"}, "--until -10m is not after --from -5m"},
		{"negative context", []string{"-C", "-1"}, "must not be negative"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			wantExit(t, e.run("", false, append([]string{"find", stream}, tt.args...)...), 2, tt.want)
		})
	}
	wantExit(t, e.run("", false, "find", "no-such-stream", "--key", "k"), 1, "no-such-stream")
}
