package cmd

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kinesis"
	"github.com/aws/aws-sdk-go-v2/service/kinesis/types"

	"github.com/kinspect/kinspect/internal/testenv"
	"github.com/kinspect/kinspect/kinesisx/kpl"
	"github.com/kinspect/kinspect/kinesisx/local"
)

// kinspect runs one command line with no terminal and returns its exit
// code and output.
func (e *writeEnv) kinspect(args ...string) (code int, stdout, stderr string) {
	e.t.Helper()
	r := e.run("", false, args...)
	return r.code, r.stdout, r.stderr
}

func (e *writeEnv) put(stream, key string, data []byte) {
	e.t.Helper()
	if _, err := e.sdk.PutRecord(context.Background(), &kinesis.PutRecordInput{StreamName: aws.String(stream), PartitionKey: aws.String(key), Data: data}); err != nil {
		e.t.Fatal(err)
	}
}

func TestTailJSONLines(t *testing.T) {
	e := newWriteEnv(t, local.Options{})
	stream := testenv.StreamName(t)
	testenv.CreateStream(t, e.sdk, stream, 1)
	agg, err := kpl.Aggregate([]kpl.Record{{PartitionKey: "a", Data: []byte("one")}, {PartitionKey: "b", ExplicitHashKey: "7", Data: []byte("two")}})
	if err != nil {
		t.Fatal(err)
	}
	e.put(stream, "text", []byte(`{"hello":"world"}`))
	e.put(stream, "bin", []byte{0xff, 0x00, 0x01})
	e.put(stream, "agg", agg)

	code, out, errs := e.kinspect("tail", stream, "--from", "trim-horizon", "--idle", "300ms", "-o", "json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 4 {
		t.Fatalf("got %d lines, want 4:\n%s", len(lines), out)
	}
	var recs []map[string]any
	for _, l := range lines {
		var m map[string]any
		if err := json.Unmarshal([]byte(l), &m); err != nil {
			t.Fatalf("line %q: %v", l, err)
		}
		recs = append(recs, m)
	}
	want := []struct {
		key, data, encoding string
		sub                 any
		aggregated          bool
	}{
		{"text", `{"hello":"world"}`, "utf8", nil, false},
		{"bin", "/wAB", "base64", nil, false},
		{"a", "one", "utf8", 0.0, true},
		{"b", "two", "utf8", 1.0, true},
	}
	for i, w := range want {
		r := recs[i]
		if r["partitionKey"] != w.key || r["data"] != w.data || r["encoding"] != w.encoding || r["aggregated"] != w.aggregated || r["subsequence"] != w.sub {
			t.Errorf("line %d = %v, want %+v", i, r, w)
		}
		if r["stream"] != stream || r["shard"] != "shardId-000000000000" {
			t.Errorf("line %d stream/shard = %v/%v", i, r["stream"], r["shard"])
		}
		if _, err := time.Parse(time.RFC3339Nano, r["arrival"].(string)); err != nil {
			t.Errorf("line %d arrival: %v", i, err)
		}
	}
	if recs[3]["explicitHashKey"] != "7" {
		t.Errorf("explicitHashKey = %v", recs[3]["explicitHashKey"])
	}
	if _, ok := recs[0]["explicitHashKey"]; ok {
		t.Errorf("explicitHashKey present without one: %v", recs[0])
	}
	if recs[2]["sequence"] != recs[3]["sequence"] {
		t.Errorf("sub-records must share the outer sequence number")
	}
}

func TestTailMaxAndFormats(t *testing.T) {
	e := newWriteEnv(t, local.Options{})
	stream := testenv.StreamName(t)
	testenv.CreateStream(t, e.sdk, stream, 2)
	for i := 0; i < 10; i++ {
		e.put(stream, string(rune('a'+i)), []byte{'x', byte('0' + i)})
	}
	code, out, errs := e.kinspect("tail", stream, "--from", "trim-horizon", "--max", "3", "-o", "raw")
	if code != 0 || strings.Count(out, "\n") != 3 {
		t.Fatalf("exit %d, output %q, stderr %s", code, out, errs)
	}
	code, out, _ = e.kinspect("tail", stream, "--from", "trim-horizon", "--idle", "300ms")
	if code != 0 || strings.Count(out, "\n") != 10 || !strings.Contains(out, "key=a") || !strings.Contains(out, "shardId-") {
		t.Fatalf("text output (exit %d):\n%s", code, out)
	}
}

func TestReadCommandsBadInput(t *testing.T) {
	e := newWriteEnv(t, local.Options{})
	stream := testenv.StreamName(t)
	testenv.CreateStream(t, e.sdk, stream, 1)
	future := time.Now().Add(time.Hour).UTC().Format(time.RFC3339)
	tests := []struct {
		name string
		args []string
		code int
		msg  string
	}{
		{"unknown stream", []string{"tail", "nope-" + stream}, 1, "not found"},
		{"unknown stream shards", []string{"shards", "nope-" + stream}, 1, "not found"},
		{"unknown shard", []string{"tail", stream, "--shard", "shardId-000000000007"}, 1, "no such shard"},
		{"malformed from", []string{"tail", stream, "--from", "yesterday-ish"}, 2, "--from"},
		{"future from", []string{"tail", stream, "--from", future}, 2, "in the future"},
		{"bad output", []string{"tail", stream, "-o", "xml"}, 2, "-o xml"},
		{"consumer without efo", []string{"tail", stream, "--consumer", "x"}, 2, "--efo"},
		{"missing stream", []string{"tail"}, 2, "accepts 1 arg"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, _, errs := e.kinspect(tt.args...)
			if code != tt.code {
				t.Fatalf("exit %d, want %d; stderr %q", code, tt.code, errs)
			}
			if strings.Count(strings.TrimSpace(errs), "\n") != 0 || !strings.Contains(errs, tt.msg) {
				t.Fatalf("stderr %q: want one line containing %q", errs, tt.msg)
			}
			if strings.Contains(errs, "goroutine") || strings.Contains(errs, "panic") {
				t.Fatalf("stack trace on stderr: %s", errs)
			}
		})
	}
}

