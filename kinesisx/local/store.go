package local

import (
	"fmt"
	"regexp"
	"sort"
	"sync"
	"sync/atomic"
	"time"

	"github.com/kinspect/kinspect/kinesisx/hashkey"
)

const (
	region  = "us-east-1"
	account = "000000000000"
	// arnPrefix starts every stream ARN the endpoint issues.
	arnPrefix = "arn:aws:kinesis:" + region + ":" + account + ":stream/"
)

var nameRE = regexp.MustCompile(`^[a-zA-Z0-9_.-]{1,128}$`)

// store holds the streams by name.
type store struct {
	opts    Options
	model   *apiModel    // the request schema every call is checked against
	bytes   atomic.Int64 // live record bytes over all streams
	trimMu  sync.Mutex   // serialises the global byte-cap trimming
	mu      sync.RWMutex
	streams map[string]*stream
	account accountSettings // the account-level settings (billing commitment)
	metrics *metricStore    // the per-minute metrics of the traffic
}

func newStore(opts Options, metrics *metricStore) *store {
	return &store{opts: opts, model: loadModel(), streams: map[string]*stream{}, metrics: metrics}
}

// stream is one stream. Its metadata is guarded by mu; its shards guard
// their own records.
type stream struct {
	name    string
	arn     string
	created time.Time
	opts    *Options

	seq   atomic.Uint64 // last issued sequence counter
	bytes atomic.Int64  // live record bytes over all shards
	total *atomic.Int64 // the store's bytes over all streams
	// pendingAt is the unix nanosecond time at which pending applies (0:
	// nothing pending); read without the lock on every call.
	pendingAt atomic.Int64
	// open is the open shards sorted by starting hash key, for routing;
	// replaced as a whole on reshard.
	open atomic.Pointer[[]*shard]
	// encLog is when server-side encryption went on and off: the counters
	// from which it held, ascending, on at even indexes (nil: never on).
	// Replaced whole on change; records answer with the state of their
	// counter (encryptedAt).
	encLog atomic.Pointer[[]uint64]

	mu             sync.RWMutex
	status         string
	mode           string
	pending        func(now time.Time) // a transition to apply at pendingAt
	deleteAt       time.Time           // set while DELETING
	shards         []*shard            // every shard, by index
	retentionHours int
	tags           map[string]string
	monitoring     []string
	consumers      map[string]*consumer
	scaleHistory   []time.Time
	trimMu         sync.Mutex     // serialises byte-cap trimming
	settings       streamSettings // encryption, record size, warm throughput, policies
}

// addBytes counts n more (or, negative, fewer) live record bytes.
func (st *stream) addBytes(n int64) {
	st.bytes.Add(n)
	if st.total != nil {
		st.total.Add(n)
	}
}

// get returns a stream that exists (in any status but gone), applying due
// transitions.
func (s *store) get(name string, now time.Time) (*stream, error) {
	s.mu.RLock()
	st := s.streams[name]
	s.mu.RUnlock()
	if st == nil {
		return nil, notFound("Stream %s under account %s not found.", name, account)
	}
	st.settle(now)
	st.mu.RLock()
	gone := st.status == "DELETING" && !now.Before(st.deleteAt)
	st.mu.RUnlock()
	if gone {
		s.mu.Lock()
		if s.streams[name] == st {
			delete(s.streams, name)
			s.bytes.Add(-st.bytes.Load())
		}
		s.mu.Unlock()
		return nil, notFound("Stream %s under account %s not found.", name, account)
	}
	return st, nil
}

// getActive returns a stream that can take reads and writes (ACTIVE or
// UPDATING).
func (s *store) getActive(name string, now time.Time) (*stream, error) {
	st, err := s.get(name, now)
	if err != nil {
		return nil, err
	}
	st.mu.RLock()
	status := st.status
	st.mu.RUnlock()
	if status != "ACTIVE" && status != "UPDATING" {
		return nil, notFound("Stream %s under account %s is %s, not ACTIVE.", name, account, status)
	}
	return st, nil
}

// names returns the streams that exist, sorted.
func (s *store) all(now time.Time) []*stream {
	s.mu.RLock()
	names := make([]string, 0, len(s.streams))
	for n := range s.streams {
		names = append(names, n)
	}
	s.mu.RUnlock()
	sort.Strings(names)
	out := make([]*stream, 0, len(names))
	for _, n := range names {
		if st, err := s.get(n, now); err == nil {
			out = append(out, st)
		}
	}
	return out
}

