package kinesisx

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kinesis"
)

// budgetRun is a polling tail of a wide stream on a fake clock: a few
// shards hold records (behind), the rest are empty (caught up). It records
// every turn the budget granted and every GetRecords call, by shard.
type budgetRun struct {
	start   time.Time
	rate    float64
	grants  []grant
	calls   map[string][]time.Time
	records []Record
	last    Batch
}

type grant struct {
	shard string
	at    time.Time
}

func runBudget(t *testing.T, shards, behind, perBehind int, maxCalls float64, until time.Duration) *budgetRun {
	t.Helper()
	m := newMemStream(10)
	for i := 0; i < shards; i++ {
		n := 0
		if i < behind {
			n = perBehind
		}
		m.addShard(fmt.Sprintf("shardId-%012d", i), "", "", false, n)
		if n == 0 {
			delete(m.records, fmt.Sprintf("shardId-%012d", i))
		}
	}
	clock := newFakeClock()
	r := &budgetRun{start: clock.now(), calls: map[string][]time.Time{}}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var mu sync.Mutex
	api := m.api()
	getRecords := api.GetRecordsFn
	api.GetRecordsFn = func(ctx context.Context, in *kinesis.GetRecordsInput) (*kinesis.GetRecordsOutput, error) {
		now := clock.now()
		if now.Sub(r.start) > until {
			cancel()
			return nil, ctx.Err()
		}
		id := aws.ToString(in.ShardIterator)[:len("shardId-000000000000")]
		mu.Lock()
		r.calls[id] = append(r.calls[id], now)
		mu.Unlock()
		return getRecords(ctx, in)
	}
	c := newClient(api, clock.options()...)
	tl, err := c.Tail(ctx, TailOptions{Stream: "s", From: StartPosition{Type: PositionTrimHorizon}, MaxCallsPerSec: maxCalls,
		granted: func(shard string, at time.Time) {
			mu.Lock()
			r.grants = append(r.grants, grant{shard, at})
			mu.Unlock()
		},
		settled: func(queued int) bool { return queued == shards }})
	if err != nil {
		t.Fatal(err)
	}
	defer tl.Close()
	for b := range tl.Batches() {
		r.records = append(r.records, b.Records...)
		if b.Cost.Shards > 0 {
			r.last = b
		}
	}
	if err := tl.Err(); err != nil {
		t.Fatal(err)
	}
	r.rate = maxCalls
	if maxCalls == 0 {
		r.rate = DefaultCallsPerSec(shards)
	}
	return r
}

// checkBudget asserts that no second held more turns than the budget
// allows (rate, plus the burst that catches up after a late turn), and
// the run as a whole no more than the rate.
func (r *budgetRun) checkBudget(t *testing.T) {
	t.Helper()
	max := int(r.rate) + burst
	for i := range r.grants {
		n := 0
		for j := i; j < len(r.grants) && r.grants[j].at.Sub(r.grants[i].at) < time.Second; j++ {
			n++
		}
		if n > max {
			t.Fatalf("%d turns in the second from %v, want at most %d (%.0f calls/s)", n, r.grants[i].at.Sub(r.start), max, r.rate)
		}
	}
	span := r.grants[len(r.grants)-1].at.Sub(r.grants[0].at).Seconds()
	if n := len(r.grants); float64(n) > r.rate*span+burst+1 {
		t.Fatalf("%d turns in %.1f s, budget %.0f calls/s", n, span, r.rate)
	}
}

// checkVisits asserts that every shard had a turn at least every bound,
// from the start to the end of the run.
func (r *budgetRun) checkVisits(t *testing.T, shards int, bound time.Duration) {
	t.Helper()
	last := map[string]time.Time{}
	var end time.Time
	for _, g := range r.grants {
		prev, ok := last[g.shard]
		if !ok {
			prev = r.start
		}
		if d := g.at.Sub(prev); d > bound {
			t.Fatalf("%s not read for %v (at %v), want at most %v", g.shard, d, g.at.Sub(r.start), bound)
		}
		last[g.shard] = g.at
		end = g.at
	}
	if len(last) != shards {
		t.Fatalf("%d of %d shards read", len(last), shards)
	}
	for id, at := range last {
		if d := end.Sub(at); d > bound {
			t.Fatalf("%s not read in the last %v of the run, want at most %v", id, d, bound)
		}
	}
}