func TestShardsAndLsJSON(t *testing.T) {
	e := newWriteEnv(t, local.Options{})
	stream := testenv.StreamName(t)
	testenv.CreateStream(t, e.sdk, stream, 2)
	if _, err := e.sdk.SplitShard(context.Background(), &kinesis.SplitShardInput{StreamName: aws.String(stream), ShardToSplit: aws.String("shardId-000000000000"),
		NewStartingHashKey: aws.String("85070591730234615865843651857942052864")}); err != nil {
		t.Fatal(err)
	}
	if err := testenv.WaitStreamActive(context.Background(), e.sdk, stream); err != nil {
		t.Fatal(err)
	}
	code, out, errs := e.kinspect("shards", stream, "-o", "json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	var shards []shardJSON
	if err := json.Unmarshal([]byte(out), &shards); err != nil {
		t.Fatal(err)
	}
	if len(shards) != 4 {
		t.Fatalf("%d shards, want 4: %s", len(shards), out)
	}
	children := 0
	for _, s := range shards {
		if s.Parent == "shardId-000000000000" {
			children++
			if !s.Open {
				t.Errorf("child %s closed", s.ID)
			}
		}
		if s.ID == "shardId-000000000000" && (s.Open || s.EndingSequence == "") {
			t.Errorf("parent still open: %+v", s)
		}
	}
	if children != 2 {
		t.Fatalf("%d children of shard 0, want 2", children)
	}
	for _, key := range []string{`"id"`, `"parent"`, `"adjacentParent"`, `"startingHashKey"`, `"endingHashKey"`, `"startingSequence"`, `"endingSequence"`, `"open"`} {
		if !strings.Contains(out, key) {
			t.Errorf("shards JSON lacks %s", key)
		}
	}
	code, out, _ = e.kinspect("shards", stream, "--tree")
	if code != 0 || !strings.Contains(out, "└ shardId-000000000002") {
		t.Fatalf("tree output:\n%s", out)
	}
	code, out, _ = e.kinspect("ls", "-o", "json")
	var streams []streamJSON
	if code != 0 || json.Unmarshal([]byte(out), &streams) != nil {
		t.Fatalf("ls -o json: exit %d, %s", code, out)
	}
	found := false
	for _, s := range streams {
		if s.Name == stream {
			found = s.OpenShards == 3 && s.Status == string(types.StreamStatusActive) && s.Mode == "PROVISIONED"
		}
	}
	if !found {
		t.Fatalf("ls -o json lacks %s with 3 open shards: %s", stream, out)
	}
}

func TestReadOnlyEFOTailNeedsAnExistingConsumer(t *testing.T) {
	e := newWriteEnv(t, local.Options{})
	stream := testenv.StreamName(t)
	testenv.CreateStream(t, e.sdk, stream, 1)
	code, _, errs := e.kinspect("--read-only", "tail", stream, "--efo", "--max", "1")
	if code != 1 || !strings.Contains(errs, "read-only mode refused it") || !strings.Contains(errs, "--consumer") {
		t.Fatalf("exit %d, stderr %q", code, errs)
	}
	if n := len(consumers(t, e.sdk, stream)); n != 0 {
		t.Fatalf("%d consumers registered in read-only mode", n)
	}
}

func TestStreamNamesComplete(t *testing.T) {
	e := newWriteEnv(t, local.Options{})
	stream := testenv.StreamName(t)
	testenv.CreateStream(t, e.sdk, stream, 1)
	for _, cmd := range []string{"tail", "shards", "split", "metrics"} {
		code, out, errs := e.kinspect("__complete", cmd, stream[:6])
		if code != 0 || !strings.Contains(out, stream) {
			t.Fatalf("%s completion: exit %d, %q, %q", cmd, code, out, errs)
		}
	}
}

// With no credentials anywhere the TUI does not open: one line says how to
// fix it. (IMDS is off, so nothing leaves the machine.)
func TestTUIWithoutCredentials(t *testing.T) {
	t.Setenv("AWS_EC2_METADATA_DISABLED", "true")
	t.Setenv("AWS_ACCESS_KEY_ID", "")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "")
	t.Setenv("AWS_PROFILE", "")
	t.Setenv("AWS_CONFIG_FILE", t.TempDir()+"/none")
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", t.TempDir()+"/none")
	var out, errb strings.Builder
	f := newFactory(Stdio{In: strings.NewReader(""), Out: &out, Err: &errb})
	code := execute(context.Background(), f, []string{"--region", "eu-west-1"})
	if code != 1 || !strings.Contains(errb.String(), "no AWS credentials found") || strings.Count(errb.String(), "\n") != 1 {
		t.Fatalf("exit %d, stderr %q", code, errb.String())
	}
}
