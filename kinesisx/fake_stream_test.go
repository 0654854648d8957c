package kinesisx

import (
	"context"
	"fmt"
	"sync"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kinesis"
	"github.com/aws/aws-sdk-go-v2/service/kinesis/types"

	"github.com/kinspect/kinspect/kinesisx/hashkey"
)

// fakeStream is a small in-memory stream behind fakeAPI for the write path:
// DescribeStreamSummary, ListShards, PutRecord and PutRecords route records
// by hash key to the open shards, as Kinesis does. reject, if set, decides
// per entry (by its place in the call's list and the call number) whether
// it is refused with a code.
type fakeStream struct {
	mu        sync.Mutex
	name      string
	status    string
	mode      string
	dist      string
	maxKiB    int32
	shards    []types.Shard
	puts      []putCall        // every PutRecord(s) call
	landed    map[string][]rec // accepted records by shard
	reject    func(call, i int) string
	callError func(call int) error
}

type putCall struct {
	single bool
	n      int
}

type rec struct {
	key, hashKey string
	data         []byte
}

func newFakeStream(name string, n int) *fakeStream {
	fs := &fakeStream{name: name, status: "ACTIVE", mode: "PROVISIONED", landed: map[string][]rec{}}
	for i, r := range hashkey.Split(n) {
		fs.shards = append(fs.shards, sdkShard(fmt.Sprintf("shardId-%012d", i), "", "", r, false))
	}
	return fs
}

func sdkShard(id, parent, adjacent string, r hashkey.Range, closed bool) types.Shard {
	s := types.Shard{
		ShardId:             aws.String(id),
		HashKeyRange:        &types.HashKeyRange{StartingHashKey: aws.String(r.Start.String()), EndingHashKey: aws.String(r.End.String())},
		SequenceNumberRange: &types.SequenceNumberRange{StartingSequenceNumber: aws.String("1")},
	}
	if parent != "" {
		s.ParentShardId = aws.String(parent)
	}
	if adjacent != "" {
		s.AdjacentParentShardId = aws.String(adjacent)
	}
	if closed {
		s.SequenceNumberRange.EndingSequenceNumber = aws.String("99")
	}
	return s
}

func (fs *fakeStream) api() *fakeAPI {
	return &fakeAPI{
		DescribeStreamSummaryFn: fs.describe,
		ListShardsFn:            fs.listShards,
		PutRecordFn:             fs.putRecord,
		PutRecordsFn:            fs.putRecords,
	}
}

func (fs *fakeStream) describe(_ context.Context, in *kinesis.DescribeStreamSummaryInput) (*kinesis.DescribeStreamSummaryOutput, error) {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	if aws.ToString(in.StreamName) != fs.name {
		return nil, &types.ResourceNotFoundException{Message: aws.String("Stream " + aws.ToString(in.StreamName) + " not found")}
	}
	open := int32(0)
	for _, s := range fs.shards {
		if s.SequenceNumberRange.EndingSequenceNumber == nil {
			open++
		}
	}
	return &kinesis.DescribeStreamSummaryOutput{StreamDescriptionSummary: &types.StreamDescriptionSummary{
		StreamName:                 aws.String(fs.name),
		StreamARN:                  aws.String("arn:aws:kinesis:us-east-1:123456789012:stream/" + fs.name),
		StreamStatus:               types.StreamStatus(fs.status),
		StreamModeDetails:          &types.StreamModeDetails{StreamMode: types.StreamMode(fs.mode)},
		OpenShardCount:             aws.Int32(open),
		MaxRecordSizeInKiB:         aws.Int32(fs.maxKiB),
		RecordDistributionStrategy: types.RecordDistributionStrategy(fs.dist),
	}}, nil
}

func (fs *fakeStream) listShards(_ context.Context, in *kinesis.ListShardsInput) (*kinesis.ListShardsOutput, error) {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	if in.NextToken == nil && aws.ToString(in.StreamName) != fs.name {
		return nil, &types.ResourceNotFoundException{Message: aws.String("Stream not found")}
	}
	// Two pages, to exercise paging.
	half := len(fs.shards) / 2
	if in.NextToken == nil {
		return &kinesis.ListShardsOutput{Shards: append([]types.Shard(nil), fs.shards[:half]...), NextToken: aws.String("next")}, nil
	}
	if in.StreamName != nil {
		return nil, &types.InvalidArgumentException{Message: aws.String("NextToken and StreamName cannot be provided together")}
	}
	return &kinesis.ListShardsOutput{Shards: append([]types.Shard(nil), fs.shards[half:]...)}, nil
}

// route returns the open shard for an entry.
func (fs *fakeStream) route(key, ehk string) string {
	k := hashkey.FromPartitionKey(key)
	if ehk != "" {
		k = hashkey.MustParse(ehk)
	}
	for _, s := range fs.shards {
		if s.SequenceNumberRange.EndingSequenceNumber != nil {
			continue
		}
		r, _ := rangeFromAPI(s.HashKeyRange)
		if r.Contains(k) {
			return aws.ToString(s.ShardId)
		}
	}
	return "nowhere"
}

func (fs *fakeStream) putRecord(_ context.Context, in *kinesis.PutRecordInput) (*kinesis.PutRecordOutput, error) {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	call := len(fs.puts)
	fs.puts = append(fs.puts, putCall{single: true, n: 1})
	if fs.callError != nil {
		if err := fs.callError(call); err != nil {
			return nil, err
		}
	}
	if fs.reject != nil {
		if code := fs.reject(call, 0); code != "" {
			return nil, &types.ProvisionedThroughputExceededException{Message: aws.String(code)}
		}
	}
	id := fs.route(aws.ToString(in.PartitionKey), aws.ToString(in.ExplicitHashKey))
	fs.landed[id] = append(fs.landed[id], rec{aws.ToString(in.PartitionKey), aws.ToString(in.ExplicitHashKey), in.Data})
	return &kinesis.PutRecordOutput{ShardId: aws.String(id), SequenceNumber: aws.String("1")}, nil
}

func (fs *fakeStream) putRecords(_ context.Context, in *kinesis.PutRecordsInput) (*kinesis.PutRecordsOutput, error) {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	call := len(fs.puts)
	fs.puts = append(fs.puts, putCall{n: len(in.Records)})
	if fs.callError != nil {
		if err := fs.callError(call); err != nil {
			return nil, err
		}
	}
	out := &kinesis.PutRecordsOutput{}
	for i, e := range in.Records {
		if fs.reject != nil {
			if code := fs.reject(call, i); code != "" {
				out.Records = append(out.Records, types.PutRecordsResultEntry{ErrorCode: aws.String(code), ErrorMessage: aws.String("refused")})
				out.FailedRecordCount = aws.Int32(aws.ToInt32(out.FailedRecordCount) + 1)
				continue
			}
		}
		id := fs.route(aws.ToString(e.PartitionKey), aws.ToString(e.ExplicitHashKey))
		fs.landed[id] = append(fs.landed[id], rec{aws.ToString(e.PartitionKey), aws.ToString(e.ExplicitHashKey), e.Data})
		out.Records = append(out.Records, types.PutRecordsResultEntry{ShardId: aws.String(id), SequenceNumber: aws.String("1")})
	}
	return out, nil
}

func (fs *fakeStream) total() int {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	n := 0
	for _, rs := range fs.landed {
		n += len(rs)
	}
	return n
}
