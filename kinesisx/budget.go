package kinesisx

import (
	"context"
	"runtime"
	"sync"
	"time"
)

// The read budget of a polling tail: how many GetRecords calls/s it makes
// in all, across its shards (TailOptions.MaxCallsPerSec).
const (
	// baseCallsPerSec is what the default budget gives shards that are
	// behind, on top of the calls that visit every shard.
	baseCallsPerSec = 50
	// maxDefaultCallsPerSec caps the default budget: beyond about 8,500
	// shards a shard is read every shards/1,000 s, not every 10 s.
	maxDefaultCallsPerSec = 1000
	// VisitEvery is how often a polling tail reads every shard at least,
	// caught up or not, when its budget allows (the default budget does up
	// to about 8,500 shards).
	VisitEvery = 10 * time.Second
	// visitDue is when a shard not read since then goes before shards that
	// are behind: a second before VisitEvery, the margin for the shards
	// that come due together.
	visitDue = VisitEvery - time.Second
)

// DefaultCallsPerSec is a polling tail's default budget for a stream of n
// shards: 50 calls/s for shards that are behind, plus what reading every
// shard every 9 s takes (n/9 calls/s), at most 1,000 calls/s. A 4-shard
// stream: 50; 400 shards: 94; 4,000 shards: 494.
func DefaultCallsPerSec(n int) float64 {
	return min(float64(baseCallsPerSec+n/int(visitDue/time.Second)), maxDefaultCallsPerSec)
}

// readBudget shares a polling tail's calls among its shards. Each shard's
// reader asks for a turn (take) once its own pacing allows the call; one
// dispatcher (run) grants turns no closer together than the budget allows:
// first to a shard not read for visitDue (so every shard is visited), then
// to shards that are behind, then to caught-up ones, each kind the shard
// read longest ago first.
type readBudget struct {
	now  func() time.Time
	wait waitFunc
	// fixed is the budget the user set (calls/s); 0 sizes it by the
	// number of shards being read (DefaultCallsPerSec), negative means
	// no budget.
	fixed float64
	// granted, if set, sees every grant (tests). settled, if set, holds
	// every decision until it says the queue is complete: on a fake clock
	// that jumps, a reader that has not yet asked for its next turn would
	// otherwise be passed over (tests).
	granted func(shard string, at time.Time)
	settled func(queued int) bool

	// heavy and light bound the GetRecords calls in flight, until the
	// loop has their answers, and with them the memory the answers hold: a
	// slow endpoint or a slow reader of Batches must not pile up answers.
	// A shard that is behind, or read for the first time, may bring a full
	// answer; a caught-up shard brings what arrived since its last call.
	heavy, light chan struct{}
	// iters bounds the GetShardIterator calls in flight: they count
	// against a limit of their own at Kinesis, not the budget, but a wide
	// stream must not open thousands of connections at once.
	iters chan struct{}

	mu     sync.Mutex
	queue  []*turn
	shards int // readers that joined and have not left
	wake   chan struct{}
}

// turn is one reader's request to make a call.
type turn struct {
	shard     string
	notBefore time.Time     // the shard's own pacing: not before this
	last      time.Time     // the shard's last call; zero if never read
	behind    bool          // the last answer was behind the tip, or full
	grantedAt time.Time     // when the turn was granted
	at        int           // index in the queue
	ready     chan struct{} // closed when granted
}

func newReadBudget(now func() time.Time, wait waitFunc, callsPerSec float64) *readBudget {
	return &readBudget{now: now, wait: wait, fixed: callsPerSec, wake: make(chan struct{}, 1), iters: make(chan struct{}, maxIteratorCalls),
		heavy: make(chan struct{}, maxHeavyCalls), light: make(chan struct{}, maxLightCalls)}
}

// maxIteratorCalls is how many GetShardIterator calls a tail makes at once;
// maxHeavyCalls how many GetRecords calls of shards that are behind (16
// answers of at most 10 MiB, about 1.5 MiB on 40 shards at the default
// budget); maxLightCalls how many of caught-up shards (a 4,000-shard
// stream at 494 calls/s has about 25 in flight at 50 ms an answer).
const (
	maxIteratorCalls = 16
	maxHeavyCalls    = 16
	maxLightCalls    = 128
)

// slots returns the semaphore a turn's call takes.
func (b *readBudget) slots(t *turn) chan struct{} {
	if t.behind || t.last.IsZero() {
		return b.heavy
	}
	return b.light
}

// done says a granted GetRecords call has returned and its answer is
// handed on.
func (b *readBudget) done(t *turn) { <-b.slots(t) }

