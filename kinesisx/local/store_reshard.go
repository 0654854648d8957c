package local

import (
	"fmt"
	"time"

	"github.com/kinspect/kinspect/kinesisx/hashkey"
)

// The store's resharding: SplitShard, MergeShards and UpdateShardCount
// close parents and open children atomically for readers and writers, after
// opts.UpdateDelay (the stream UPDATING meanwhile).

// shardSpec describes a shard to create.
type shardSpec struct {
	rng              hashkey.Range
	parent, adjacent string
}

// reshape closes parents and creates children from specs, atomically for
// readers and writers: every parent's ending sequence number is below every
// child's starting one, and a reader of a parent sees its children the
// moment it sees it closed. The caller holds st.mu.
func (st *stream) reshape(parents []*shard, specs []shardSpec, now time.Time) []*shard {
	base := len(st.shards)
	childrenOf := map[string][]childShard{}
	for i, sp := range specs {
		cs := childShard{ShardID: fmt.Sprintf("shardId-%012d", base+i), HashKeyRange: rangeJSON(sp.rng)}
		for _, p := range []string{sp.parent, sp.adjacent} {
			if p != "" {
				cs.ParentShards = append(cs.ParentShards, p)
			}
		}
		for _, p := range cs.ParentShards {
			childrenOf[p] = append(childrenOf[p], cs)
		}
	}
	for _, p := range parents {
		p.close(st.seq.Add(1), now, childrenOf[p.id])
	}
	out := make([]*shard, len(specs))
	for i, sp := range specs {
		out[i] = st.newShard(sp.rng, sp.parent, sp.adjacent, now)
	}
	st.publishOpen()
	return out
}

// checkReshardable returns an error unless st can be resharded now. The
// caller holds st.mu.
func (st *stream) checkReshardable() error {
	if st.status != "ACTIVE" {
		return inUse("Stream %s under account %s not ACTIVE, instead in state %s", st.name, account, st.status)
	}
	if st.mode != "PROVISIONED" {
		return storeErr(kindProvisionedOnly, "Stream %s under account %s is in ON_DEMAND mode; resharding is only for PROVISIONED streams", st.name, account)
	}
	return nil
}

// openShard returns the open shard id of st, or the error AWS gives. The
// caller holds st.mu.
func (st *stream) openShardLocked(id string) (*shard, error) {
	for _, sh := range st.shards {
		if sh.id == id {
			if sh.isClosed() {
				return nil, invalid("Shard %s in stream %s under account %s has already been merged or split, and thus is not eligible for merging or splitting.", id, st.name, account)
			}
			return sh, nil
		}
	}
	return nil, notFound("Could not perform the operation: shard %s in stream %s under account %s does not exist.", id, st.name, account)
}

// reshard runs f under the stream's write lock once the stream can be
// resharded (ACTIVE and PROVISIONED).
func (st *stream) reshard(f func() error) error {
	return st.change(false, func() error {
		if err := st.checkReshardable(); err != nil {
			return err
		}
		return f()
	})
}

// split splits shard id of st at x (as given: given), in the form
// SplitShard takes.
func (st *stream) split(id string, x hashkey.Key, given string, now time.Time) error {
	return st.reshard(func() error {
		sh, err := st.openShardLocked(id)
		if err != nil {
			return err
		}
		if x.Cmp(sh.rng.Start.Inc()) <= 0 || x.Cmp(sh.rng.End) >= 0 {
			return invalid("NewStartingHashKey %s used in SplitShard() on shard %s in stream %s under account %s is not both greater than one plus the shard's StartingHashKey %s and less than the shard's EndingHashKey %s.",
				given, sh.id, st.name, account, sh.rng.Start, sh.rng.End)
		}
		st.schedule(now, st.opts.UpdateDelay, "UPDATING", func(now time.Time) {
			st.reshape([]*shard{sh}, []shardSpec{
				{rng: hashkey.Range{Start: sh.rng.Start, End: x.Dec()}, parent: sh.id},
				{rng: hashkey.Range{Start: x, End: sh.rng.End}, parent: sh.id},
			}, now)
			st.status = "ACTIVE"
		})
		return nil
	})
}

