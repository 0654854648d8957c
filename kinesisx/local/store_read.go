package local

import "time"

// The store's reads: where a shard iterator starts, and reading a shard
// (GetRecords polls under the shard's read budget; SubscribeToShard reads
// paced by its session).

// startPosition resolves a starting position (iterator type, sequence
// number, timestamp) in sh to a position and a minimum arrival time.
func startPosition(sh *shard, typ string, seq *string, ts *float64) (pos uint64, minArrival int64, err error) {
	switch typ {
	case "TRIM_HORIZON":
		return 0, 0, nil
	case "LATEST":
		return sh.latest(), 0, nil
	case "AT_TIMESTAMP":
		if ts == nil {
			return 0, 0, invalid("Must specify timestampInMillis parameter for iterator of type AT_TIMESTAMP. Current request has no timestamp parameter.")
		}
		pos, minArrival := sh.positionAtTime(fromEpoch(*ts).UnixMilli())
		return pos, minArrival, nil
	case "AT_SEQUENCE_NUMBER", "AFTER_SEQUENCE_NUMBER":
		if seq == nil {
			return 0, 0, invalid("Must specify StartingSequenceNumber for iterator of type %s.", typ)
		}
		if !validSeqSyntax(*seq) {
			return 0, 0, storeErr(kindBadValue, "1 validation error detected: Value %q at 'startingSequenceNumber' failed to satisfy constraint: Member must satisfy regular expression pattern: 0|([1-9]\\d{0,128})", *seq)
		}
		n, ok := sh.parseSeq(*seq)
		if !ok {
			if other, ok := sh.otherShardOf(*seq); ok {
				// AWS's words, which name the shard that issued it.
				return 0, 0, invalid("Invalid StartingSequenceNumber. It encodes %s, while it was used in a call to a shard with %s", other, sh.id)
			}
			return 0, 0, invalid("StartingSequenceNumber %s used in GetShardIterator on shard %s is invalid because it did not come from this stream.", *seq, sh.id)
		}
		if typ == "AFTER_SEQUENCE_NUMBER" {
			n++
		}
		return n, 0, nil
	}
	return 0, 0, storeErr(kindBadValue, "1 validation error detected: Value %q at 'shardIteratorType' failed to satisfy constraint: Member must satisfy enum value set: [AT_SEQUENCE_NUMBER, AFTER_SEQUENCE_NUMBER, TRIM_HORIZON, LATEST, AT_TIMESTAMP]", typ)
}

func validSeqSyntax(s string) bool {
	if s == "" || len(s) > 129 || (len(s) > 1 && s[0] == '0') {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// readResult is what one read of a shard found.
type readResult struct {
	recs     []record
	bytes    int
	next     uint64 // position after the last record returned
	end      bool   // the shard is closed and read to its end
	children []childShard
	behind   int64    // ms behind the newest record
	encLog   []uint64 // the stream's encryption log when read (encryptedAt)
}

// read takes up to limit records and maxBytes from pos on (at least one
// record if there is one) and says whether that reaches a closed shard's
// end. Records older than the retention are trimmed first.
func (sh *shard) read(pos uint64, minArrival int64, limit, maxBytes int, now time.Time, retention time.Duration, st *stream) readResult {
	sh.mu.Lock()
	defer sh.mu.Unlock()
	return sh.readLocked(pos, minArrival, limit, maxBytes, now, retention, st)
}

// poll is a GetRecords read: it admits the call against the shard's read
// budget (a kindThrottled error if over it), reads as read does and charges the
// bytes returned, all under the shard's lock, so that concurrent readers
// see each other's charges.
func (sh *shard) poll(pos uint64, minArrival int64, limit int, now time.Time, retention time.Duration, st *stream) (readResult, error) {
	sh.mu.Lock()
	defer sh.mu.Unlock()
	if !sh.limits.admitRead(now) {
		return readResult{}, storeErr(kindThrottled, "Rate exceeded for Shard - %s - %s - %s.", account, st.name, sh.id)
	}
	r := sh.readLocked(pos, minArrival, limit, maxGetRecordsBytes, now, retention, st)
	sh.limits.chargeRead(r.bytes, now)
	return r, nil
}

// readLocked is read; the caller holds sh.mu.
func (sh *shard) readLocked(pos uint64, minArrival int64, limit, maxBytes int, now time.Time, retention time.Duration, st *stream) readResult {
	if dropped := sh.trimLocked(now.UnixMilli() - retention.Milliseconds()); dropped > 0 {
		st.addBytes(-dropped)
	}
	i := sh.indexAt(pos)
	if minArrival > 0 {
		i = max(i, sh.indexAtTime(minArrival))
	}
	var r readResult
	if log := st.encLog.Load(); log != nil {
		r.encLog = *log
	}
	j := i
	for j < len(sh.recs) && j-i < limit {
		n := sh.recs[j].size()
		if j > i && r.bytes+n > maxBytes {
			break
		}
		r.bytes += n
		j++
	}
	r.recs = append([]record(nil), sh.recs[i:j]...)
	r.next = max(pos, sh.posOf(j))
	if j > i {
		r.next = sh.recs[j-1].seq + 1
	}
	if j < len(sh.recs) {
		r.behind = max(0, now.UnixMilli()-sh.recs[j].arrival)
	}
	r.end = sh.closed && j == len(sh.recs)
	if r.end {
		r.children = sh.children
	}
	return r
}
