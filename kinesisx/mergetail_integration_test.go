package kinesisx_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/kinspect/kinspect/internal/testenv"
	"github.com/kinspect/kinspect/kinesisx"
	"github.com/kinspect/kinspect/kinesisx/local"
)

// TestTailMergedOrder reads a 4-shard stream of the built-in endpoint with
// a merged tail while producers put records in bursts, and the stream is
// split and merged halfway: every record once, each shard in order,
// parents first (CheckDelivery), and arrival times never going back by
// more than the watermark (500 ms) and readable, 1 s in all. Polling reads
// each shard only every 1-2 s here, so that the shards' reads, taken in
// blocks, would break it. (readable: a record becomes readable a little
// after its arrival time, as in Kinesis, once the endpoint has parsed the
// whole PutRecords call; that takes a few hundred milliseconds under the
// race detector on a busy machine.)
func TestTailMergedOrder(t *testing.T) {
	t.Run("polling", func(t *testing.T) { runMergedOrder(t, kinesisx.ModePolling) })
	t.Run("efo", func(t *testing.T) { runMergedOrder(t, kinesisx.ModeEFO) })
}

func runMergedOrder(t *testing.T, mode kinesisx.Mode) {
	const producers, perProducer = 4, 1500
	const watermark, readable = 500 * time.Millisecond, 500 * time.Millisecond
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	k := testenv.KinesisClient(t, startLocal(t, local.Options{}))
	stream := testenv.StreamName(t)
	testenv.CreateStream(t, k, stream, 4)
	c := kinesisx.New(k)
	tail, err := c.Tail(ctx, kinesisx.TailOptions{Stream: stream, From: kinesisx.StartPosition{Type: kinesisx.PositionTrimHorizon}, Mode: mode, Merge: true, Watermark: watermark,
		MinPollInterval: time.Second, IdlePollInterval: 2 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	defer tail.Close()

	want := map[string]bool{}
	for p := range producers {
		for i := range perProducer {
			want[fmt.Sprintf("p%d-%06d", p, i)] = true
		}
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		var wg sync.WaitGroup
		for p := range producers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				// Bursts of 250 every 300 ms, spread over the shards by key.
				for from := 0; from < perProducer; from += 250 {
					if err := produceRange(ctx, k, stream, fmt.Sprintf("p%d", p), from, min(from+250, perProducer), uint64(p*1000+from)); err != nil {
						t.Errorf("producer %d: %v", p, err)
						return
					}
					time.Sleep(300 * time.Millisecond)
					if p == 0 && from == perProducer/2 {
						reshard(ctx, t, k, c, stream)
					}
				}
			}()
		}
		wg.Wait()
	}()

	var got []testenv.Delivery
	var latest time.Time
	back := time.Duration(0)
	distinct := map[string]bool{}
	for len(distinct) < len(want) {
		select {
		case b, ok := <-tail.Batches():
			if !ok {
				t.Fatalf("tail ended early after %d records: %v", len(got), tail.Err())
			}
			for _, r := range b.Records {
				got = append(got, testenv.Delivery{Shard: r.ShardID, Sequence: r.SequenceNumber, Data: string(r.Data)})
				distinct[string(r.Data)] = true
				if d := latest.Sub(r.ArrivedAt); d > back {
					back = d
				}
				if d := latest.Sub(r.ArrivedAt); d > watermark+readable {
					t.Errorf("record %s (%s) arrived %v, %v before one delivered earlier", r.Data, r.ShardID, r.ArrivedAt.Format("15:04:05.000"), d)
				}
				if r.ArrivedAt.After(latest) {
					latest = r.ArrivedAt
				}
			}
		case <-ctx.Done():
			t.Fatalf("only %d of %d records arrived", len(distinct), len(want))
		}
	}
	<-done
	shards, err := c.ListShards(ctx, stream)
	if err != nil {
		t.Fatal(err)
	}
	if len(shards) < 7 {
		t.Fatalf("%d shards: the split and the merge did not happen", len(shards))
	}
	testenv.CheckDelivery(t, got, want, shards)
	t.Logf("%d records over %d shards; arrival went back by at most %v (watermark %v)", len(got), len(shards), back, watermark)
}
