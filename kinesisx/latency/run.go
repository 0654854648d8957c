package latency

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"github.com/kinspect/kinspect/kinesisx"
)

// progressEvery is how often Run reports progress.
const progressEvery = 200 * time.Millisecond

// flushInterval is the tails' batch interval: short, so that the batches
// do not hold probes back (latencies are taken at the reader anyway).
const flushInterval = 10 * time.Millisecond

// run is one lab run in flight.
type run struct {
	c     *kinesisx.Client
	opts  Options
	rep   *Report
	tails []*kinesisx.Tail
	cols  []*collector
	ended []chan struct{} // closed when a tail's batches end
	wg    sync.WaitGroup  // the drainers
	sched *schedule
	sent  []atomic.Int64 // probes accepted, per shard, while putting
	once  sync.Once
}

// startTails starts one tail per mode at LATEST and waits until each has
// heard from every probed shard, so that no probe is put before a reader
// is in place.
func (r *run) startTails(ctx context.Context) error {
	for _, m := range r.opts.Modes {
		t, err := r.c.Tail(ctx, kinesisx.TailOptions{
			Stream: r.opts.Stream, Shards: r.rep.Shards, Mode: m,
			From: kinesisx.StartPosition{Type: kinesisx.PositionLatest}, FlushInterval: flushInterval,
		})
		if err != nil {
			return fmt.Errorf("latency lab: start the %s tail: %w", m, err)
		}
		col := newCollector(m, r.rep.RunID, r.opts.Records, r.rep.Shards)
		ended := make(chan struct{})
		r.tails, r.cols, r.ended = append(r.tails, t), append(r.cols, col), append(r.ended, ended)
		r.wg.Add(1)
		go func() {
			defer r.wg.Done()
			defer close(ended)
			col.drain(t, time.Now)
		}()
	}
	deadline := time.NewTimer(r.opts.Timeout)
	defer deadline.Stop()
	tick := time.NewTicker(progressEvery)
	defer tick.Stop()
	for i, col := range r.cols {
		for waiting := true; waiting; {
			select {
			case <-col.ready:
				waiting = false
			case <-r.ended[i]:
				return fmt.Errorf("latency lab: the %s tail stopped before reading: %v", col.mode, r.tails[i].Err())
			case <-deadline.C:
				return fmt.Errorf("latency lab: the %s tail did not start reading within %s", col.mode, r.opts.Timeout)
			case <-ctx.Done():
				return fmt.Errorf("latency lab: %w", ctx.Err())
			case <-tick.C:
				r.progress("starting")
			}
		}
	}
	return nil
}

// put sends the probes: one put per shard, each landing on its shard
// (an explicit hash key inside its range) with the run's partition key,
// all paced by one schedule. Every put is planned (checked) before the
// schedule starts.
func (r *run) put(ctx context.Context) error {
	n := len(r.rep.Shards)
	plans := make([]*kinesisx.PutPlan, n)
	r.sched = &schedule{rate: r.opts.Rate, total: r.opts.Records, now: time.Now}
	srcs := make([]*shardSource, n)
	for j, id := range r.rep.Shards {
		srcs[j] = &shardSource{ctx: ctx, run: r.rep.RunID, sched: r.sched, shard: j, shards: n, wait: kinesisx.Sleep}
		p, err := r.c.PlanPut(ctx, kinesisx.PutOptions{
			Stream: r.opts.Stream, Keys: kinesisx.KeyShard, ShardID: id, Key: KeyPrefix + r.rep.RunID, Count: srcs[j].count(),
		})
		if err != nil {
			return fmt.Errorf("latency lab: %w", err)
		}
		plans[j] = p
	}
	for _, col := range r.cols {
		col.startMeasuring()
	}
	r.sent = make([]atomic.Int64, n)
	results := make([]kinesisx.PutResult, n)
	errs := make([]error, n)
	putCtx, cancel := context.WithCancel(ctx)
	defer cancel()
	r.sched.start = time.Now()
	var wg sync.WaitGroup
	for j := range plans {
		if srcs[j].count() == 0 {
			continue
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			results[j], errs[j] = plans[j].Run(putCtx, srcs[j], func(p kinesisx.PutResult) { r.sent[j].Store(int64(p.Sent)) })
			if errs[j] != nil {
				cancel() // one shard failing ends the run
			}
		}()
	}
	done := make(chan struct{})
	go func() {
		wg.Wait()
		close(done)
	}()
	tick := time.NewTicker(progressEvery)
	defer tick.Stop()
	for waiting := true; waiting; {
		select {
		case <-done:
			waiting = false
		case <-tick.C:
			r.progress("putting")
		}
	}
	for j := range results {
		r.rep.Sent += results[j].Sent
		r.rep.PutFailed += results[j].Failed
	}
	for _, err := range errs {
		if err != nil {
			return fmt.Errorf("latency lab: put probes: %w", err)
		}
	}
	return nil
}

// drain waits until every tail has every probe that was put, a tail ends,
// the timeout passes after the last put, or ctx ends.
func (r *run) drain(ctx context.Context) {
	deadline := time.NewTimer(r.opts.Timeout)
	defer deadline.Stop()
	tick := time.NewTicker(progressEvery)
	defer tick.Stop()
	for i, col := range r.cols {
		for waiting := col.seen() < r.rep.Sent; waiting; {
			select {
			case <-col.done:
				waiting = false
			case <-r.ended[i]:
				waiting = false
			case <-deadline.C:
				return
			case <-ctx.Done():
				return
			case <-tick.C:
				waiting = col.seen() < r.rep.Sent
				r.progress("draining")
			}
		}
	}
}

// close stops the tails (the EFO one deregisters its consumer) and waits
// for the drainers. It is safe to call more than once.
func (r *run) close() {
	r.once.Do(func() {
		for _, t := range r.tails {
			t.Close()
		}
		r.wg.Wait()
	})
}

func (r *run) progress(phase string) {
	if r.opts.Progress == nil {
		return
	}
	p := Progress{Phase: phase, Seen: map[kinesisx.Mode]int{}}
	for i := range r.sent {
		p.Put += int(r.sent[i].Load())
	}
	for _, col := range r.cols {
		p.Seen[col.mode] = col.seen()
	}
	r.opts.Progress(p)
}
