package local

import (
	"fmt"
	"sort"
	"strconv"
	"sync"
	"time"

	"github.com/kinspect/kinspect/kinesisx/hashkey"
)

// record is one stored record. seq is the stream-wide counter; the shard
// prefix turns it into the API's sequence number.
type record struct {
	seq     uint64
	arrival int64 // unix milliseconds, non-decreasing within a shard
	key     string
	data    []byte
}

// size is what a record counts against the limits: data plus key.
func (r *record) size() int { return len(r.data) + len(r.key) }

// recordOverhead is what a stored record costs in memory beyond its data
// and key: the record struct in its slice (with the slice's spare
// capacity) and allocation rounding, as a heap profile of small records
// measured it (about 290 bytes kept per 145-byte record).
const recordOverhead = 128

// memSize is what a record counts against the stream's memory cap.
func (r *record) memSize() int { return r.size() + recordOverhead }

// shard is one shard and its records: an append-only slice, live from
// head on. Fields above mu never change after creation.
type shard struct {
	id       string
	index    int
	rng      hashkey.Range
	parent   string
	adjacent string
	created  time.Time
	prefix   string // sequence-number prefix
	startSeq uint64

	mu       sync.Mutex
	recs     []record
	head     int
	lastSeq  uint64 // last counter used in this shard (startSeq when empty)
	closed   bool
	endSeq   uint64
	closedTs time.Time
	children []childShard
	wake     chan struct{} // closed and replaced on every append and on close
	limits   *shardLimits  // nil when limits are off
}

// childShard is a child as GetRecords and SubscribeToShard list it.
type childShard struct {
	ShardID      string       `json:"ShardId"`
	ParentShards []string     `json:"ParentShards"`
	HashKeyRange hashKeyRange `json:"HashKeyRange"`
}

type hashKeyRange struct {
	StartingHashKey string `json:"StartingHashKey"`
	EndingHashKey   string `json:"EndingHashKey"`
}

func rangeJSON(r hashkey.Range) hashKeyRange {
	return hashKeyRange{StartingHashKey: r.Start.String(), EndingHashKey: r.End.String()}
}

// Sequence numbers are 56 decimal digits: "49", the shard index (10
// digits), the stream's creation time in nanoseconds (24 digits) and the
// stream-wide counter (20 digits). All have the same length, so they compare
// correctly both as numbers and as strings, and a number issued by another
// stream (or an earlier stream of the same name) is recognised.
const seqLen = 56

func seqPrefix(shardIndex int, created time.Time) string {
	return fmt.Sprintf("49%010d%024d", shardIndex, created.UnixNano())
}

// appendSeq appends the sequence number of counter n with prefix p.
func appendSeq(b []byte, p string, n uint64) []byte {
	b = append(b, p...)
	var digits [20]byte
	for i := 19; i >= 0; i-- {
		digits[i] = byte('0' + n%10)
		n /= 10
	}
	return append(b, digits[:]...)
}

func (sh *shard) seqString(n uint64) string {
	return string(appendSeq(make([]byte, 0, seqLen), sh.prefix, n))
}

// parseSeq returns the counter of a sequence number issued by this shard.
func (sh *shard) parseSeq(s string) (uint64, bool) {
	if len(s) != seqLen || s[:len(sh.prefix)] != sh.prefix {
		return 0, false
	}
	n, err := strconv.ParseUint(s[len(sh.prefix):], 10, 64)
	return n, err == nil
}

// otherShardOf returns the ID of the shard of the same stream that issued
// sequence number s, when another shard did.
func (sh *shard) otherShardOf(s string) (string, bool) {
	// "49", 10 digits of shard index, 24 of the stream's creation time.
	if len(s) != seqLen || s[:2] != "49" || s[12:36] != sh.prefix[12:36] || s[:12] == sh.prefix[:12] {
		return "", false
	}
	i, err := strconv.Atoi(s[2:12])
	if err != nil {
		return "", false
	}
	return fmt.Sprintf("shardId-%012d", i), true
}

func (sh *shard) isClosed() bool {
	sh.mu.Lock()
	defer sh.mu.Unlock()
	return sh.closed
}

func (sh *shard) closedAt() (bool, time.Time) {
	sh.mu.Lock()
	defer sh.mu.Unlock()
	return sh.closed, sh.closedTs
}

