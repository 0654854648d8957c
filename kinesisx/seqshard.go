package kinesisx

import (
	"context"
	"errors"
	"fmt"
	"regexp"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kinesis"
	"github.com/aws/aws-sdk-go-v2/service/kinesis/types"
	"github.com/aws/smithy-go"
)

// encodesShard finds the shard AWS names when a sequence number is used on
// a shard that did not issue it: "Invalid StartingSequenceNumber. It
// encodes shardId-000000000001, while it was used in a call to a shard
// with shardId-000000000000".
var encodesShard = regexp.MustCompile(`It encodes (shardId-[0-9]+)`)

// ShardOfSequence finds the shard of stream that issued sequence number
// seq, among shards (from ListShards). Shards' sequence ranges overlap
// (every open shard's range is unbounded), so the range only narrows the
// candidates. AWS accepts seq in GetShardIterator
// only on the shard that issued it, and a refusal names that shard, which
// takes the search there at once; once a shard has refused, the one that
// accepts is the answer. kinesis-mock accepts any sequence number on any
// shard, so until a refusal is seen an accepted iterator is also read once:
// the shard whose first record is seq is the one; one whose first record
// comes later, or that gives none, stays a fallback (seq's record may have
// left the retention period).
func (c *Client) ShardOfSequence(ctx context.Context, stream string, shards []Shard, seq string) (Shard, error) {
	var todo []Shard
	for _, s := range shards {
		if CompareSequence(s.SeqRange.Start, seq) <= 0 && (s.SeqRange.End == "" || CompareSequence(seq, s.SeqRange.End) <= 0) {
			todo = append(todo, s)
		}
	}
	tried := map[string]bool{}
	refused := false
	var fallback *Shard
	for len(todo) > 0 {
		s := todo[0]
		todo = todo[1:]
		if tried[s.ID] {
			continue
		}
		tried[s.ID] = true
		verdict, named, err := c.probeSequence(ctx, stream, s.ID, seq, !refused)
		if err != nil {
			return Shard{}, fmt.Errorf("find the shard of sequence number %s: %w", seq, err)
		}
		switch verdict {
		case seqRefused:
			refused = true
		case seqHere:
			return s, nil
		case seqMaybe:
			if fallback == nil {
				fallback = &s
			}
		}
		if n, ok := FindShard(shards, named); ok && !tried[n.ID] {
			todo = append([]Shard{n}, todo...)
		}
	}
	if fallback != nil {
		return *fallback, nil
	}
	return Shard{}, fmt.Errorf("no shard of %s holds sequence number %s (it may be from another stream, or past retention)", stream, seq)
}

type seqVerdict int

const (
	seqNotHere seqVerdict = iota
	seqRefused            // GetShardIterator refused it: the backend checks
	seqMaybe              // accepted; its first record is later, or none
	seqHere
)

// probeSequence asks shard whether it issued seq; named is the shard an
// AWS refusal names as the issuer. With read, an accepted iterator is read
// once to check.
func (c *Client) probeSequence(ctx context.Context, stream, shard, seq string, read bool) (v seqVerdict, named string, err error) {
	it, err := c.api.GetShardIterator(ctx, &kinesis.GetShardIteratorInput{
		StreamName: aws.String(stream), ShardId: aws.String(shard),
		ShardIteratorType: types.ShardIteratorTypeAtSequenceNumber, StartingSequenceNumber: aws.String(seq),
	})
	var api smithy.APIError
	if errors.As(err, &api) && api.ErrorCode() == "InvalidArgumentException" {
		if m := encodesShard.FindStringSubmatch(api.ErrorMessage()); m != nil {
			named = m[1]
		}
		return seqRefused, named, nil
	}
	if err != nil {
		return seqNotHere, "", err
	}
	if !read {
		return seqHere, "", nil
	}
	out, err := c.api.GetRecords(ctx, &kinesis.GetRecordsInput{ShardIterator: it.ShardIterator, Limit: aws.Int32(1)})
	switch {
	case err != nil:
		return seqNotHere, "", err
	case len(out.Records) == 0:
		return seqMaybe, "", nil
	case aws.ToString(out.Records[0].SequenceNumber) == seq:
		return seqHere, "", nil
	case CompareSequence(aws.ToString(out.Records[0].SequenceNumber), seq) > 0:
		return seqMaybe, "", nil
	}
	return seqNotHere, "", nil
}
