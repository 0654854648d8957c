package local

import (
	"sync/atomic"
	"time"

	"github.com/kinspect/kinspect/kinesisx/hashkey"
)

// The store's writes: records appended to the shards their hash keys
// route to, under each shard's write budget, and the byte caps trimmed.

// appendEntries stores validated entries (keys are their hash keys),
// grouped by shard so that each shard's lock is taken once per call, and
// records the traffic in the metrics. Entries of a shard closed by a
// concurrent reshard are routed again; a record refused has err set (a
// kindThrottled error over the shard's write budget, kindInternal when no
// open shard would take it). throttleAll refuses every entry as
// over its budget (an injected fault).
func (s *store) appendEntries(st *stream, entries []putEntry, keys []hashkey.Key, now time.Time, throttleAll bool) []putResult {
	res := make([]putResult, len(entries))
	todo := make([]int, len(entries))
	for i := range todo {
		todo[i] = i
	}
	retention := st.retention()
	for attempt := 0; len(todo) > 0 && attempt < 8; attempt++ {
		if attempt > 0 {
			// A reshard closed a shard: wait for it to publish the new
			// routing table (it holds the stream's lock until then).
			st.mu.RLock()
			//lint:ignore SA2001 an intentional barrier: taking the lock waits for the reshard
			st.mu.RUnlock()
		}
		groups := map[*shard][]int{}
		var order []*shard
		for _, i := range todo {
			sh := st.route(keys[i])
			if sh == nil {
				res[i] = putResult{err: storeErr(kindInternal, "no open shard owns the hash key")}
				continue
			}
			if groups[sh] == nil {
				order = append(order, sh)
			}
			groups[sh] = append(groups[sh], i)
		}
		todo = todo[:0]
		for _, sh := range order {
			todo = append(todo, s.appendShard(st, sh, groups[sh], entries, res, now, throttleAll, retention)...)
		}
	}
	for _, i := range todo {
		res[i] = putResult{err: storeErr(kindInternal, "the shard closed during the write; retry")}
	}
	if st.bytes.Load() > s.opts.MaxBytesPerStream {
		st.trimToCap(s.opts.MaxBytesPerStream)
	}
	if s.bytes.Load() > s.opts.MaxBytes {
		s.trimToCap(s.opts.MaxBytes)
	}
	return res
}

// appendShard appends the entries idx to sh and returns those to route
// again because sh closed.
func (s *store) appendShard(st *stream, sh *shard, idx []int, entries []putEntry, res []putResult, now time.Time, throttleAll bool, retention time.Duration) []int {
	nowMs := now.UnixMilli()
	var inBytes, inRecs, throttled float64
	sh.mu.Lock()
	if sh.closed {
		sh.mu.Unlock()
		return idx
	}
	arrival := nowMs
	if n := len(sh.recs); n > 0 && sh.recs[n-1].arrival > arrival {
		arrival = sh.recs[n-1].arrival
	}
	buf := make([]byte, 0, len(idx)*seqLen)
	var added int64
	for _, i := range idx {
		e := &entries[i]
		size := len(e.Data) + len(*e.PartitionKey)
		if throttleAll || !sh.limits.admitWrite(size, now) {
			res[i] = putResult{err: &storeError{kind: kindThrottled,
				msg: "Rate exceeded for shard " + sh.id + " in stream " + st.name + " under account " + account + "."}}
			throttled++
			continue
		}
		sh.lastSeq = st.seq.Add(1)
		sh.recs = append(sh.recs, record{seq: sh.lastSeq, arrival: arrival, key: *e.PartitionKey, data: e.Data})
		start := len(buf)
		buf = appendSeq(buf, sh.prefix, sh.lastSeq)
		res[i] = putResult{SequenceNumber: string(buf[start:]), ShardID: sh.id}
		added += int64(size + recordOverhead)
		inBytes += float64(size)
		inRecs++
	}
	dropped := sh.trimLocked(nowMs - retention.Milliseconds())
	if inRecs > 0 {
		close(sh.wake)
		sh.wake = make(chan struct{})
	}
	sh.mu.Unlock()
	st.addBytes(added - dropped)
	if inRecs > 0 {
		s.metrics.addIncoming(st.name, sh.id, inBytes, inRecs, now)
	}
	if throttled > 0 {
		s.metrics.add(st.name, "", "WriteProvisionedThroughputExceeded", throttled, now)
		s.metrics.add(st.name, sh.id, "WriteProvisionedThroughputExceeded", throttled, now)
		s.metrics.add(st.name, "", "PutRecords.ThrottledRecords", throttled, now)
	}
	return nil
}

// trimToCap drops the oldest records of the stream, across shards, until
// its bytes are under 90% of limit.
func (st *stream) trimToCap(limit int64) {
	if !st.trimMu.TryLock() {
		return // another writer is trimming
	}
	defer st.trimMu.Unlock()
	trimOldestUntil([]*stream{st}, &st.bytes, limit/10*9)
}

// trimToCap drops the oldest records of every stream (the oldest first,
// whichever stream holds them) until the bytes of all streams are under 90%
// of limit.
func (s *store) trimToCap(limit int64) {
	if !s.trimMu.TryLock() {
		return // another writer is trimming
	}
	defer s.trimMu.Unlock()
	s.mu.RLock()
	streams := make([]*stream, 0, len(s.streams))
	for _, st := range s.streams {
		streams = append(streams, st)
	}
	s.mu.RUnlock()
	trimOldestUntil(streams, &s.bytes, limit/10*9)
}

// trimOldestUntil drops the oldest records of the streams' shards, oldest
// arrival first, until used is at most target.
func trimOldestUntil(streams []*stream, used *atomic.Int64, target int64) {
	type owned struct {
		st *stream
		sh *shard
	}
	var shards []owned
	for _, st := range streams {
		st.mu.RLock()
		for _, sh := range st.shards {
			shards = append(shards, owned{st, sh})
		}
		st.mu.RUnlock()
	}
	for used.Load() > target {
		var oldest owned
		var at int64
		for _, o := range shards {
			if t, ok := o.sh.oldest(); ok && (oldest.sh == nil || t < at) {
				oldest, at = o, t
			}
		}
		if oldest.sh == nil {
			return
		}
		oldest.st.addBytes(-oldest.sh.trimOldest(64))
	}
}
