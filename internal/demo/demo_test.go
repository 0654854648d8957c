package demo_test

import (
	"context"
	"testing"
	"time"

	"github.com/kinspect/kinspect/internal/demo"
	"github.com/kinspect/kinspect/internal/testenv"
	"github.com/kinspect/kinspect/kinesisx"
	"github.com/kinspect/kinspect/kinesisx/local"
	"github.com/kinspect/kinspect/kinesisx/local/localtest"
)

// TestDemoTraffic runs the demo producers for a few seconds against the
// built-in endpoint with limits on and checks what a visitor will see: the
// orders stream's hot key dominates one shard, the KPL stream carries
// aggregates, the logs stream carries gzip payloads.
func TestDemoTraffic(t *testing.T) {
	url := localtest.URL(t, local.Options{Limits: true})
	k := testenv.KinesisClient(t, url)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	streams := demo.Streams()
	if err := demo.Setup(ctx, k, streams); err != nil {
		t.Fatal(err)
	}
	pctx, stop := context.WithTimeout(ctx, 2500*time.Millisecond)
	demo.Run(pctx, k, streams)
	stop()

	c := kinesisx.New(k)
	read := func(stream string) []kinesisx.Record {
		tl, err := c.Tail(ctx, kinesisx.TailOptions{Stream: stream, From: kinesisx.StartPosition{Type: kinesisx.PositionTrimHorizon}, IdlePollInterval: 50 * time.Millisecond})
		if err != nil {
			t.Fatal(err)
		}
		defer tl.Close()
		var recs []kinesisx.Record
		for b := range tl.Batches() {
			recs = append(recs, b.Records...)
			if b.CaughtUp && len(recs) > 0 {
				break
			}
		}
		return recs
	}
	orders := read("orders")
	perShard := map[string]int{}
	hot := 0
	for _, r := range orders {
		perShard[r.ShardID]++
		if r.PartitionKey == "customer-42" {
			hot++
		}
	}
	if hot < len(orders)/2 {
		t.Fatalf("hot key has %d of %d order records, want most", hot, len(orders))
	}
	shards, _ := c.ListShards(ctx, "orders")
	hotShard, _ := kinesisx.ShardForKey(shards, "customer-42")
	for id, n := range perShard {
		if id != hotShard.ID && n >= perShard[hotShard.ID] {
			t.Fatalf("shard %s has %d records, the hot shard %s only %d", id, n, hotShard.ID, perShard[hotShard.ID])
		}
	}
	clicks := read("clickstream-kpl")
	if len(clicks) == 0 || !clicks[0].Aggregated {
		t.Fatalf("clickstream-kpl: %d records, first aggregated=%v", len(clicks), len(clicks) > 0 && clicks[0].Aggregated)
	}
	logs := read("app-logs")
	if len(logs) == 0 || len(logs[0].Data) < 2 || logs[0].Data[0] != 0x1f || logs[0].Data[1] != 0x8b {
		t.Fatalf("app-logs: want gzip payloads, got %d records", len(logs))
	}
}