// A polling tail of 400 shards at the default budget (50 + 400/9 = 94
// calls/s): turns never come faster than the budget, every shard is read
// at least every 10 s, the 10 shards that are behind get their whole
// 5 calls/s while the 390 caught-up ones share the rest, no shard is read
// faster than its own pacing, and every record comes once, in order.
func TestTailBudgetFavoursBehindAndVisitsEveryShard(t *testing.T) {
	const shards, behind, perBehind = 400, 10, 1000 // 100 calls of 10 records each
	r := runBudget(t, shards, behind, perBehind, 0, 40*time.Second)
	r.checkBudget(t)
	r.checkVisits(t, shards, VisitEvery)

	// Favoured: from 5 s to 20 s (after every shard's first call, before
	// the behind ones are drained), behind shards read at their pacing
	// limit; caught-up ones about every 9 s.
	perShard := func(from, to int) float64 {
		n := 0
		for i := from; i < to; i++ {
			for _, c := range r.calls[fmt.Sprintf("shardId-%012d", i)] {
				if d := c.Sub(r.start); d >= 5*time.Second && d < 20*time.Second {
					n++
				}
			}
		}
		return float64(n) / float64(to-from) / 15
	}
	hot, cold := perShard(0, behind), perShard(behind, shards)
	if hot < 4.5 || cold > 0.5 {
		t.Fatalf("calls/s per shard: %.2f behind, %.2f caught up; want behind near 5 and caught up far below", hot, cold)
	}
	// Each shard's own pacing: its GetRecords turns (all but its first,
	// GetShardIterator) at least 200 ms apart.
	prev := map[string]time.Time{}
	seen := map[string]int{}
	for _, g := range r.grants {
		seen[g.shard]++
		if d := g.at.Sub(prev[g.shard]); seen[g.shard] > 2 && d < defaultMinPollInterval {
			t.Fatalf("%s: calls %v apart, faster than 5 calls/s", g.shard, d)
		}
		prev[g.shard] = g.at
	}

	// Exactly once, in order, per shard.
	next := map[string]int{}
	for _, rec := range r.records {
		next[rec.ShardID]++
		if want := fmt.Sprintf("%s/%d", rec.ShardID, next[rec.ShardID]); string(rec.Data) != want {
			t.Fatalf("record %s, want %s", rec.Data, want)
		}
	}
	if len(r.records) != behind*perBehind {
		t.Fatalf("%d records, want %d", len(r.records), behind*perBehind)
	}
}

// Below shards/10 calls/s no budget can read every shard every 10 s: the
// shards then take turns, each read about every shards/budget seconds,
// and the budget still holds.
func TestTailBudgetBelowOneVisitPerShardTakesTurns(t *testing.T) {
	const shards, budget = 400, 20 // a turn each every 20 s
	r := runBudget(t, shards, 0, 0, budget, 70*time.Second)
	r.checkBudget(t)
	r.checkVisits(t, shards, time.Duration(float64(shards)/budget*1.1*float64(time.Second)))
}

// The tail reports what its reads cost, in all and per shard, over the
// last 10 s: 4 shards behind all run long (5 calls/s each, 10 records a
// call), 36 caught-up shards share the rest of a budget of 54 calls/s.
func TestTailBudgetReportsReadCost(t *testing.T) {
	const shards, behind = 40, 4
	r := runBudget(t, shards, behind, 3000, 0, 30*time.Second)
	c := r.last.Cost
	budget := DefaultCallsPerSec(shards)
	if c.Shards != shards || c.Budget != budget {
		t.Fatalf("cost %+v, want %d shards and a budget of %.0f", c, shards, budget)
	}
	if c.CallsPerSec < 0.9*budget || c.CallsPerSec > budget {
		t.Fatalf("%.1f calls/s reported, want the whole budget of %.0f (demand is 56)", c.CallsPerSec, budget)
	}
	hot := r.last.Shards["shardId-000000000000"].Cost
	if hot.CallsPerSec < 4.5 || hot.CallsPerSec > 5 {
		t.Fatalf("a shard behind: %.2f calls/s, want about 5", hot.CallsPerSec)
	}
	// What one call of a behind shard brings: 10 records of data and key,
	// as the last ones it read.
	var mine []Record
	for _, rec := range r.records {
		if rec.ShardID == "shardId-000000000000" {
			mine = append(mine, rec)
		}
	}
	perCall := 0
	for _, rec := range mine[len(mine)-10:] {
		perCall += len(rec.Data) + len(rec.PartitionKey)
	}
	if want := hot.CallsPerSec * float64(perCall); hot.BytesPerSec < 0.9*want || hot.BytesPerSec > 1.1*want {
		t.Fatalf("a shard behind: %.0f bytes/s, want about %.0f", hot.BytesPerSec, want)
	}
	if cold := r.last.Shards["shardId-000000000039"].Cost; cold.BytesPerSec != 0 || cold.CallsPerSec > 1 {
		t.Fatalf("a caught-up shard: %+v, want at most 1 call/s and no bytes", cold)
	}
	if c.BytesPerSec < 0.9*behind*hot.BytesPerSec || c.BytesPerSec > 1.1*behind*hot.BytesPerSec {
		t.Fatalf("%.0f bytes/s in all, want about %d × %.0f", c.BytesPerSec, behind, hot.BytesPerSec)
	}
	calls, bytes := c.PerShard()
	if calls != c.CallsPerSec/shards/5 || bytes != c.BytesPerSec/shards/(2<<20) {
		t.Fatalf("PerShard = %v, %v for %+v", calls, bytes, c)
	}
}
