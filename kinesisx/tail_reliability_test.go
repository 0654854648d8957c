package kinesisx_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kinesis"
	"github.com/aws/aws-sdk-go-v2/service/kinesis/types"

	"github.com/kinspect/kinspect/internal/testenv"
	"github.com/kinspect/kinspect/kinesisx"
	"github.com/kinspect/kinspect/kinesisx/hashkey"
	"github.com/kinspect/kinspect/kinesisx/local"
	"github.com/kinspect/kinspect/kinesisx/local/localtest"
)

// startLocal runs the built-in endpoint for one test.
func startLocal(t testing.TB, opts local.Options) string {
	t.Helper()
	return localtest.URL(t, opts)
}

// reshard splits the first open shard at its midpoint and merges the two
// last open shards, waiting for ACTIVE after each.
func reshard(ctx context.Context, t *testing.T, k *kinesis.Client, c *kinesisx.Client, stream string) {
	shards, err := c.ListShards(ctx, stream)
	if err != nil {
		t.Error(err)
		return
	}
	var open []kinesisx.Shard
	for _, s := range shards {
		if s.Open {
			open = append(open, s)
		}
	}
	s0 := open[0]
	mid := hashkey.Mid(s0.HashRange.Start, s0.HashRange.End)
	if _, err := k.SplitShard(ctx, &kinesis.SplitShardInput{StreamName: aws.String(stream), ShardToSplit: aws.String(s0.ID), NewStartingHashKey: aws.String(mid.String())}); err != nil {
		t.Errorf("split: %v", err)
		return
	}
	if err := testenv.WaitStreamActive(ctx, k, stream); err != nil {
		t.Error(err)
		return
	}
	a, b := open[len(open)-2], open[len(open)-1]
	if _, err := k.MergeShards(ctx, &kinesis.MergeShardsInput{StreamName: aws.String(stream), ShardToMerge: aws.String(a.ID), AdjacentShardToMerge: aws.String(b.ID)}); err != nil {
		t.Errorf("merge: %v", err)
		return
	}
	if err := testenv.WaitStreamActive(ctx, k, stream); err != nil {
		t.Error(err)
	}
}

// reliabilityCase is one run of the reliability suite.
type reliabilityCase struct {
	mode                   kinesisx.Mode
	producers, perProducer int
	reshard                bool // split and merge halfway
	faults                 bool // the endpoint injects faults: the tail must have retried
}

// runReliability puts records from several producers while a tail reads
// from the trim horizon, reshards halfway if asked, and checks delivery.
func runReliability(t *testing.T, endpoint string, rc reliabilityCase) {
	mode, producers, perProducer := rc.mode, rc.producers, rc.perProducer
	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Minute)
	defer cancel()
	k := testenv.KinesisClient(t, endpoint)
	stream := testenv.StreamName(t)
	testenv.CreateStream(t, k, stream, 4)
	c := kinesisx.New(k)
	tail, err := c.Tail(ctx, kinesisx.TailOptions{Stream: stream, From: kinesisx.StartPosition{Type: kinesisx.PositionTrimHorizon}, Mode: mode})
	if err != nil {
		t.Fatal(err)
	}
	defer tail.Close()

	want := map[string]bool{}
	for p := 0; p < producers; p++ {
		for i := 0; i < perProducer; i++ {
			want[fmt.Sprintf("p%d-%06d", p, i)] = true
		}
	}
	var wg sync.WaitGroup
	put := func(part int) {
		for p := 0; p < producers; p++ {
			wg.Add(1)
			go func(p int) {
				defer wg.Done()
				half := perProducer / 2
				prefix := fmt.Sprintf("p%d", p)
				var err error
				if part == 0 {
					err = produceRange(ctx, k, stream, prefix, 0, half, uint64(p))
				} else {
					err = produceRange(ctx, k, stream, prefix, half, perProducer, uint64(p+100))
				}
				if err != nil {
					t.Errorf("producer %d: %v", p, err)
				}
			}(p)
		}
		wg.Wait()
	}
	put(0)
	if rc.reshard {
		reshard(ctx, t, k, c, stream)
	}
	put(1)

	var got []testenv.Delivery
	progress := map[string]kinesisx.ShardProgress{}
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
			}
			for id, p := range b.Shards {
				progress[id] = p
			}
		case <-ctx.Done():
			t.Fatalf("only %d of %d records arrived", len(got), len(want))
		}
	}
	// Anything more would be a duplicate: give it a moment to show up.
	extra := time.After(1500 * time.Millisecond)
	for waiting := true; waiting; {
		select {
		case b := <-tail.Batches():
			for _, r := range b.Records {
				got = append(got, testenv.Delivery{Shard: r.ShardID, Sequence: r.SequenceNumber, Data: string(r.Data)})
			}
		case <-extra:
			waiting = false
		}
	}
	shards, err := c.ListShards(ctx, stream)
	if err != nil {
		t.Fatal(err)
	}
	testenv.CheckDelivery(t, got, want, shards)
	retries, throttles := 0, 0
	for _, p := range progress {
		retries += p.Retries
		throttles += p.Throttles
	}
	t.Logf("%d records over %d shards; the tail retried %d calls, %d of them throttled", len(got), len(progress), retries, throttles)
	if rc.faults && (retries == 0 || throttles == 0) {
		t.Fatalf("faults were on but the tail retried %d calls (%d throttled): the test did not exercise them", retries, throttles)
	}
}

