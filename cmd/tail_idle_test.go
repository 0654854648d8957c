package cmd

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kinesis"
	"github.com/aws/aws-sdk-go-v2/service/kinesis/types"

	"github.com/kinspect/kinspect/kinesisx/local"
)

// slowFirstReads serves the endpoint's handler, holding every GetRecords
// until hold has passed since the first one came: a slow endpoint, whose
// first answers come after --idle and the live rates' refresh.
func slowFirstReads(t *testing.T, h http.Handler, hold time.Duration) string {
	var once sync.Once
	open := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasSuffix(r.Header.Get("X-Amz-Target"), ".GetRecords") {
			once.Do(func() { time.AfterFunc(hold, func() { close(open) }) })
			select {
			case <-open:
			case <-r.Context().Done():
				return
			}
		}
		h.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	return srv.URL
}

// tail --idle on a wide stream with data on every shard prints every
// record: it stops only once every shard's reads said it is caught up,
// never on the live rates' refresh before the first answer (once it
// stopped with nothing when the first answers took longer than --idle).
func TestTailIdleWideStreamPrintsEveryRecord(t *testing.T) {
	const shards, perShard = 40, 25
	e := newWriteEnv(t, local.Options{})
	stream := e.stream(shards)
	want := map[string]bool{}
	for _, s := range e.shards(stream) {
		var entries []types.PutRecordsRequestEntry
		for i := 0; i < perShard; i++ {
			d := fmt.Sprintf("%s-%02d", aws.ToString(s.ShardId), i)
			want[d] = true
			entries = append(entries, types.PutRecordsRequestEntry{Data: []byte(d), PartitionKey: aws.String("k"), ExplicitHashKey: s.HashKeyRange.StartingHashKey})
		}
		out, err := e.sdk.PutRecords(context.Background(), &kinesis.PutRecordsInput{StreamName: aws.String(stream), Records: entries})
		if err != nil || aws.ToInt32(out.FailedRecordCount) != 0 {
			t.Fatalf("put to %s: %v", aws.ToString(s.ShardId), err)
		}
	}
	slow := *e
	slow.url = slowFirstReads(t, e.srv.Handler(), 3*time.Second)
	r := slow.run("", false, "tail", stream, "--from", "trim-horizon", "--idle", "2s", "-o", "raw")
	wantExit(t, r, 0, "")
	lines := strings.Fields(r.stdout)
	got := map[string]bool{}
	for _, l := range lines {
		if got[l] || !want[l] {
			t.Fatalf("record %q printed twice or never put", l)
		}
		got[l] = true
	}
	if len(got) != len(want) {
		t.Fatalf("printed %d of %d records", len(got), len(want))
	}
}