// iterator waits for a place among the GetShardIterator calls in flight;
// the caller calls release after its call.
func (b *readBudget) iterator(ctx context.Context) (release func(), err error) {
	select {
	case b.iters <- struct{}{}:
		return func() { <-b.iters }, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// share is the time between one shard's turns when every shard wants
// them: what a first answer is sized for before the shard has a gap of
// its own; 0 without a budget.
func (b *readBudget) share() time.Duration {
	b.mu.Lock()
	defer b.mu.Unlock()
	r := b.rateLocked()
	if r <= 0 {
		return 0
	}
	return time.Duration(float64(b.shards) / r * float64(time.Second))
}

// join and leave count the shards being read, for the default budget.
func (b *readBudget) join() {
	b.mu.Lock()
	b.shards++
	b.mu.Unlock()
}

func (b *readBudget) leave() {
	b.mu.Lock()
	b.shards--
	b.mu.Unlock()
}

// rate returns the budget in calls/s now; 0 means none.
func (b *readBudget) rate() float64 {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.rateLocked()
}

func (b *readBudget) rateLocked() float64 {
	switch {
	case b.fixed < 0:
		return 0
	case b.fixed > 0:
		return b.fixed
	}
	return DefaultCallsPerSec(b.shards)
}

// take waits until the shard may make its next call: not before
// notBefore, and when the budget gives it the turn. It returns ctx's
// error if the tail stops first.
func (b *readBudget) take(ctx context.Context, t *turn) error {
	t.ready = make(chan struct{})
	b.mu.Lock()
	t.at = len(b.queue)
	b.queue = append(b.queue, t)
	b.mu.Unlock()
	select {
	case b.wake <- struct{}{}:
	default:
	}
	select {
	case <-t.ready:
		return nil
	case <-ctx.Done():
		b.mu.Lock()
		b.remove(t)
		b.mu.Unlock()
		return ctx.Err()
	}
}

// remove takes a turn out of the queue, if it is still there.
func (b *readBudget) remove(t *turn) {
	if t.at < 0 {
		return
	}
	last := len(b.queue) - 1
	b.queue[t.at] = b.queue[last]
	b.queue[t.at].at = t.at
	b.queue[last] = nil
	b.queue = b.queue[:last]
	t.at = -1
}

// before says whether turn a goes before turn b at now, both eligible.
func before(a, b *turn, now time.Time) bool {
	if da, db := due(a, now), due(b, now); da != db {
		return da
	}
	if a.behind != b.behind {
		return a.behind
	}
	if !a.last.Equal(b.last) {
		return a.last.Before(b.last)
	}
	return a.notBefore.Before(b.notBefore)
}

// due says whether a shard has gone unread so long it must be read next.
func due(t *turn, now time.Time) bool {
	return t.last.IsZero() || now.Sub(t.last) >= visitDue
}

// choose returns the turn to grant at now and true; or, when no shard may
// call yet, the turn that may first, and false; nil if none waits.
func (b *readBudget) choose(now time.Time) (*turn, bool) {
	var best, first *turn
	for _, t := range b.queue {
		if t.notBefore.After(now) {
			if first == nil || t.notBefore.Before(first.notBefore) {
				first = t
			}
			continue
		}
		if best == nil || before(t, best, now) {
			best = t
		}
	}
	if best != nil {
		return best, true
	}
	return first, false
}

// run grants turns until ctx is done, on a timeline of one turn every
// 1/rate s. A turn that comes late (the machine was busy, or nothing
// waited) does not push the timeline back: the next ones catch up, but
// never more than burst turns at once, so any second holds at most
// rate + burst turns.
func (b *readBudget) run(ctx context.Context) {
	var slot time.Time // when the next turn is due
	for {
		if r := b.rate(); r > 0 && !slot.IsZero() {
			if err := b.wait(ctx, slot.Sub(b.now())); err != nil {
				return
			}
		}
		t := b.next(ctx)
		if t == nil {
			return
		}
		select {
		case b.slots(t) <- struct{}{}:
		case <-ctx.Done():
			return
		}
		now := b.now()
		if r := b.rate(); r > 0 {
			gap := time.Duration(float64(time.Second) / r)
			slot = slot.Add(gap)
			if floor := now.Add(-(burst - 2) * gap); slot.Before(floor) {
				slot = floor
			}
		}
		t.grantedAt = now
		if b.granted != nil {
			b.granted(t.shard, now)
		}
		close(t.ready)
	}
}

// burst is how many turns may come at once after the budget fell behind.
const burst = 4

// next waits for a turn that may be granted, takes it out of the queue and
// returns it; nil once ctx is done. A wait that returns without error is
// taken as the time having come (an injected wait may not sleep).
func (b *readBudget) next(ctx context.Context) *turn {
	for {
		if !b.settle(ctx) {
			return nil
		}
		b.mu.Lock()
		now := b.now()
		t, ok := b.choose(now)
		if ok {
			b.remove(t)
			b.mu.Unlock()
			return t
		}
		b.mu.Unlock()
		if t == nil {
			select {
			case <-b.wake:
				continue
			case <-ctx.Done():
				return nil
			}
		}
		// Wait for the first shard's pacing, or for a new turn.
		wctx, cancel := context.WithCancel(ctx)
		go func() {
			select {
			case <-b.wake:
				cancel()
			case <-wctx.Done():
			}
		}()
		err := b.wait(wctx, t.notBefore.Sub(now))
		cancel()
		if ctx.Err() != nil {
			return nil
		}
		if err != nil {
			continue // a new turn came: choose again
		}
		b.mu.Lock()
		if best, ok := b.choose(b.now()); ok {
			t = best
		}
		if t.at >= 0 {
			b.remove(t)
			b.mu.Unlock()
			return t
		}
		b.mu.Unlock()
	}
}

// settle waits, if the settled hook is set, until it says the queue is
// complete; false if ctx ends first.
func (b *readBudget) settle(ctx context.Context) bool {
	for b.settled != nil {
		b.mu.Lock()
		n := len(b.queue)
		b.mu.Unlock()
		if b.settled(n) {
			return true
		}
		if ctx.Err() != nil {
			return false
		}
		runtime.Gosched()
	}
	return true
}
