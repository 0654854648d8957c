package kcl

import (
	"context"
	"slices"
	"sync"
	"testing"
	"time"

	ddbtypes "github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
)

var t0 = time.Date(2026, 12, 5, 12, 0, 0, 0, time.UTC)

type fakes struct {
	log callLog
	k   *fakeKinesis
	d   *fakeDynamo
}

func newFakes(order []string, shards map[string]*fakeShard) *fakes {
	f := &fakes{}
	f.k = &fakeKinesis{order: order, shards: shards, log: &f.log}
	f.d = &fakeDynamo{items: map[string]map[string]ddbtypes.AttributeValue{}, log: &f.log}
	return f
}

// run runs the consumer until done reports true (or 10 s pass).
func run(t *testing.T, f *fakes, o Options, done func() bool) {
	t.Helper()
	o.Every, o.Resync = 5*time.Millisecond, 20*time.Millisecond
	c := newConsumer(f.k, f.d, o)
	ctx, cancel := context.WithCancel(context.Background())
	errc := make(chan error, 1)
	go func() { errc <- c.Run(ctx) }()
	deadline := time.Now().Add(10 * time.Second)
	for !done() {
		if time.Now().After(deadline) {
			cancel()
			<-errc
			calls := f.log.all()
			t.Fatalf("not done within 10 s; the last calls: %v", calls[max(len(calls)-20, 0):])
		}
		time.Sleep(5 * time.Millisecond)
	}
	cancel()
	if err := <-errc; err != nil {
		t.Fatal(err)
	}
}

// TestSplitParentsFirst: a parent is read to its end and checkpointed
// SHARD_END with its children, whose leases name it and are read only
// after it ended, as the KCL does.
func TestSplitParentsFirst(t *testing.T) {
	at := []time.Time{t0, t0, t0}
	f := newFakes([]string{"shardId-0", "shardId-1", "shardId-2"}, map[string]*fakeShard{
		"shardId-0": {arrivals: at, closed: true, children: []string{"shardId-1", "shardId-2"}},
		"shardId-1": {parent: "shardId-0", arrivals: at[:1]},
		"shardId-2": {parent: "shardId-0", arrivals: at[:2]},
	})
	run(t, f, Options{App: "billing", Stream: "orders", Workers: []string{"w1", "w2"}}, func() bool {
		return attr(f.d.item("shardId-1"), "checkpoint") == "1" && attr(f.d.item("shardId-2"), "checkpoint") == "2"
	})
	if f.d.tables[0] != "billing leaseKey" {
		t.Errorf("tables %v", f.d.tables)
	}
	parent := f.d.item("shardId-0")
	if attr(parent, "checkpoint") != "SHARD_END" || attr(parent, "childShardIds") != "shardId-1,shardId-2" || attr(parent, "leaseOwner") != "w1" {
		t.Errorf("parent lease %v", parent)
	}
	for _, id := range []string{"shardId-1", "shardId-2"} {
		l := f.d.item(id)
		if attr(l, "parentShardId") != "shardId-0" || attr(l, "checkpointSubSequenceNumber") != "0" || attr(l, "ownerSwitchesSinceCheckpoint") != "0" || attr(l, "leaseCounter") == "0" {
			t.Errorf("child %s lease %v", id, l)
		}
	}
	calls := f.log.all()
	ended := slices.Index(calls, "put shardId-0 SHARD_END")
	for _, id := range []string{"shardId-1", "shardId-2"} {
		if first := slices.Index(calls, "iterator "+id); first < ended || ended < 0 {
			t.Errorf("%s read at call %d, its parent ended at %d: %v", id, first, ended, calls)
		}
	}
}

// TestSlowShardTrails: the slow shard checkpoints only records Delay old,
// the others every record read.
func TestSlowShardTrails(t *testing.T) {
	var mu sync.Mutex
	now := t0
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	arrivals := []time.Time{t0.Add(-10 * time.Second), t0.Add(-5 * time.Second), t0.Add(-time.Second)}
	f := newFakes([]string{"shardId-0", "shardId-1"}, map[string]*fakeShard{
		"shardId-0": {arrivals: arrivals},
		"shardId-1": {arrivals: arrivals},
	})
	o := Options{App: "billing", Stream: "orders", SlowShard: "shardId-1", Delay: 3 * time.Second, Now: clock}
	advanced := false
	run(t, f, o, func() bool {
		slow := attr(f.d.item("shardId-1"), "checkpoint")
		if !advanced && slow == "2" && attr(f.d.item("shardId-0"), "checkpoint") == "3" {
			// The 5 s old record is checkpointed, the 1 s old one waits;
			// 2 s later it is 3 s old, and its turn comes.
			if slices.Contains(f.log.all(), "put shardId-1 3") {
				t.Fatal("the slow shard checkpointed a record 1 s old")
			}
			mu.Lock()
			now = now.Add(2 * time.Second)
			mu.Unlock()
			advanced = true
		}
		return advanced && slow == "3"
	})
}
