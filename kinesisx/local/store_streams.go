package local

import (
	"sort"
	"time"

	"github.com/kinspect/kinspect/kinesisx/hashkey"
)

// The store's streams: creation, deletion and what a stream looks like
// (streamView). The protocol layer turns views into answers.

const (
	maxShardsPerStream = 10000
	maxCreating        = 5
	// accountShardLimit is the default shard quota of us-east-1: it also
	// bounds the memory a hostile client can make the endpoint spend.
	accountShardLimit = 20000
)

// openShards counts the open shards of every stream.
func (s *store) openShards() int {
	s.mu.RLock()
	defer s.mu.RUnlock()
	n := 0
	for _, st := range s.streams {
		n += st.openCount()
	}
	return n
}

// streamSpec is a stream to create.
type streamSpec struct {
	name         string
	mode         string // PROVISIONED or ON_DEMAND
	shards       int
	tags         map[string]string
	maxRecordKiB int  // 0: the default
	warm         *int // WarmThroughputMiBps, if asked for
}

// create adds a stream, CREATING for opts.CreateDelay.
func (s *store) create(sp streamSpec, now time.Time) error {
	if sp.warm != nil {
		if err := s.warmAllowed(sp.mode, *sp.warm); err != nil {
			return err
		}
	}
	if err := s.onDemandRoom(sp.mode, now); err != nil {
		return err
	}
	s.all(now) // drops streams whose deletion is complete
	s.mu.Lock()
	defer s.mu.Unlock()
	creating, open := 0, 0
	for name, st := range s.streams {
		open += st.openCount()
		if name == sp.name {
			return inUse("Stream %s under account %s already exists.", name, account)
		}
		st.mu.RLock()
		if st.status == "CREATING" {
			creating++
		}
		st.mu.RUnlock()
	}
	if creating >= maxCreating && s.opts.CreateDelay > 0 {
		return overLimit("Too many streams are being created at once (at most %d).", maxCreating)
	}
	if open+sp.shards > accountShardLimit {
		return overLimit("This request would exceed the shard limit for the account %s in %s. Current shard count for the account: %d. Limit: %d. Number of additional shards that would have resulted from this request: %d.", account, region, open, accountShardLimit, sp.shards)
	}
	st := &stream{
		name: sp.name, arn: arnPrefix + sp.name, created: now, opts: &s.opts, total: &s.bytes,
		status: "CREATING", mode: sp.mode, retentionHours: 24,
		tags: map[string]string{}, consumers: map[string]*consumer{},
	}
	for k, v := range sp.tags {
		st.tags[k] = v
	}
	st.settings.maxRecordKiB = sp.maxRecordKiB
	if w := sp.warm; w != nil {
		st.settings.warmTarget, st.settings.warmCurrent = *w, *w
	}
	for _, r := range hashkey.Split(sp.shards) {
		st.newShard(r, "", "", now)
	}
	st.publishOpen()
	st.schedule(now, s.opts.CreateDelay, "CREATING", func(time.Time) { st.status = "ACTIVE" })
	s.streams[sp.name] = st
	return nil
}

// delete starts deleting a stream (DELETING for opts.DeleteDelay) and stops
// recording its shard metrics; the caller ends its consumers' sessions.
func (s *store) delete(name string, enforceConsumerDeletion bool, now time.Time) (*stream, error) {
	st, err := s.get(name, now)
	if err != nil {
		return nil, err
	}
	st.mu.Lock()
	defer st.mu.Unlock()
	if st.status == "DELETING" {
		return nil, inUse("Stream %s under account %s is already being deleted.", st.name, account)
	}
	if len(st.consumers) > 0 && !enforceConsumerDeletion {
		return nil, inUse("Stream %s under account %s has registered consumers; deregister them or set EnforceConsumerDeletion.", st.name, account)
	}
	st.status = "DELETING"
	st.pending = nil // a pending reshard is abandoned
	st.pendingAt.Store(0)
	st.deleteAt = now.Add(s.opts.DeleteDelay)
	s.metrics.setMonitoring(st.name, nil)
	return st, nil
}

// streamView is a stream as DescribeStream, DescribeStreamSummary and
// ListStreams show it, read under its lock at one instant.
type streamView struct {
	name, arn, status, mode string
	created                 time.Time
	retentionHours          int
	monitoring              []string
	encryption              string // "NONE" or "KMS"
	keyID                   string
	maxRecordKiB            int
	warmTarget, warmCurrent int
	openShards              int
	// shards are the listed shards after the one asked for, up to the
	// limit asked for; more says there are more.
	shards []*shard
	more   bool
}

// view returns the stream as it is now, with up to limit of its listed
// shards (not aged out of retention) whose IDs sort after after.
func (st *stream) view(now time.Time, after string, limit int) streamView {
	st.mu.RLock()
	defer st.mu.RUnlock()
	v := streamView{
		name: st.name, arn: st.arn, status: st.status, mode: st.mode, created: st.created,
		retentionHours: st.retentionHours, monitoring: append([]string{}, st.monitoring...),
		encryption: st.encryptionType(), keyID: st.settings.keyID, maxRecordKiB: st.maxRecordKiB(),
		warmTarget: st.settings.warmTarget, warmCurrent: st.settings.warmCurrent,
		openShards: st.openCount(),
	}
	for _, sh := range st.shards {
		if limit == 0 {
			break
		}
		if st.expired(sh, now) || (after != "" && sh.id <= after) {
			continue
		}
		if len(v.shards) == limit {
			v.more = true
			break
		}
		v.shards = append(v.shards, sh)
	}
	return v
}

// shardOpenAt returns whether sh was open at t.
func shardOpenAt(sh *shard, t time.Time) bool {
	closed, at := sh.closedAt()
	return !sh.created.After(t) && (!closed || at.After(t))
}

// sortedShards returns the stream's shards in ID order (a copy).
func (st *stream) sortedShards() []*shard {
	st.mu.RLock()
	defer st.mu.RUnlock()
	out := append([]*shard(nil), st.shards...)
	sort.Slice(out, func(i, j int) bool { return out[i].index < out[j].index })
	return out
}
