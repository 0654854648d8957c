package local

import (
	"sync/atomic"
	"time"
	"unicode/utf8"

	"github.com/kinspect/kinspect/kinesisx/hashkey"
)

type putEntry struct {
	Data            []byte  `json:"Data"`
	PartitionKey    *string `json:"PartitionKey"`
	ExplicitHashKey *string `json:"ExplicitHashKey"`
}

type putRecordInput struct {
	putEntry
	StreamName                string  `json:"StreamName"`
	StreamARN                 string  `json:"StreamARN"`
	SequenceNumberForOrdering *string `json:"SequenceNumberForOrdering"`
}

type putRecordsInput struct {
	Records    []putEntry `json:"Records"`
	StreamName string     `json:"StreamName"`
	StreamARN  string     `json:"StreamARN"`
}

type putResult struct {
	SequenceNumber string `json:"SequenceNumber,omitempty"`
	ShardID        string `json:"ShardId,omitempty"`
	ErrorCode      string `json:"ErrorCode,omitempty"`
	ErrorMessage   string `json:"ErrorMessage,omitempty"`
}

// validateEntry checks one record against the API's schema and returns its
// hash key.
func validateEntry(e *putEntry, i int) (hashkey.Key, error) {
	if e.PartitionKey == nil {
		return hashkey.Key{}, errValidation("1 validation error detected: Value null at 'records.%d.member.partitionKey' failed to satisfy constraint: Member must not be null", i+1)
	}
	if n := utf8.RuneCountInString(*e.PartitionKey); n < 1 || n > 256 {
		return hashkey.Key{}, errValidation("1 validation error detected: Value at 'records.%d.member.partitionKey' failed to satisfy constraint: Member must have length between 1 and 256 (got %d)", i+1, n)
	}
	if e.Data == nil {
		return hashkey.Key{}, errValidation("1 validation error detected: Value null at 'records.%d.member.data' failed to satisfy constraint: Member must not be null", i+1)
	}
	if size := len(e.Data) + len(*e.PartitionKey); size > maxRecordBytesLimit {
		return hashkey.Key{}, errValidation("1 validation error detected: Value at 'records.%d.member.data' failed to satisfy constraint: record size %d (data + partition key) exceeds the maximum of %d bytes", i+1, size, maxRecordBytesLimit)
	}
	if e.ExplicitHashKey != nil {
		k, err := hashkey.Parse(*e.ExplicitHashKey)
		if err != nil && hashKeyPattern(*e.ExplicitHashKey) {
			return hashkey.Key{}, errInvalid("Invalid ExplicitHashKey. ExplicitHashKey must be in the range: [0, 2^128-1]. Specified value was %s", *e.ExplicitHashKey)
		}
		if err != nil {
			return hashkey.Key{}, errValidation("1 validation error detected: Value %q at 'records.%d.member.explicitHashKey' failed to satisfy constraint: Member must satisfy regular expression pattern: 0|([1-9]\\d{0,38})", *e.ExplicitHashKey, i+1)
		}
		return k, nil
	}
	return hashkey.FromPartitionKey(*e.PartitionKey), nil
}

// hashKeyPattern reports whether s has the model's form of a hash key,
// 0|([1-9]\d{0,38}), whatever its value.
func hashKeyPattern(s string) bool { return len(s) <= 39 && validSeqSyntax(s) }

func (s *Server) putRecord(c *call) (any, error) {
	var in putRecordInput
	if err := c.decode(&in); err != nil {
		return nil, err
	}
	name, err := streamName(in.StreamName, in.StreamARN)
	if err != nil {
		return nil, err
	}
	k, err := validateEntry(&in.putEntry, 0)
	if err != nil {
		return nil, err
	}
	st, err := s.store.getActive(name, c.now)
	if err != nil {
		return nil, err
	}
	if err := checkRecordSizes(st, []putEntry{in.putEntry}); err != nil {
		return nil, err
	}
	res := s.appendEntries(st, []putEntry{in.putEntry}, []hashkey.Key{k}, c)
	if res[0].ErrorCode != "" {
		return nil, newErr(400, res[0].ErrorCode, "%s", res[0].ErrorMessage)
	}
	s.metrics.add(name, "", "PutRecord.Success", 1, c.now)
	s.metrics.add(name, "", "PutRecord.Bytes", float64(len(in.Data)+len(*in.PartitionKey)), c.now)
	s.metrics.add(name, "", "PutRecord.Latency", msSince(c.now, s.opts.Now()), c.now)
	return map[string]string{"SequenceNumber": res[0].SequenceNumber, "ShardId": res[0].ShardID, "EncryptionType": st.putEncryption()}, nil
}