// produceRange puts records prefix-from … prefix-(to-1).
func produceRange(ctx context.Context, k *kinesis.Client, stream, prefix string, from, to int, seed uint64) error {
	rng := rand.New(rand.NewPCG(seed, 7))
	var pending []types.PutRecordsRequestEntry
	next := from
	for next < to || len(pending) > 0 {
		for len(pending) < 250 && next < to {
			pending = append(pending, types.PutRecordsRequestEntry{
				Data: []byte(fmt.Sprintf("%s-%06d", prefix, next)), PartitionKey: aws.String(fmt.Sprintf("k%d", rng.IntN(1000))),
			})
			next++
		}
		out, err := k.PutRecords(ctx, &kinesis.PutRecordsInput{StreamName: aws.String(stream), Records: pending})
		if err != nil {
			if ctx.Err() != nil {
				return err
			}
			continue // nothing of a failed call landed: send it again
		}
		var failed []types.PutRecordsRequestEntry
		for i, r := range out.Records {
			if r.ErrorCode != nil {
				failed = append(failed, pending[i])
			}
		}
		pending = failed
	}
	return nil
}

// faulty is the endpoint configuration of the reliability suite: throttles,
// internal errors, dropped connections, iterators that expire after two
// seconds and EFO sessions of two seconds.
func faulty() local.Options {
	return local.Options{
		Faults:          local.Faults{Throttle: 0.05, Internal: 0.02, Reset: 0.01, Seed: 42},
		IteratorTTL:     2 * time.Second,
		SessionLifetime: 2 * time.Second,
	}
}

func TestTailReliabilityPolling(t *testing.T) {
	runReliability(t, startLocal(t, faulty()), reliabilityCase{mode: kinesisx.ModePolling, producers: 4, perProducer: 25000, reshard: true, faults: true})
}

func TestTailReliabilityEFO(t *testing.T) {
	opts := faulty()
	// A subscription is one call that lasts a session: make each draw
	// likelier and the sessions shorter, so every shard sees several.
	opts.Faults = local.Faults{Throttle: 0.15, Internal: 0.1, Reset: 0.15, Seed: 42}
	opts.SessionLifetime = time.Second
	runReliability(t, startLocal(t, opts), reliabilityCase{mode: kinesisx.ModeEFO, producers: 4, perProducer: 25000, reshard: true, faults: true})
}

// Against kinesis-mock, at a few thousand records (it slows down as a
// stream grows). Both modes follow a split and a merge there too; for EFO,
// the tail ends a closed shard's subscription itself, since kinesis-mock
// never ends it with ChildShards as AWS does.
func TestTailConformanceKinesisMockPolling(t *testing.T) {
	runReliability(t, testenv.KinesisMock(t), reliabilityCase{mode: kinesisx.ModePolling, producers: 2, perProducer: 1500, reshard: true})
}

func TestTailConformanceKinesisMockEFO(t *testing.T) {
	runReliability(t, testenv.KinesisMock(t), reliabilityCase{mode: kinesisx.ModeEFO, producers: 2, perProducer: 1500, reshard: true})
}