// settle applies a pending transition that is due.
func (st *stream) settle(now time.Time) {
	at := st.pendingAt.Load()
	if at == 0 || now.UnixNano() < at {
		return
	}
	st.mu.Lock()
	defer st.mu.Unlock()
	if st.pending != nil && now.UnixNano() >= st.pendingAt.Load() {
		f := st.pending
		st.pending = nil
		st.pendingAt.Store(0)
		f(now)
	}
}

// schedule runs f (with st.mu held) after d, or now if d is zero, and sets
// the status in between. The caller holds st.mu.
func (st *stream) schedule(now time.Time, d time.Duration, status string, f func(now time.Time)) {
	if d <= 0 {
		f(now)
		return
	}
	st.status = status
	st.pending = f
	st.pendingAt.Store(now.Add(d).UnixNano())
}

// newShard creates shard number len(st.shards) over r. The caller holds
// st.mu.
func (st *stream) newShard(r hashkey.Range, parent, adjacent string, now time.Time) *shard {
	idx := len(st.shards)
	sh := &shard{
		id:       fmt.Sprintf("shardId-%012d", idx),
		index:    idx,
		rng:      r,
		parent:   parent,
		adjacent: adjacent,
		created:  now,
		prefix:   seqPrefix(idx, st.created),
		wake:     make(chan struct{}),
	}
	sh.startSeq = st.seq.Add(1)
	sh.lastSeq = sh.startSeq
	if st.opts.Limits {
		sh.limits = newShardLimits(now)
	}
	st.shards = append(st.shards, sh)
	return sh
}

// publishOpen recomputes the routing table. The caller holds st.mu.
func (st *stream) publishOpen() {
	var open []*shard
	for _, sh := range st.shards {
		if !sh.isClosed() {
			open = append(open, sh)
		}
	}
	sort.Slice(open, func(i, j int) bool { return open[i].rng.Start.Cmp(open[j].rng.Start) < 0 })
	st.open.Store(&open)
}

// route returns the open shard owning k.
func (st *stream) route(k hashkey.Key) *shard {
	p := st.open.Load()
	if p == nil {
		return nil
	}
	open := *p
	i := sort.Search(len(open), func(i int) bool { return open[i].rng.End.Cmp(k) >= 0 })
	if i < len(open) && open[i].rng.Contains(k) {
		return open[i]
	}
	return nil
}

// shard returns the shard with id, or a ResourceNotFoundException.
func (st *stream) shard(id string) (*shard, error) {
	var idx int
	if _, err := fmt.Sscanf(id, "shardId-%d", &idx); err == nil && idx >= 0 {
		st.mu.RLock()
		defer st.mu.RUnlock()
		if idx < len(st.shards) && st.shards[idx].id == id {
			return st.shards[idx], nil
		}
	}
	return nil, notFound("Shard %s in stream %s under account %s does not exist", id, st.name, account)
}

// shardAt returns shard number i, or nil.
func (st *stream) shardAt(i int) *shard {
	st.mu.RLock()
	defer st.mu.RUnlock()
	if i >= 0 && i < len(st.shards) {
		return st.shards[i]
	}
	return nil
}

// enhancedMonitoring returns a copy of the shard-level metrics enabled.
func (st *stream) enhancedMonitoring() []string {
	st.mu.RLock()
	defer st.mu.RUnlock()
	return append([]string(nil), st.monitoring...)
}

// consumerStatus returns k's status now.
func (st *stream) consumerStatus(k *consumer, now time.Time) string {
	st.mu.RLock()
	defer st.mu.RUnlock()
	return k.status(now)
}

// openCount counts open shards.
func (st *stream) openCount() int {
	if p := st.open.Load(); p != nil {
		return len(*p)
	}
	return 0
}

// retention returns the retention period.
func (st *stream) retention() time.Duration {
	st.mu.RLock()
	defer st.mu.RUnlock()
	return time.Duration(st.retentionHours) * time.Hour
}

// expired reports whether a closed shard has aged out of retention (it is
// no longer listed). The caller holds st.mu.
func (st *stream) expired(sh *shard, now time.Time) bool {
	closed, at := sh.closedAt()
	return closed && now.Sub(at) > time.Duration(st.retentionHours)*time.Hour
}