// wakeup returns the channel closed at the next append to the shard or at
// its close.
func (sh *shard) wakeup() <-chan struct{} {
	sh.mu.Lock()
	defer sh.mu.Unlock()
	return sh.wake
}

// latest is the position after the shard's last record (LATEST).
func (sh *shard) latest() uint64 {
	sh.mu.Lock()
	defer sh.mu.Unlock()
	return sh.lastSeq + 1
}

// positionAtTime returns the position of the first live record that
// arrived at or after ms and 0 as minArrival; if none has, the position
// after the last record and ms, so that a reader waits for records that
// arrive at or after it.
func (sh *shard) positionAtTime(ms int64) (pos uint64, minArrival int64) {
	sh.mu.Lock()
	defer sh.mu.Unlock()
	if i := sh.indexAtTime(ms); i < len(sh.recs) {
		return sh.recs[i].seq, 0
	}
	return sh.lastSeq + 1, ms
}

// seqRange returns the starting and (if closed) ending sequence numbers.
func (sh *shard) seqRange() (start, end string) {
	sh.mu.Lock()
	defer sh.mu.Unlock()
	start = sh.seqString(sh.startSeq)
	if sh.closed {
		end = sh.seqString(sh.endSeq)
	}
	return start, end
}

// close ends the shard: no more writes, readers see its end and children.
// The caller holds the stream's lock.
func (sh *shard) close(endSeq uint64, now time.Time, children []childShard) {
	sh.mu.Lock()
	defer sh.mu.Unlock()
	sh.closed = true
	sh.endSeq = endSeq
	sh.closedTs = now
	sh.children = children
	close(sh.wake)
	sh.wake = make(chan struct{})
}

// trimLocked drops records older than the retention cutoff (unix ms) and
// returns the bytes dropped. The caller holds sh.mu.
func (sh *shard) trimLocked(cutoff int64) int64 {
	var dropped int64
	for sh.head < len(sh.recs) && sh.recs[sh.head].arrival < cutoff {
		dropped += int64(sh.recs[sh.head].memSize())
		sh.recs[sh.head] = record{}
		sh.head++
	}
	sh.compactLocked()
	return dropped
}

// trimOldest drops up to n of the oldest records and returns the bytes
// dropped.
func (sh *shard) trimOldest(n int) int64 {
	sh.mu.Lock()
	defer sh.mu.Unlock()
	var dropped int64
	for ; n > 0 && sh.head < len(sh.recs); n-- {
		dropped += int64(sh.recs[sh.head].memSize())
		sh.recs[sh.head] = record{}
		sh.head++
	}
	sh.compactLocked()
	return dropped
}

// compactLocked copies the live records to a new slice once most of the
// old one is trimmed, so the memory is released. The new slice has a
// quarter spare: a capped stream trims as fast as it appends, so it does
// not need room to double.
func (sh *shard) compactLocked() {
	if sh.head > 1024 && sh.head > len(sh.recs)/2 {
		n := len(sh.recs) - sh.head
		live := make([]record, n, n+n/4+16)
		copy(live, sh.recs[sh.head:])
		sh.recs = live
		sh.head = 0
	}
}

// oldest returns the arrival time of the oldest live record.
func (sh *shard) oldest() (int64, bool) {
	sh.mu.Lock()
	defer sh.mu.Unlock()
	if sh.head < len(sh.recs) {
		return sh.recs[sh.head].arrival, true
	}
	return 0, false
}

// indexAt returns the index of the first live record with seq ≥ pos. The
// caller holds sh.mu.
func (sh *shard) indexAt(pos uint64) int {
	live := sh.recs[sh.head:]
	return sh.head + sort.Search(len(live), func(i int) bool { return live[i].seq >= pos })
}

// indexAtTime returns the index of the first live record that arrived at
// or after ms. The caller holds sh.mu.
func (sh *shard) indexAtTime(ms int64) int {
	live := sh.recs[sh.head:]
	return sh.head + sort.Search(len(live), func(i int) bool { return live[i].arrival >= ms })
}

// posOf returns the position (counter) of index i, which may be len(recs).
// The caller holds sh.mu.
func (sh *shard) posOf(i int) uint64 {
	if i < len(sh.recs) {
		return sh.recs[i].seq
	}
	return sh.lastSeq + 1
}