func (s *Server) putRecords(c *call) (any, error) {
	in, ok := decodePutRecordsFast(c.body)
	if ok && c.model != nil && !c.model.putRecordsOK(&in) {
		ok = false // decode reports the model's errors
	}
	if !ok {
		in = putRecordsInput{}
		if err := c.decode(&in); err != nil {
			return nil, err
		}
	}
	name, err := streamName(in.StreamName, in.StreamARN)
	if err != nil {
		return nil, err
	}
	if n := len(in.Records); n < 1 || n > 500 {
		return nil, errValidation("1 validation error detected: Value at 'records' failed to satisfy constraint: Member must have length less than or equal to 500 and greater than or equal to 1 (got %d)", n)
	}
	keys := make([]hashkey.Key, len(in.Records))
	total := 0
	for i := range in.Records {
		if keys[i], err = validateEntry(&in.Records[i], i); err != nil {
			return nil, err
		}
		total += len(in.Records[i].Data) + len(*in.Records[i].PartitionKey)
	}
	if total > maxPutRecordsBytes {
		return nil, errInvalid("Records size %d bytes exceeds the maximum of %d bytes per PutRecords request", total, maxPutRecordsBytes)
	}
	st, err := s.store.getActive(name, c.now)
	if err != nil {
		return nil, err
	}
	if err := checkRecordSizes(st, in.Records); err != nil {
		return nil, err
	}
	res := s.appendEntries(st, in.Records, keys, c)
	failed := 0
	for i := range res {
		if res[i].ErrorCode != "" {
			failed++
		}
	}
	s.metrics.add(name, "", "PutRecords.Success", 1, c.now)
	s.metrics.add(name, "", "PutRecords.Bytes", float64(total), c.now)
	s.metrics.add(name, "", "PutRecords.TotalRecords", float64(len(res)), c.now)
	s.metrics.add(name, "", "PutRecords.SuccessfulRecords", float64(len(res)-failed), c.now)
	s.metrics.add(name, "", "PutRecords.FailedRecords", float64(failed), c.now)
	s.metrics.add(name, "", "PutRecords.Latency", msSince(c.now, s.opts.Now()), c.now)
	return struct {
		FailedRecordCount int         `json:"FailedRecordCount"`
		Records           []putResult `json:"Records"`
		EncryptionType    string      `json:"EncryptionType"`
	}{failed, res, st.putEncryption()}, nil
}

func msSince(from, to time.Time) float64 {
	return float64(to.Sub(from).Microseconds()) / 1000
}

// appendEntries stores validated entries, grouped by shard so that each
// shard's lock is taken once per call. Entries of a shard closed by a
// concurrent reshard are routed again.
func (s *Server) appendEntries(st *stream, entries []putEntry, keys []hashkey.Key, c *call) []putResult {
	res := make([]putResult, len(entries))
	todo := make([]int, len(entries))
	for i := range todo {
		todo[i] = i
	}
	nowMs := c.now.UnixMilli()
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
				res[i] = putResult{ErrorCode: "InternalFailure", ErrorMessage: "no open shard owns the hash key"}
				continue
			}
			if groups[sh] == nil {
				order = append(order, sh)
			}
			groups[sh] = append(groups[sh], i)
		}
		todo = todo[:0]
		for _, sh := range order {
			todo = append(todo, s.appendShard(st, sh, groups[sh], entries, res, c, nowMs, retention)...)
		}
	}
	for _, i := range todo {
		res[i] = putResult{ErrorCode: "InternalFailure", ErrorMessage: "the shard closed during the write; retry"}
	}
	if st.bytes.Load() > s.opts.MaxBytesPerStream {
		st.trimToCap(s.opts.MaxBytesPerStream)
	}
	if s.store.bytes.Load() > s.opts.MaxBytes {
		s.store.trimToCap(s.opts.MaxBytes)
	}
	return res
}

// appendShard appends the entries idx to sh and returns those to route
// again because sh closed.
func (s *Server) appendShard(st *stream, sh *shard, idx []int, entries []putEntry, res []putResult, c *call, nowMs int64, retention time.Duration) []int {
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
		if c.throttleAll || !sh.limits.admitWrite(size, c.now) {
			res[i] = putResult{ErrorCode: "ProvisionedThroughputExceededException",
				ErrorMessage: "Rate exceeded for shard " + sh.id + " in stream " + st.name + " under account " + account + "."}
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
		s.metrics.addIncoming(st.name, sh.id, inBytes, inRecs, c.now)
	}
	if throttled > 0 {
		s.metrics.add(st.name, "", "WriteProvisionedThroughputExceeded", throttled, c.now)
		s.metrics.add(st.name, sh.id, "WriteProvisionedThroughputExceeded", throttled, c.now)
		s.metrics.add(st.name, "", "PutRecords.ThrottledRecords", throttled, c.now)
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
