package kinesisx

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kinesis"
	"github.com/aws/aws-sdk-go-v2/service/kinesis/types"
)

// The shards of a stream resharded twice after a tail started: A and B
// were open; A split into C and D; C and B merged into E.
const (
	shA = "shardId-000000000000"
	shB = "shardId-000000000001"
	shC = "shardId-000000000002"
	shD = "shardId-000000000003"
	shE = "shardId-000000000004"
)

// twoReshards is that stream, every shard closed (so that a tail of it
// ends), with A's reads held until release is called. Its first ListShards
// answers what the stream was when the tail started: A and B, open.
type twoReshards struct {
	m       *memStream
	api     *fakeAPI
	gate    chan struct{}
	once    sync.Once
	mu      sync.Mutex
	lists   int
	listErr error // every ListShards after the first fails with it
	// current makes the first ListShards answer the stream as it is now.
	current bool
}

func newTwoReshards() *twoReshards {
	m := newMemStream(2)
	m.addShard(shA, "", "", true, 5)
	m.addShard(shB, "", "", true, 2)
	m.addShard(shC, shA, "", true, 3)
	m.addShard(shD, shA, "", true, 1)
	m.addShard(shE, shC, shB, true, 3)
	r := &twoReshards{m: m, api: m.api(), gate: make(chan struct{})}
	list, get := r.api.ListShardsFn, r.api.GetRecordsFn
	r.api.ListShardsFn = func(ctx context.Context, in *kinesis.ListShardsInput) (*kinesis.ListShardsOutput, error) {
		r.mu.Lock()
		r.lists++
		first, err := r.lists == 1 && !r.current, r.listErr
		r.mu.Unlock()
		if first {
			var open []types.Shard
			for _, s := range m.shards[:2] {
				s.SequenceNumberRange = &types.SequenceNumberRange{StartingSequenceNumber: s.SequenceNumberRange.StartingSequenceNumber}
				open = append(open, s)
			}
			return &kinesis.ListShardsOutput{Shards: open}, nil
		}
		if err != nil {
			return nil, err
		}
		return list(ctx, in)
	}
	r.api.GetRecordsFn = func(ctx context.Context, in *kinesis.GetRecordsInput) (*kinesis.GetRecordsOutput, error) {
		if strings.HasPrefix(aws.ToString(in.ShardIterator), shA+":") {
			select {
			case <-r.gate:
			case <-ctx.Done():
				return nil, ctx.Err()
			}
		}
		return get(ctx, in)
	}
	return r
}

func (r *twoReshards) release() { r.once.Do(func() { close(r.gate) }) }

func (r *twoReshards) listCalls() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.lists
}

// fastTail are options that read the fake stream without pacing.
func fastTail(shards ...string) TailOptions {
	return TailOptions{Stream: "s", Shards: shards, From: StartPosition{Type: PositionTrimHorizon}, MaxCallsPerSec: -1,
		MinPollInterval: time.Millisecond, IdlePollInterval: 5 * time.Millisecond, FlushInterval: 5 * time.Millisecond}
}

// tailUntilEnd tails the stream and reads the tail to its end; once a
// batch says B is closed, it lets A be read. It returns the records and
// the tail's error.
func tailUntilEnd(t *testing.T, r *twoReshards, opts TailOptions, copts ...Option) ([]Record, error) {
	t.Helper()
	tl, err := newClient(r.api, copts...).Tail(context.Background(), opts)
	if err != nil {
		t.Fatal(err)
	}
	defer tl.Close()
	var recs []Record
	timeout := time.After(10 * time.Second)
	for {
		select {
		case b, ok := <-tl.Batches():
			if !ok {
				return recs, tl.Err()
			}
			recs = append(recs, b.Records...)
			if b.Shards[shB].Closed {
				r.release()
			}
		case <-timeout:
			t.Fatalf("the tail did not end; %d records: %v", len(recs), dataOf(recs))
		}
	}
}

