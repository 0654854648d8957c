package kinesisx_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/kinspect/kinspect/internal/testenv"
	"github.com/kinspect/kinspect/kinesisx"
)

// A tail from a sequence number, with no shard named, starts on the shard
// that issued it, though every open shard's sequence range holds it.
func TestTailFromSequenceFindsItsShard(t *testing.T) {
	for _, b := range writeBackends() {
		t.Run(b.name, func(t *testing.T) {
			sdk := testenv.KinesisClient(t, b.url(t))
			stream := testenv.StreamName(t)
			testenv.CreateStream(t, sdk, stream, 4)
			c := kinesisx.New(sdk)
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			const target = "shardId-000000000003"
			if _, err := c.Put(ctx, kinesisx.PutOptions{Stream: stream, Keys: kinesisx.KeyShard, ShardID: target, Count: 3}, kinesisx.Lines(strings.NewReader("a\nb\nc\n")), nil); err != nil {
				t.Fatal(err)
			}
			recs := readAll(t, sdk, stream, target)
			if len(recs) != 3 {
				t.Fatalf("%d records on %s", len(recs), target)
			}
			seq := *recs[1].SequenceNumber

			for _, tc := range []struct {
				from string
				want []string
			}{
				{"at:" + seq, []string{"b", "c"}},
				{"after:" + seq, []string{"c"}},
			} {
				from, err := kinesisx.ParseStartPosition(tc.from, time.Now())
				if err != nil {
					t.Fatal(err)
				}
				tctx, tcancel := context.WithTimeout(ctx, 10*time.Second)
				tail, err := c.Tail(tctx, kinesisx.TailOptions{Stream: stream, From: from})
				if err != nil {
					t.Fatalf("tail --from %s: %v", tc.from[:3], err)
				}
				var got []string
				for b := range tail.Batches() {
					for _, r := range b.Records {
						if r.ShardID != target {
							t.Errorf("record from %s", r.ShardID)
						}
						got = append(got, string(r.Data))
					}
					if b.CaughtUp && len(got) >= len(tc.want) {
						break
					}
				}
				tail.Close()
				tcancel()
				if strings.Join(got, ",") != strings.Join(tc.want, ",") {
					t.Errorf("from %s...: got %q, want %q", tc.from[:6], got, tc.want)
				}
			}

			// A sequence number no shard issued: one clear error.
			from, _ := kinesisx.ParseStartPosition("at:49"+strings.Repeat("1", 54), time.Now())
			if _, err := c.Tail(ctx, kinesisx.TailOptions{Stream: stream, From: from}); err == nil || !strings.Contains(err.Error(), "no shard of "+stream+" holds sequence number") {
				t.Errorf("foreign sequence number: %v", err)
			}
		})
	}
}
