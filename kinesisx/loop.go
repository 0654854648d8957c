package kinesisx

import (
	"context"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
)

// Shard states in a tail.
const (
	shardPending = iota // waiting for its parents to be drained
	shardRunning
	shardDone
)

type tailNode struct {
	parents []string
	state   int
	from    StartPosition
}

// tailLoop is the one goroutine that owns a tail's state: which shards
// run, which wait for their parents, the batch being gathered and the live
// rates. Readers send it events; it starts children when their parents are
// drained and flushes batches to out.
type tailLoop struct {
	c      *Client
	opts   TailOptions
	read   shardReader
	out    chan<- Batch
	events chan shardEvent
	errs   chan error

	nodes    map[string]*tailNode
	running  int
	batch    Batch
	meters   map[string]*rateMeter
	progress map[string]ShardProgress
	dirty    map[string]bool
	// heard holds the shards a read has answered for (a GetRecords or an
	// EFO event): only they can be caught up. A rates tick marks a shard
	// dirty without anything heard from it.
	heard map[string]bool

	// budget shares a polling tail's calls among its shards (nil with
	// EFO); its dispatcher runs as long as the loop.
	budget *readBudget
	// cost and costs measure the tail's GetRecords calls, in all and per
	// shard, since start.
	cost  costMeter
	costs map[string]*costMeter
	start time.Time
	// merge orders records by arrival time (nil unless opts.Merge).
	merge *merger
	// lin is the stream's lineage as last listed: it places a parent the
	// tail has not met (tail_lineage.go).
	lin *Lineage
}

func newTailLoop(c *Client, opts TailOptions, read shardReader, out chan<- Batch) *tailLoop {
	l := &tailLoop{
		c: c, opts: opts, read: read, out: out,
		events:   make(chan shardEvent, 16),
		errs:     make(chan error, 1),
		nodes:    map[string]*tailNode{},
		meters:   map[string]*rateMeter{},
		progress: map[string]ShardProgress{},
		dirty:    map[string]bool{},
		heard:    map[string]bool{},
		costs:    map[string]*costMeter{},
		start:    c.now(),
	}
	if opts.Merge {
		l.merge = newMerger(opts.Watermark, 0)
	}
	return l
}

// add registers a shard (once) with its parents and start position.
func (l *tailLoop) add(id string, parents []string, from StartPosition) {
	if _, ok := l.nodes[id]; ok {
		return
	}
	l.nodes[id] = &tailNode{parents: parents, from: from}
	l.mergeOpen(id)
}

// ready reports whether every parent the tail knows of is drained. A
// parent the tail will read is known by the time its child is (addChild
// and seed place it); one it does not read (expired, or outside the
// subset and not descended from it) does not hold its child back.
func (l *tailLoop) ready(n *tailNode) bool {
	for _, p := range n.parents {
		if pn, ok := l.nodes[p]; ok && pn.state != shardDone {
			return false
		}
	}
	return true
}

func (l *tailLoop) startReady(ctx context.Context, readers *runners) {
	for id, n := range l.nodes {
		if n.state == shardPending && l.ready(n) {
			n.state = shardRunning
			l.running++
			readers.wg.Add(1)
			go func(id string, from StartPosition) {
				defer readers.wg.Done()
				if err := l.read(ctx, id, from, emitter(ctx, l.events)); err != nil {
					select {
					case l.errs <- err:
					default:
					}
				}
			}(id, n.from)
		}
	}
}

