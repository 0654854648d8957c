package lag

import (
	"context"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch"
	cwtypes "github.com/aws/aws-sdk-go-v2/service/cloudwatch/types"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	ddbtypes "github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/aws/aws-sdk-go-v2/service/kinesis"
	"github.com/aws/aws-sdk-go-v2/service/kinesis/types"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
)

// fakeShard is a shard's records: their arrival times; record i has the
// sequence number 100+i.
type fakeShard struct {
	arrivals []time.Time
	closed   bool
}

// fakeKinesis serves GetShardIterator and GetRecords over fakeShards as
// AWS does: MillisBehindLatest is the age of the first record after the
// page (0 when the page reached the tip), NextShardIterator is nil past
// the end of a closed shard.
type fakeKinesis struct {
	now    time.Time
	shards map[string]*fakeShard
	mu     sync.Mutex // guards calls: shards are measured at once
	calls  []string
}

func (f *fakeKinesis) record(call string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls = append(f.calls, call)
}

func (f *fakeKinesis) GetShardIterator(_ context.Context, in *kinesis.GetShardIteratorInput, _ ...func(*kinesis.Options)) (*kinesis.GetShardIteratorOutput, error) {
	id := aws.ToString(in.ShardId)
	f.record("GetShardIterator " + id + " " + string(in.ShardIteratorType))
	sh, ok := f.shards[id]
	if !ok {
		return nil, &types.ResourceNotFoundException{Message: aws.String("no shard " + id)}
	}
	pos := 0
	switch in.ShardIteratorType {
	case types.ShardIteratorTypeAfterSequenceNumber:
		seq, err := strconv.Atoi(aws.ToString(in.StartingSequenceNumber))
		if err != nil || seq < 100 || seq-100 >= len(sh.arrivals) {
			return nil, &types.InvalidArgumentException{Message: aws.String("bad sequence number")}
		}
		pos = seq - 100 + 1
	case types.ShardIteratorTypeTrimHorizon:
	default:
		return nil, fmt.Errorf("fake: iterator type %s", in.ShardIteratorType)
	}
	return &kinesis.GetShardIteratorOutput{ShardIterator: aws.String(id + "/" + strconv.Itoa(pos))}, nil
}

func (f *fakeKinesis) GetRecords(_ context.Context, in *kinesis.GetRecordsInput, _ ...func(*kinesis.Options)) (*kinesis.GetRecordsOutput, error) {
	id, p, _ := strings.Cut(aws.ToString(in.ShardIterator), "/")
	f.record(fmt.Sprintf("GetRecords %s limit %d", id, aws.ToInt32(in.Limit)))
	sh := f.shards[id]
	pos, _ := strconv.Atoi(p)
	end := min(pos+int(aws.ToInt32(in.Limit)), len(sh.arrivals))
	out := &kinesis.GetRecordsOutput{MillisBehindLatest: aws.Int64(0)}
	for i := pos; i < end; i++ {
		out.Records = append(out.Records, types.Record{SequenceNumber: aws.String(strconv.Itoa(100 + i)), ApproximateArrivalTimestamp: aws.Time(sh.arrivals[i])})
	}
	if end < len(sh.arrivals) {
		out.MillisBehindLatest = aws.Int64(f.now.Sub(sh.arrivals[end]).Milliseconds())
	}
	if !sh.closed || end < len(sh.arrivals) {
		out.NextShardIterator = aws.String(id + "/" + strconv.Itoa(end))
	}
	return out, nil
}

// fakeDynamo serves ListTables, DescribeTable and Scan from tables held
// in memory, in pages of pageSize.
type fakeDynamo struct {
	keys     map[string]string // table → its hash key attribute
	items    map[string][]map[string]ddbtypes.AttributeValue
	pageSize int
	err      error // every call fails with it
}

func (f *fakeDynamo) ListTables(_ context.Context, in *dynamodb.ListTablesInput, _ ...func(*dynamodb.Options)) (*dynamodb.ListTablesOutput, error) {
	if f.err != nil {
		return nil, f.err
	}
	var names []string
	for n := range f.keys {
		names = append(names, n)
	}
	sort.Strings(names)
	start := 0
	if in.ExclusiveStartTableName != nil {
		for i, n := range names {
			if n == *in.ExclusiveStartTableName {
				start = i + 1
			}
		}
	}
	end := min(start+1, len(names)) // one per page: pagination is exercised
	out := &dynamodb.ListTablesOutput{TableNames: names[start:end]}
	if end < len(names) {
		out.LastEvaluatedTableName = aws.String(names[end-1])
	}
	return out, nil
}

