package kinesisx

import (
	"context"
	"fmt"
	"strings"
	"time"
)

// A tail reads a child shard once its parents are drained: all of them
// that the tail reads. A parent the tail has not met yet holds its child
// back when the tail will reach it, that is when the parent descends from
// a shard the tail reads or will read. That happens to a tail that lags
// through two reshards in a row: A splits into C and D, then C and B merge
// into E; a tail that reads B to its end before A announces E, whose
// parent C it meets only once A ends. A parent the tail will never read (a
// shard outside a --shard subset and not descended from it, or one expired
// out of retention) does not hold its child back.
//
// To place such a parent the tail looks at the stream's lineage: the
// listing it started with, and else a new ListShards, once per child whose
// parent it does not know (never per poll). The parent, and every shard
// between it and the shards the tail knows, join the tail as pending
// shards, so that the merge of a merged tail knows them too. ListShards is
// tried lineageAttempts times (throttles and server errors only); if it
// still fails the tail ends with an error that names the parent: it does
// not guess, since guessing either way breaks a promise (parents first, or
// every record).

// lineageAttempts is how many times a tail lists its stream's shards to
// place a parent it has not met, before it ends with an error.
const lineageAttempts = 4

// seed registers the shards a tail starts with, from the listing it chose
// them from, and the shards that stand between two of them (a tail of a
// shard and of its grandchild reads the child in between first).
func (l *tailLoop) seed(start []startNode, shards []Shard) {
	lin := NewLineage(shards)
	l.lin = &lin
	for _, n := range start {
		if _, ok := l.nodes[n.id]; !ok {
			l.nodes[n.id] = &tailNode{parents: n.parents, from: l.opts.From}
		}
	}
	for _, n := range start {
		for _, p := range n.parents {
			l.place(lin, p, map[string]bool{})
		}
	}
	for _, n := range start {
		l.mergeOpen(n.id)
	}
}

// addChild registers a child a closed shard announced, once. Its parents
// that the tail does not know are placed first, from the stream's lineage.
func (l *tailLoop) addChild(ctx context.Context, id string, parents []string) error {
	if _, ok := l.nodes[id]; ok {
		return nil
	}
	var unknown []string
	for _, p := range parents {
		if _, ok := l.nodes[p]; !ok {
			unknown = append(unknown, p)
		}
	}
	if len(unknown) > 0 {
		lin, err := l.lineage(ctx, id, unknown)
		if err != nil {
			return err
		}
		for _, p := range unknown {
			l.place(lin, p, map[string]bool{})
		}
	}
	l.add(id, parents, l.childFrom())
	return nil
}

// place registers a shard the tail does not know as pending when it
// descends from one the tail knows, with the shards in between. It
// reports whether the tail will read the shard.
func (l *tailLoop) place(lin Lineage, id string, seen map[string]bool) bool {
	if _, ok := l.nodes[id]; ok {
		return true
	}
	if seen[id] {
		return false
	}
	seen[id] = true
	s, ok := lin.Shard(id)
	if !ok {
		return false // expired, or not listed: never read
	}
	reached := false
	for _, p := range s.Parents() {
		if l.place(lin, p, seen) {
			reached = true
		}
	}
	if reached {
		l.add(id, s.Parents(), l.childFrom())
	}
	return reached
}

// lineage returns a lineage that lists every one of the unknown parents:
// the last one if it does, else a new listing.
func (l *tailLoop) lineage(ctx context.Context, child string, unknown []string) (Lineage, error) {
	if l.lin != nil {
		all := true
		for _, p := range unknown {
			if _, ok := l.lin.Shard(p); !ok {
				all = false
			}
		}
		if all {
			return *l.lin, nil
		}
	}
	bo := newBackoff(200*time.Millisecond, 5*time.Second)
	var err error
	for attempt := 1; ; attempt++ {
		var shards []Shard
		if shards, err = l.c.ListShards(ctx, l.opts.Stream); err == nil {
			lin := NewLineage(shards)
			l.lin = &lin
			return lin, nil
		}
		cls := classify(ctx, err)
		if cls == errStopped {
			return Lineage{}, err
		}
		if attempt == lineageAttempts || (cls != errRetry && cls != errThrottled) {
			break
		}
		if werr := l.c.wait(ctx, bo.next()); werr != nil {
			return Lineage{}, werr
		}
	}
	return Lineage{}, fmt.Errorf("tail of %s: shard %s has a parent the tail has not read (%s), and listing the stream's shards to see whether the tail will read it failed: %w",
		l.opts.Stream, child, strings.Join(unknown, ", "), err)
}

// childFrom is where a child shard is read from: its start, which holds
// only records that came after its parents' last; from a time, its records
// before that time are still not wanted (a tail of one parent that closed
// before the time).
func (l *tailLoop) childFrom() StartPosition {
	if l.opts.From.Type == PositionAtTimestamp {
		return l.opts.From
	}
	return StartPosition{Type: PositionTrimHorizon}
}

// mergeOpen opens a shard in the merge, after its parents that the tail
// knows, so that the merge holds a child back for exactly the parents the
// loop does (the merge, like the loop, lets an unknown parent pass).
func (l *tailLoop) mergeOpen(id string) {
	if l.merge == nil {
		return
	}
	if _, ok := l.merge.shards[id]; ok {
		return
	}
	n := l.nodes[id]
	for _, p := range n.parents {
		if _, ok := l.nodes[p]; ok {
			l.mergeOpen(p)
		}
	}
	l.merge.open(id, n.parents)
}
