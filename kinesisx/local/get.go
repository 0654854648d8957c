package local

import (
	"errors"
	"time"
)

type getShardIteratorInput struct {
	StreamName             string   `json:"StreamName"`
	StreamARN              string   `json:"StreamARN"`
	ShardID                string   `json:"ShardId"`
	ShardIteratorType      string   `json:"ShardIteratorType"`
	StartingSequenceNumber *string  `json:"StartingSequenceNumber"`
	Timestamp              *float64 `json:"Timestamp"`
}

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
			return 0, 0, errInvalid("Must specify timestampInMillis parameter for iterator of type AT_TIMESTAMP. Current request has no timestamp parameter.")
		}
		pos, minArrival := sh.positionAtTime(fromEpoch(*ts).UnixMilli())
		return pos, minArrival, nil
	case "AT_SEQUENCE_NUMBER", "AFTER_SEQUENCE_NUMBER":
		if seq == nil {
			return 0, 0, errInvalid("Must specify StartingSequenceNumber for iterator of type %s.", typ)
		}
		if !validSeqSyntax(*seq) {
			return 0, 0, errValidation("1 validation error detected: Value %q at 'startingSequenceNumber' failed to satisfy constraint: Member must satisfy regular expression pattern: 0|([1-9]\\d{0,128})", *seq)
		}
		n, ok := sh.parseSeq(*seq)
		if !ok {
			if other, ok := sh.otherShardOf(*seq); ok {
				// AWS's words, which name the shard that issued it.
				return 0, 0, errInvalid("Invalid StartingSequenceNumber. It encodes %s, while it was used in a call to a shard with %s", other, sh.id)
			}
			return 0, 0, errInvalid("StartingSequenceNumber %s used in GetShardIterator on shard %s is invalid because it did not come from this stream.", *seq, sh.id)
		}
		if typ == "AFTER_SEQUENCE_NUMBER" {
			n++
		}
		return n, 0, nil
	}
	return 0, 0, errValidation("1 validation error detected: Value %q at 'shardIteratorType' failed to satisfy constraint: Member must satisfy enum value set: [AT_SEQUENCE_NUMBER, AFTER_SEQUENCE_NUMBER, TRIM_HORIZON, LATEST, AT_TIMESTAMP]", typ)
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

func (s *Server) getShardIterator(c *call) (any, error) {
	var in getShardIteratorInput
	if err := c.decode(&in); err != nil {
		return nil, err
	}
	name, err := streamName(in.StreamName, in.StreamARN)
	if err != nil {
		return nil, err
	}
	st, err := s.store.getActive(name, c.now)
	if err != nil {
		return nil, err
	}
	sh, err := st.shard(in.ShardID)
	if err != nil {
		return nil, err
	}
	pos, minArrival, err := startPosition(sh, in.ShardIteratorType, in.StartingSequenceNumber, in.Timestamp)
	if err != nil {
		return nil, err
	}
	it := iterator{stream: name, created: st.created.UnixNano(), shard: sh.index, pos: pos, minArrival: minArrival, issued: c.now.UnixNano()}
	return map[string]string{"ShardIterator": it.encode()}, nil
}

