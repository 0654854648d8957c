package kinesisx

import (
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kinesis/types"

	"github.com/kinspect/kinspect/kinesisx/kpl"
)

// convertRecords turns API records into kinspect records, deaggregating KPL
// aggregates unless told not to. A record that only looks aggregated (bad
// checksum or protobuf) passes through unchanged.
func convertRecords(stream, shardID string, in []types.Record, received time.Time, deaggregate bool) []Record {
	out := make([]Record, 0, len(in))
	for _, r := range in {
		base := Record{
			Stream:         stream,
			ShardID:        shardID,
			SequenceNumber: aws.ToString(r.SequenceNumber),
			PartitionKey:   aws.ToString(r.PartitionKey),
			ArrivedAt:      aws.ToTime(r.ApproximateArrivalTimestamp),
			ReceivedAt:     received,
			Data:           r.Data,
		}
		if deaggregate {
			// Any error means "not an aggregate": keep the record as it is.
			if subs, err := kpl.Deaggregate(r.Data); err == nil && len(subs) > 0 {
				for i, s := range subs {
					rec := base
					rec.SubSequence = i
					rec.PartitionKey = s.PartitionKey
					rec.ExplicitHashKey = s.ExplicitHashKey
					rec.Data = s.Data
					rec.Aggregated = true
					out = append(out, rec)
				}
				continue
			}
		}
		out = append(out, base)
	}
	return out
}

// recordSize is what a record counts against the shard's limits: its data
// plus its partition key.
func recordSize(r types.Record) int {
	return len(r.Data) + len(aws.ToString(r.PartitionKey))
}

// cursor is a shard reader's position: the last sequence number it
// delivered. Records at or before it are dropped, so a replay after a
// retry, a rebuilt iterator or a new subscription never delivers a record
// twice.
type cursor struct {
	stream, shardID string
	lastSeq         string
}

// take puts the new records of one response into ev and returns the bytes
// the response held (data plus keys, as the read limit counts them).
func (c *cursor) take(recs []types.Record, ev *shardEvent, now time.Time, deaggregate bool) int {
	size := 0
	fresh := make([]types.Record, 0, len(recs))
	for _, r := range recs {
		n := recordSize(r)
		size += n
		seq := aws.ToString(r.SequenceNumber)
		if c.lastSeq != "" && CompareSequence(seq, c.lastSeq) <= 0 {
			continue
		}
		c.lastSeq = seq
		fresh = append(fresh, r)
		ev.samples = append(ev.samples, sample{arrival: aws.ToTime(r.ApproximateArrivalTimestamp), size: n})
	}
	ev.records = convertRecords(c.stream, c.shardID, fresh, now, deaggregate)
	ev.lastSeq = c.lastSeq
	return size
}