// tailToEnd is tailUntilEnd for a tail that must end without an error.
func tailToEnd(t *testing.T, r *twoReshards, opts TailOptions) []Record {
	t.Helper()
	recs, err := tailUntilEnd(t, r, opts)
	if err != nil {
		t.Fatalf("tail ended with %v", err)
	}
	return recs
}

// checkParentsFirst fails the test unless every record of a parent comes
// before every record of its child, and each shard's records in order.
func checkParentsFirst(t *testing.T, recs []Record, wantN int) {
	t.Helper()
	if len(recs) != wantN {
		t.Fatalf("got %d records, want %d: %v", len(recs), wantN, dataOf(recs))
	}
	first, last := map[string]int{}, map[string]int{}
	prev := map[string]string{}
	for i, r := range recs {
		if _, ok := first[r.ShardID]; !ok {
			first[r.ShardID] = i
		}
		last[r.ShardID] = i
		if p := prev[r.ShardID]; p != "" && CompareSequence(p, r.SequenceNumber) >= 0 {
			t.Fatalf("shard %s out of order at %d: %v", r.ShardID, i, dataOf(recs))
		}
		prev[r.ShardID] = r.SequenceNumber
	}
	for _, edge := range [][2]string{{shA, shC}, {shA, shD}, {shC, shE}, {shB, shE}} {
		p, c := edge[0], edge[1]
		pl, okp := last[p]
		cf, okc := first[c]
		if okp && okc && pl > cf {
			t.Fatalf("%s's record #%d came before its parent %s's last (#%d): %v", c, cf, p, pl, dataOf(recs))
		}
	}
}

// A tail that reads B to its end before A: B announces E, whose other
// parent C (A's child) the tail has not met yet. E must wait for C.
func TestTailLineageWaitsForParentNotYetKnown(t *testing.T) {
	for _, merge := range []bool{false, true} {
		t.Run(map[bool]string{false: "unmerged", true: "merged"}[merge], func(t *testing.T) {
			r := newTwoReshards()
			opts := fastTail()
			opts.Merge = merge
			checkParentsFirst(t, tailToEnd(t, r, opts), 14)
			// One listing to start, one for E's unknown parent.
			if n := r.listCalls(); n != 2 {
				t.Errorf("ListShards called %d times, want 2", n)
			}
		})
	}
}

// A tail of B alone never reads C: E must not wait for it.
func TestTailLineageSubsetSkipsParentNeverRead(t *testing.T) {
	r := newTwoReshards()
	r.release()
	recs := tailToEnd(t, r, fastTail(shB))
	checkParentsFirst(t, recs, 5)
	for _, rec := range recs {
		if rec.ShardID != shB && rec.ShardID != shE {
			t.Fatalf("a tail of %s read %s", shB, rec.ShardID)
		}
	}
}

// When the stream cannot be listed, the tail does not guess: it ends with
// an error that says which parent it could not place, after its retries.
func TestTailLineageListFailureEndsTail(t *testing.T) {
	r := newTwoReshards()
	r.listErr = apiErr{"InternalFailure"}
	w := &waits{}
	recs, err := tailUntilEnd(t, r, fastTail(), WithWait(w.wait))
	if err == nil || !strings.Contains(err.Error(), shC) || !errors.Is(err, apiErr{"InternalFailure"}) {
		t.Fatalf("tail ended with %v, want an error naming %s and wrapping the listing's", err, shC)
	}
	for _, rec := range recs {
		if rec.ShardID == shE {
			t.Fatalf("E was read though its parent C could not be placed: %v", dataOf(recs))
		}
	}
	if n := r.listCalls(); n != 1+lineageAttempts {
		t.Errorf("ListShards called %d times, want %d", n, 1+lineageAttempts)
	}
}

// A tail of A and of its grandchild E reads the child in between, C,
// before E; B, which it does not read, does not hold E back.
func TestTailLineageSubsetWaitsForShardInBetween(t *testing.T) {
	r := newTwoReshards()
	r.current = true
	r.release()
	checkParentsFirst(t, tailToEnd(t, r, fastTail(shA, shE)), 12)
	if n := r.listCalls(); n != 1 {
		t.Errorf("ListShards called %d times, want 1 (the tail's first listing places C)", n)
	}
}
