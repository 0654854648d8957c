package cmd

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kinesis"

	"github.com/kinspect/kinspect/kinesisx/local"
	"github.com/kinspect/kinspect/kinesisx/protodec/prototest"
)

// With a descriptor set and a message type, tail and find show protobuf
// payloads as JSON, and find's --grep looks into them.
func TestProtobufPayloads(t *testing.T) {
	e := newWriteEnv(t, local.Options{})
	stream := e.stream(1)
	set := prototest.OrderSet(t)
	desc := filepath.Join(t.TempDir(), "shop.binpb")
	if err := os.WriteFile(desc, set, 0o600); err != nil {
		t.Fatal(err)
	}
	for i, data := range [][]byte{
		prototest.Order(t, set, "o-1", 1999, "book"),
		[]byte("plain text, not an order"),
		prototest.Order(t, set, "o-2", 500, "pen", "ink"),
	} {
		if _, err := e.sdk.PutRecord(context.Background(), &kinesis.PutRecordInput{StreamName: aws.String(stream), PartitionKey: aws.String("k"), Data: data}); err != nil {
			t.Fatalf("put %d: %v", i, err)
		}
	}
	proto := []string{"--proto-descriptor", desc, "--proto-message", "shop.v1.Order"}

	r := e.run("", false, append(proto, "tail", stream, "--from", "trim-horizon", "--max", "3", "-o", "json")...)
	wantExit(t, r, 0, "")
	type line struct {
		Data        string
		Decoded     json.RawMessage
		DecodeError string
	}
	var lines []line
	for _, l := range strings.Split(strings.TrimSpace(r.stdout), "\n") {
		var v line
		if err := json.Unmarshal([]byte(l), &v); err != nil {
			t.Fatalf("%v: %s", err, l)
		}
		lines = append(lines, v)
	}
	if len(lines) != 3 || string(lines[0].Decoded) != `{"id":"o-1","amountCents":"1999","items":["book"]}` ||
		lines[1].Decoded != nil || !strings.Contains(lines[1].DecodeError, "not a shop.v1.Order") ||
		string(lines[2].Decoded) != `{"id":"o-2","amountCents":"500","items":["pen","ink"]}` {
		t.Fatalf("tail -o json:\n%s", r.stdout)
	}

	r = e.run("", false, append(proto, "tail", stream, "--from", "trim-horizon", "--max", "1")...)
	wantExit(t, r, 0, "")
	if !strings.Contains(r.stdout, `{"id":"o-1","amountCents":"1999","items":["book"]}`) {
		t.Errorf("text preview: %s", r.stdout)
	}

	r = e.run("", false, append(proto, "find", stream, "--grep", `"items":\[[^]]*"ink"`, "--from", "-5m", "-o", "json")...)
	wantExit(t, r, 0, "1 match(es)")
	if !strings.Contains(r.stdout, `"id":"o-2"`) {
		t.Errorf("find into protobuf: %s", r.stdout)
	}

	// One type per stream: this stream's, or another stream's only.
	r = e.run("", false, "--proto-descriptor", desc, "--proto-message", stream+"=shop.v1.Order,other=shop.v1.Order", "tail", stream, "--from", "trim-horizon", "--max", "1", "-o", "json")
	wantExit(t, r, 0, "")
	if !strings.Contains(r.stdout, `"decoded":{"id":"o-1"`) {
		t.Errorf("per-stream type not applied: %s", r.stdout)
	}
	r = e.run("", false, "--proto-descriptor", desc, "--proto-message", "other=shop.v1.Order", "tail", stream, "--from", "trim-horizon", "--max", "1", "-o", "json")
	wantExit(t, r, 0, "")
	if strings.Contains(r.stdout, "decoded") {
		t.Errorf("another stream's type applied: %s", r.stdout)
	}

	wantExit(t, e.run("", false, "--proto-message", "shop.v1.Order", "tail", stream), 2, "--proto-descriptor and --proto-message go together")
	wantExit(t, e.run("", false, "--proto-descriptor", desc, "--proto-message", "shop.v1.Refund", "tail", stream), 2, "protobuf message shop.v1.Refund: not in the descriptor set")
}
