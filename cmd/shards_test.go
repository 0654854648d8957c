package cmd

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/kinspect/kinspect/kinesisx/hashkey"
	"github.com/kinspect/kinspect/kinesisx/local"
)

// shards --key follows a partition key through resharding: the closed
// shard that took it, then the child that takes it now.
func TestShardsForKey(t *testing.T) {
	e := newWriteEnv(t, local.Options{})
	stream := e.stream(2)
	wantExit(t, e.run("", false, "split", stream, "shardId-000000000000", "--yes"), 0, "")

	// A key whose hash falls in the upper half of shard 0's range.
	parent := hashkey.Split(2)[0]
	mid := hashkey.Mid(parent.Start, parent.End)
	key := ""
	for i := 0; ; i++ {
		k := fmt.Sprintf("user-%d", i)
		if h := hashkey.FromPartitionKey(k); parent.Contains(h) && h.Cmp(mid) > 0 {
			key = k
			break
		}
	}
	r := e.run("", false, "shards", stream, "--key", key, "-o", "json")
	wantExit(t, r, 0, "")
	var got []shardJSON
	if err := json.Unmarshal([]byte(r.stdout), &got); err != nil {
		t.Fatalf("%v: %s", err, r.stdout)
	}
	if len(got) != 2 || got[0].ID != "shardId-000000000000" || got[0].Open || got[1].Parent != "shardId-000000000000" || !got[1].Open {
		t.Fatalf("shards holding %q: %+v", key, got)
	}

	r = e.run("", false, "shards", stream, "--key", key, "--tree")
	wantExit(t, r, 0, "")
	if !strings.HasPrefix(r.stdout, "partition key \""+key+"\" hashes to "+hashkey.FromPartitionKey(key).String()) || !strings.Contains(r.stdout, "└ "+got[1].ID) {
		t.Errorf("table:\n%s", r.stdout)
	}

	r = e.run("", false, "shards", stream, "--hash-key", hashkey.Split(2)[1].End.String(), "-o", "json")
	wantExit(t, r, 0, "")
	if !strings.Contains(r.stdout, `"id": "shardId-000000000001"`) || strings.Count(r.stdout, `"id"`) != 1 {
		t.Errorf("--hash-key at the top of the key space: %s", r.stdout)
	}
	wantExit(t, e.run("", false, "shards", stream, "--hash-key", "-1"), 2, "--hash-key")
	wantExit(t, e.run("", false, "shards", stream, "--key", "a", "--hash-key", "1"), 2, "choose one of --key and --hash-key")
}