type getRecordsInput struct {
	ShardIterator string `json:"ShardIterator"`
	Limit         *int   `json:"Limit"`
	StreamARN     string `json:"StreamARN"`
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

// errReadThrottled is the store's answer to a GetRecords call over the
// shard's read budget.
var errReadThrottled = errors.New("read budget of the shard exceeded")

// read takes up to limit records and maxBytes from pos on (at least one
// record if there is one) and says whether that reaches a closed shard's
// end. Records older than the retention are trimmed first.
func (sh *shard) read(pos uint64, minArrival int64, limit, maxBytes int, now time.Time, retention time.Duration, st *stream) readResult {
	sh.mu.Lock()
	defer sh.mu.Unlock()
	return sh.readLocked(pos, minArrival, limit, maxBytes, now, retention, st)
}

// poll is a GetRecords read: it admits the call against the shard's read
// budget (errReadThrottled if over it), reads as read does and charges the
// bytes returned, all under the shard's lock, so that concurrent readers
// see each other's charges.
func (sh *shard) poll(pos uint64, minArrival int64, limit int, now time.Time, retention time.Duration, st *stream) (readResult, error) {
	sh.mu.Lock()
	defer sh.mu.Unlock()
	if !sh.limits.admitRead(now) {
		return readResult{}, errReadThrottled
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

func (s *Server) getRecords(c *call) (any, error) {
	var in getRecordsInput
	if err := c.decode(&in); err != nil {
		return nil, err
	}
	limit, err := pageSize(in.Limit, "limit", maxGetRecordsLimit)
	if err != nil {
		return nil, err
	}
	it, err := decodeIterator(in.ShardIterator)
	if err != nil {
		return nil, err
	}
	if in.StreamARN != "" {
		if name, err := streamName("", in.StreamARN); err != nil || name != it.stream {
			return nil, errInvalid("StreamARN %s does not match the stream of the ShardIterator (%s%s).", in.StreamARN, arnPrefix, it.stream)
		}
	}
	if it.expired(c.now, s.opts.IteratorTTL) {
		return nil, newErr(400, "ExpiredIteratorException", "Iterator expired. The iterator was created at time %s while right now it is %s which is further in the future than the tolerated delay of %d milliseconds.",
			time.Unix(0, it.issued).UTC().Format(time.RFC1123), c.now.UTC().Format(time.RFC1123), s.opts.IteratorTTL.Milliseconds())
	}
	st, err := s.store.getActive(it.stream, c.now)
	if err != nil || st.created.UnixNano() != it.created {
		return nil, errNotFound("Stream %s under account %s not found (the iterator is from a stream that no longer exists).", it.stream, account)
	}
	sh := st.shardAt(it.shard)
	if sh == nil {
		return nil, errInvalid("Invalid ShardIterator: unknown shard")
	}
	r, err := sh.poll(it.pos, it.minArrival, limit, c.now, st.retention(), st)
	if errors.Is(err, errReadThrottled) {
		s.metrics.add(st.name, "", "ReadProvisionedThroughputExceeded", 1, c.now)
		s.metrics.add(st.name, sh.id, "ReadProvisionedThroughputExceeded", 1, c.now)
		return nil, errThroughput("Rate exceeded for Shard - %s - %s - %s.", account, st.name, sh.id)
	}
	var next string
	if !r.end {
		minArrival := it.minArrival
		if len(r.recs) > 0 {
			minArrival = 0
		}
		next = iterator{stream: it.stream, created: it.created, shard: it.shard, pos: r.next, minArrival: minArrival, issued: c.now.UnixNano()}.encode()
	}
	s.recordRead(st.name, sh.id, r, c.now, true)
	return &getRecordsAnswer{sh: sh, r: r, next: next, chunks: &s.chunks}, nil
}

// recordRead adds a read's traffic to the metrics.
func (s *Server) recordRead(stream, shardID string, r readResult, now time.Time, polling bool) {
	var age float64
	if n := len(r.recs); n > 0 {
		age = float64(max(0, now.UnixMilli()-r.recs[n-1].arrival))
	}
	s.metrics.add(stream, shardID, "OutgoingBytes", float64(r.bytes), now)
	s.metrics.add(stream, shardID, "OutgoingRecords", float64(len(r.recs)), now)
	s.metrics.add(stream, shardID, "IteratorAgeMilliseconds", age, now)
	if polling {
		s.metrics.add(stream, "", "GetRecords.Bytes", float64(r.bytes), now)
		s.metrics.add(stream, "", "GetRecords.Records", float64(len(r.recs)), now)
		s.metrics.add(stream, "", "GetRecords.IteratorAgeMilliseconds", age, now)
		s.metrics.add(stream, "", "GetRecords.Success", 1, now)
	}
}