// fakeCloudWatch answers GetMetricData with points and records the query.
type fakeCloudWatch struct {
	points map[time.Time]float64
	got    []*cloudwatch.GetMetricDataInput
	err    error // every call fails with it
}

// fakeLambda answers ListEventSourceMappings from pages per event
// source ARN; the marker is the page's index.
type fakeLambda struct {
	pages map[string][]*lambda.ListEventSourceMappingsOutput
	got   []*lambda.ListEventSourceMappingsInput
	err   error
}

func (f *fakeDynamo) DescribeTable(_ context.Context, in *dynamodb.DescribeTableInput, _ ...func(*dynamodb.Options)) (*dynamodb.DescribeTableOutput, error) {
	if f.err != nil {
		return nil, f.err
	}
	key := f.keys[aws.ToString(in.TableName)]
	return &dynamodb.DescribeTableOutput{Table: &ddbtypes.TableDescription{
		TableName: in.TableName,
		KeySchema: []ddbtypes.KeySchemaElement{{AttributeName: aws.String(key), KeyType: ddbtypes.KeyTypeHash}},
	}}, nil
}

func (f *fakeDynamo) Scan(_ context.Context, in *dynamodb.ScanInput, _ ...func(*dynamodb.Options)) (*dynamodb.ScanOutput, error) {
	if f.err != nil {
		return nil, f.err
	}
	items := f.items[aws.ToString(in.TableName)]
	start := 0
	if in.ExclusiveStartKey != nil {
		start, _ = strconv.Atoi(in.ExclusiveStartKey["page"].(*ddbtypes.AttributeValueMemberN).Value)
	}
	size := max(f.pageSize, 1)
	end := min(start+size, len(items))
	out := &dynamodb.ScanOutput{Items: items[start:end]}
	if end < len(items) {
		out.LastEvaluatedKey = map[string]ddbtypes.AttributeValue{"page": &ddbtypes.AttributeValueMemberN{Value: strconv.Itoa(end)}}
	}
	return out, nil
}

func (f *fakeCloudWatch) GetMetricData(_ context.Context, in *cloudwatch.GetMetricDataInput, _ ...func(*cloudwatch.Options)) (*cloudwatch.GetMetricDataOutput, error) {
	f.got = append(f.got, in)
	if f.err != nil {
		return nil, f.err
	}
	res := cwtypes.MetricDataResult{Id: aws.String("age")}
	for t, v := range f.points {
		res.Timestamps = append(res.Timestamps, t)
		res.Values = append(res.Values, v)
	}
	return &cloudwatch.GetMetricDataOutput{MetricDataResults: []cwtypes.MetricDataResult{res}}, nil
}

func (f *fakeLambda) ListEventSourceMappings(_ context.Context, in *lambda.ListEventSourceMappingsInput, _ ...func(*lambda.Options)) (*lambda.ListEventSourceMappingsOutput, error) {
	f.got = append(f.got, in)
	if f.err != nil {
		return nil, f.err
	}
	i := 0
	if in.Marker != nil {
		i, _ = strconv.Atoi(*in.Marker)
	}
	pages := f.pages[aws.ToString(in.EventSourceArn)]
	if i >= len(pages) {
		return &lambda.ListEventSourceMappingsOutput{}, nil
	}
	return pages[i], nil
}

// lease builds a lease item as the KCL 2.x writes it.
func lease(key, owner, checkpoint string, counter int, parents ...string) map[string]ddbtypes.AttributeValue {
	item := map[string]ddbtypes.AttributeValue{
		"leaseKey":                     &ddbtypes.AttributeValueMemberS{Value: key},
		"leaseCounter":                 &ddbtypes.AttributeValueMemberN{Value: strconv.Itoa(counter)},
		"ownerSwitchesSinceCheckpoint": &ddbtypes.AttributeValueMemberN{Value: "0"},
		"checkpoint":                   &ddbtypes.AttributeValueMemberS{Value: checkpoint},
		"checkpointSubSequenceNumber":  &ddbtypes.AttributeValueMemberN{Value: "0"},
	}
	if owner != "" {
		item["leaseOwner"] = &ddbtypes.AttributeValueMemberS{Value: owner}
	}
	if len(parents) > 0 {
		item["parentShardId"] = &ddbtypes.AttributeValueMemberSS{Value: parents}
	}
	return item
}
