package local

import (
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
	if err != nil {
		if errKindOf(err) == kindThrottled {
			s.metrics.add(st.name, "", "ReadProvisionedThroughputExceeded", 1, c.now)
			s.metrics.add(st.name, sh.id, "ReadProvisionedThroughputExceeded", 1, c.now)
		}
		return nil, err
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