// run drives the tail until every shard is drained, a reader fails, or
// ctx ends. It waits for every reader before it returns.
func (l *tailLoop) run(ctx context.Context) (err error) {
	ctx, cancel := context.WithCancel(ctx)
	readers := &runners{}
	defer func() {
		cancel()
		readers.wg.Wait()
	}()
	if l.budget != nil {
		readers.wg.Add(1)
		go func() {
			defer readers.wg.Done()
			l.budget.run(ctx)
		}()
	}
	l.startReady(ctx, readers)
	flush := time.NewTicker(l.opts.FlushInterval)
	defer flush.Stop()
	rates := time.NewTicker(l.opts.rateEvery)
	defer rates.Stop()
	for l.running > 0 {
		select {
		case <-ctx.Done():
			return nil
		case err := <-l.errs:
			l.flushAll(ctx)
			return err
		case ev := <-l.events:
			l.apply(ev)
			if ev.ended {
				l.nodes[ev.shardID].state = shardDone
				l.running--
				for _, ch := range ev.children {
					if err := l.addChild(ctx, aws.ToString(ch.ShardId), ch.ParentShards); err != nil {
						if ctx.Err() != nil {
							return nil
						}
						l.flushAll(ctx)
						return err
					}
				}
				l.startReady(ctx, readers)
			}
			if len(l.batch.Records) >= l.opts.FlushRecords {
				if !l.flush(ctx) {
					return nil
				}
			}
		case <-flush.C:
			if !l.flush(ctx) {
				return nil
			}
		case <-rates.C:
			for id, n := range l.nodes {
				if n.state == shardRunning {
					l.dirty[id] = true
				}
			}
		}
	}
	// Every shard is drained: hand over what is left.
	select {
	case err := <-l.errs:
		return err
	default:
	}
	l.flushAll(ctx)
	return nil
}

// apply adds one reader event to the batch and the shard's progress.
func (l *tailLoop) apply(ev shardEvent) {
	if l.merge != nil {
		l.hold(ev)
	} else {
		l.batch.Records = append(l.batch.Records, ev.records...)
	}
	m := l.meters[ev.shardID]
	if m == nil {
		m = &rateMeter{}
		l.meters[ev.shardID] = m
	}
	for _, s := range ev.samples {
		m.add(s.arrival, s.size)
	}
	if len(ev.calls) > 0 {
		cm := l.costs[ev.shardID]
		if cm == nil {
			cm = &costMeter{}
			l.costs[ev.shardID] = cm
		}
		for _, s := range ev.calls {
			cm.add(s)
			l.cost.add(s)
		}
	}
	p := l.progress[ev.shardID]
	p.MillisBehindLatest = ev.behind
	if ev.lastSeq != "" {
		p.LastSequence = ev.lastSeq
	}
	p.Closed = p.Closed || ev.ended
	for _, ch := range ev.children {
		p.Children = append(p.Children, aws.ToString(ch.ShardId))
	}
	p.Retries += ev.retried
	p.Throttles += ev.throttle
	if n := len(ev.records); n > 0 {
		var sum time.Duration
		for _, r := range ev.records {
			sum += r.ReceivedAt.Sub(r.ArrivedAt)
		}
		p.Latency = sum / time.Duration(n)
	}
	l.progress[ev.shardID] = p
	l.dirty[ev.shardID] = true
	l.heard[ev.shardID] = true
}

// caughtUp reports whether every shard has been read to its tip or end:
// a running shard only once a read answered for it, 0 ms behind.
func (l *tailLoop) caughtUp() bool {
	for id, n := range l.nodes {
		switch n.state {
		case shardPending:
			return false
		case shardRunning:
			if !l.heard[id] || l.progress[id].MillisBehindLatest > 0 {
				return false
			}
		}
	}
	return true
}

// flush sends the gathered batch, if there is anything to say. It returns
// false when the tail is stopping.
func (l *tailLoop) flush(ctx context.Context) bool {
	if l.merge != nil {
		l.batch.Records = l.merge.release(l.batch.Records, false)
	}
	if len(l.batch.Records) == 0 && len(l.dirty) == 0 {
		return true
	}
	now := l.c.now()
	b := l.batch
	b.Shards = make(map[string]ShardProgress, len(l.dirty))
	b.CaughtUp = l.caughtUp() && (l.merge == nil || l.merge.held == 0)
	if l.budget != nil {
		b.Cost = TailCost{ReadCost: l.cost.cost(now, l.start), Shards: l.running, Budget: l.budget.rate()}
	}
	lag := l.opts.IdlePollInterval
	if l.opts.Mode == ModeEFO {
		lag = 0
	}
	for id := range l.dirty {
		p := l.progress[id]
		if m := l.meters[id]; m != nil {
			p.Rates = m.rates(now, lag)
		}
		if cm := l.costs[id]; cm != nil {
			p.Cost = cm.cost(now, l.start)
		}
		l.progress[id] = p
		b.Shards[id] = p
	}
	select {
	case l.out <- b:
	case <-ctx.Done():
		return false
	}
	l.batch = Batch{}
	l.dirty = map[string]bool{}
	return true
}