// merge merges shards ida and idb of st, which must be adjacent.
func (st *stream) merge(ida, idb string, now time.Time) error {
	return st.reshard(func() error {
		a, err := st.openShardLocked(ida)
		if err != nil {
			return err
		}
		b, err := st.openShardLocked(idb)
		if err != nil {
			return err
		}
		lo, hi := a, b
		if b.rng.Start.Cmp(a.rng.Start) < 0 {
			lo, hi = b, a
		}
		if a == b || lo.rng.End.Inc().Cmp(hi.rng.Start) != 0 || lo.rng.End == hashkey.Max {
			return invalid("Shards %s and %s in stream %s under account %s are not an adjacent pair of shards eligible for merging", a.id, b.id, st.name, account)
		}
		st.schedule(now, st.opts.UpdateDelay, "UPDATING", func(now time.Time) {
			st.reshape([]*shard{a, b}, []shardSpec{{rng: hashkey.Range{Start: lo.rng.Start, End: hi.rng.End}, parent: a.id, adjacent: b.id}}, now)
			st.status = "ACTIVE"
		})
		return nil
	})
}

const maxScalesPerDay = 10

// scale changes st's open shard count to target (UNIFORM_SCALING) and
// returns the count before.
func (s *store) scale(st *stream, target int, now time.Time) (current int, err error) {
	total := s.openShards() // before the stream's lock: lock order is store → stream
	err = st.reshard(func() error {
		current = st.openCount()
		if target > 2*current || 2*target < current {
			return invalid("UpdateShardCount cannot scale stream %s from %d to %d shards: the target must be between half and double the current open shard count.", st.name, current, target)
		}
		if target > current {
			for _, sh := range *st.open.Load() {
				if sh.rng.Start == sh.rng.End {
					return invalid("UpdateShardCount cannot scale stream %s up: shard %s holds a single hash key and cannot be split.", st.name, sh.id)
				}
			}
		}
		if total-current+target > accountShardLimit {
			return overLimit("UpdateShardCount to %d shards would exceed the account's shard limit of %d.", target, accountShardLimit)
		}
		recent := st.scaleHistory[:0]
		for _, t := range st.scaleHistory {
			if now.Sub(t) < 24*time.Hour {
				recent = append(recent, t)
			}
		}
		st.scaleHistory = recent
		if len(recent) >= maxScalesPerDay {
			return overLimit("Stream %s under account %s has been scaled %d times in the last 24 hours; the limit is %d.", st.name, account, len(recent), maxScalesPerDay)
		}
		st.scaleHistory = append(st.scaleHistory, now)
		st.schedule(now, st.opts.UpdateDelay, "UPDATING", func(now time.Time) {
			st.scaleUniform(target, now)
			st.status = "ACTIVE"
		})
		return nil
	})
	return current, err
}

// scaleUniform changes st's open shards to n as AWS's UNIFORM_SCALING does
// (the lineage and shard totals match what AWS gives: 2 → 4 open shards
// leaves 6 shards in all, 4 → 5: 15, 10 → 13: 37, 4 → 2: 6, 5 → 3: 7):
//
//   - scaling up (n > open), every open shard is split at its midpoint,
//     then 2·open − n pairs of adjacent halves are merged, spread evenly
//     over the key space, each pair across a boundary of the old shards
//     (so no merge rebuilds an old shard's range);
//   - scaling down (n < open), open − n disjoint pairs of adjacent open
//     shards are merged, spread evenly.
//
// So the result is near-uniform, not exact: no open shard is more than
// twice another's width when the shards were uniform before. Every child
// has at most two adjacent parents, whose union is its range. The caller
// holds st.mu.
func (st *stream) scaleUniform(n int, now time.Time) {
	open := append([]*shard(nil), *st.open.Load()...)
	c := len(open)
	switch {
	case n > c:
		var halves []*shard
		for _, o := range open { // updateShardCount checked each can split
			b := hashkey.Mid(o.rng.Start, o.rng.End).Inc()
			halves = append(halves, st.reshape([]*shard{o}, []shardSpec{
				{rng: hashkey.Range{Start: o.rng.Start, End: b.Dec()}, parent: o.id},
				{rng: hashkey.Range{Start: b, End: o.rng.End}, parent: o.id},
			}, now)...)
		}
		// The pairs across old boundaries are halves (2i+1, 2i+2), i < c-1.
		merges := len(halves) - n
		for k := range merges {
			i := (2*k + 1) * (c - 1) / (2 * merges)
			st.mergeOpen(halves[2*i+1], halves[2*i+2], now)
		}
	case n < c:
		merges := c - n // at most c/2: the target is at least half
		for k := range merges {
			i := k * c / merges
			st.mergeOpen(open[i], open[i+1], now)
		}
	}
}

// mergeOpen merges two adjacent open shards of st, lower range first. The
// caller holds st.mu.
func (st *stream) mergeOpen(lo, hi *shard, now time.Time) {
	st.reshape([]*shard{lo, hi}, []shardSpec{{rng: hashkey.Range{Start: lo.rng.Start, End: hi.rng.End}, parent: lo.id, adjacent: hi.id}}, now)
}
