package kcl

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	ddbtypes "github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/aws/aws-sdk-go-v2/service/kinesis"
	"github.com/aws/aws-sdk-go-v2/service/kinesis/types"
)

// callLog is the calls both fakes saw, in order.
type callLog struct {
	mu    sync.Mutex
	calls []string
}

func (l *callLog) add(s string) { l.mu.Lock(); defer l.mu.Unlock(); l.calls = append(l.calls, s) }

func (l *callLog) all() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]string(nil), l.calls...)
}

// fakeShard is one shard of fakeKinesis: its records' arrivals (sequence
// number i+1 for record i), and whether it ended into children.
type fakeShard struct {
	parent   string
	arrivals []time.Time
	closed   bool
	children []string
}

// fakeKinesis serves ListShards, GetShardIterator and GetRecords over
// fakeShards; an iterator is "shard/position". It logs the calls.
type fakeKinesis struct {
	mu     sync.Mutex
	order  []string
	shards map[string]*fakeShard
	log    *callLog
}

func (k *fakeKinesis) ListShards(context.Context, *kinesis.ListShardsInput, ...func(*kinesis.Options)) (*kinesis.ListShardsOutput, error) {
	k.mu.Lock()
	defer k.mu.Unlock()
	out := &kinesis.ListShardsOutput{}
	for _, id := range k.order {
		s := types.Shard{ShardId: aws.String(id)}
		if p := k.shards[id].parent; p != "" {
			s.ParentShardId = aws.String(p)
		}
		out.Shards = append(out.Shards, s)
	}
	return out, nil
}

func (k *fakeKinesis) GetShardIterator(_ context.Context, in *kinesis.GetShardIteratorInput, _ ...func(*kinesis.Options)) (*kinesis.GetShardIteratorOutput, error) {
	k.mu.Lock()
	defer k.mu.Unlock()
	pos := 0
	if in.ShardIteratorType == types.ShardIteratorTypeAfterSequenceNumber {
		pos, _ = strconv.Atoi(aws.ToString(in.StartingSequenceNumber))
	}
	k.log.add("iterator " + aws.ToString(in.ShardId))
	return &kinesis.GetShardIteratorOutput{ShardIterator: aws.String(fmt.Sprintf("%s/%d", aws.ToString(in.ShardId), pos))}, nil
}

func (k *fakeKinesis) GetRecords(_ context.Context, in *kinesis.GetRecordsInput, _ ...func(*kinesis.Options)) (*kinesis.GetRecordsOutput, error) {
	k.mu.Lock()
	defer k.mu.Unlock()
	id, p, _ := strings.Cut(aws.ToString(in.ShardIterator), "/")
	pos, _ := strconv.Atoi(p)
	s := k.shards[id]
	out := &kinesis.GetRecordsOutput{MillisBehindLatest: aws.Int64(0)}
	for i := pos; i < len(s.arrivals); i++ {
		out.Records = append(out.Records, types.Record{SequenceNumber: aws.String(strconv.Itoa(i + 1)), ApproximateArrivalTimestamp: aws.Time(s.arrivals[i])})
	}
	if s.closed {
		for _, c := range s.children {
			out.ChildShards = append(out.ChildShards, types.ChildShard{ShardId: aws.String(c), ParentShards: []string{id}})
		}
		return out, nil
	}
	out.NextShardIterator = aws.String(fmt.Sprintf("%s/%d", id, len(s.arrivals)))
	return out, nil
}

// fakeDynamo keeps the last item put per lease key and logs the puts.
type fakeDynamo struct {
	mu     sync.Mutex
	tables []string
	items  map[string]map[string]ddbtypes.AttributeValue
	log    *callLog
}

func (d *fakeDynamo) CreateTable(_ context.Context, in *dynamodb.CreateTableInput, _ ...func(*dynamodb.Options)) (*dynamodb.CreateTableOutput, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.tables = append(d.tables, aws.ToString(in.TableName)+" "+aws.ToString(in.KeySchema[0].AttributeName))
	return &dynamodb.CreateTableOutput{}, nil
}

func (d *fakeDynamo) PutItem(_ context.Context, in *dynamodb.PutItemInput, _ ...func(*dynamodb.Options)) (*dynamodb.PutItemOutput, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	key := in.Item["leaseKey"].(*ddbtypes.AttributeValueMemberS).Value
	d.items[key] = in.Item
	d.log.add("put " + key + " " + attr(in.Item, "checkpoint"))
	return &dynamodb.PutItemOutput{}, nil
}

func (d *fakeDynamo) item(key string) map[string]ddbtypes.AttributeValue {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.items[key]
}

// attr reads a string, number or string set attribute as text.
func attr(item map[string]ddbtypes.AttributeValue, name string) string {
	switch v := item[name].(type) {
	case *ddbtypes.AttributeValueMemberS:
		return v.Value
	case *ddbtypes.AttributeValueMemberN:
		return v.Value
	case *ddbtypes.AttributeValueMemberSS:
		return strings.Join(v.Value, ",")
	}
	return ""
}
