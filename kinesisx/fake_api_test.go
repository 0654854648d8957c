package kinesisx

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/service/kinesis"
)

// fakeAPI implements kinesisAPI with one function field per SDK method; a
// method whose field is unset fails with errNotFaked, so a test states every
// call it expects. Fields are set before use; a test that calls from several
// goroutines guards its own state.
type fakeAPI struct {
	ListStreamsFn               func(ctx context.Context, in *kinesis.ListStreamsInput) (*kinesis.ListStreamsOutput, error)
	DescribeStreamSummaryFn     func(ctx context.Context, in *kinesis.DescribeStreamSummaryInput) (*kinesis.DescribeStreamSummaryOutput, error)
	ListShardsFn                func(ctx context.Context, in *kinesis.ListShardsInput) (*kinesis.ListShardsOutput, error)
	GetShardIteratorFn          func(ctx context.Context, in *kinesis.GetShardIteratorInput) (*kinesis.GetShardIteratorOutput, error)
	GetRecordsFn                func(ctx context.Context, in *kinesis.GetRecordsInput) (*kinesis.GetRecordsOutput, error)
	SubscribeToShardFn          func(ctx context.Context, in *kinesis.SubscribeToShardInput) (*kinesis.SubscribeToShardOutput, error)
	PutRecordFn                 func(ctx context.Context, in *kinesis.PutRecordInput) (*kinesis.PutRecordOutput, error)
	PutRecordsFn                func(ctx context.Context, in *kinesis.PutRecordsInput) (*kinesis.PutRecordsOutput, error)
	SplitShardFn                func(ctx context.Context, in *kinesis.SplitShardInput) (*kinesis.SplitShardOutput, error)
	MergeShardsFn               func(ctx context.Context, in *kinesis.MergeShardsInput) (*kinesis.MergeShardsOutput, error)
	UpdateShardCountFn          func(ctx context.Context, in *kinesis.UpdateShardCountInput) (*kinesis.UpdateShardCountOutput, error)
	RegisterStreamConsumerFn    func(ctx context.Context, in *kinesis.RegisterStreamConsumerInput) (*kinesis.RegisterStreamConsumerOutput, error)
	DescribeStreamConsumerFn    func(ctx context.Context, in *kinesis.DescribeStreamConsumerInput) (*kinesis.DescribeStreamConsumerOutput, error)
	ListStreamConsumersFn       func(ctx context.Context, in *kinesis.ListStreamConsumersInput) (*kinesis.ListStreamConsumersOutput, error)
	DeregisterStreamConsumerFn  func(ctx context.Context, in *kinesis.DeregisterStreamConsumerInput) (*kinesis.DeregisterStreamConsumerOutput, error)
	EnableEnhancedMonitoringFn  func(ctx context.Context, in *kinesis.EnableEnhancedMonitoringInput) (*kinesis.EnableEnhancedMonitoringOutput, error)
	DisableEnhancedMonitoringFn func(ctx context.Context, in *kinesis.DisableEnhancedMonitoringInput) (*kinesis.DisableEnhancedMonitoringOutput, error)
}

var _ kinesisAPI = (*fakeAPI)(nil)

// errNotFaked is what a method of fakeAPI returns when its field is unset.
type errNotFaked string

func (e errNotFaked) Error() string {
	return fmt.Sprintf("fakeAPI: %s not faked in this test", string(e))
}

// ListStreams calls ListStreamsFn.
func (f *fakeAPI) ListStreams(ctx context.Context, in *kinesis.ListStreamsInput, _ ...func(*kinesis.Options)) (*kinesis.ListStreamsOutput, error) {
	if f.ListStreamsFn == nil {
		return nil, errNotFaked("ListStreams")
	}
	return f.ListStreamsFn(ctx, in)
}

// DescribeStreamSummary calls DescribeStreamSummaryFn.
func (f *fakeAPI) DescribeStreamSummary(ctx context.Context, in *kinesis.DescribeStreamSummaryInput, _ ...func(*kinesis.Options)) (*kinesis.DescribeStreamSummaryOutput, error) {
	if f.DescribeStreamSummaryFn == nil {
		return nil, errNotFaked("DescribeStreamSummary")
	}
	return f.DescribeStreamSummaryFn(ctx, in)
}

// ListShards calls ListShardsFn.
func (f *fakeAPI) ListShards(ctx context.Context, in *kinesis.ListShardsInput, _ ...func(*kinesis.Options)) (*kinesis.ListShardsOutput, error) {
	if f.ListShardsFn == nil {
		return nil, errNotFaked("ListShards")
	}
	return f.ListShardsFn(ctx, in)
}

// GetShardIterator calls GetShardIteratorFn.
func (f *fakeAPI) GetShardIterator(ctx context.Context, in *kinesis.GetShardIteratorInput, _ ...func(*kinesis.Options)) (*kinesis.GetShardIteratorOutput, error) {
	if f.GetShardIteratorFn == nil {
		return nil, errNotFaked("GetShardIterator")
	}
	return f.GetShardIteratorFn(ctx, in)
}

// GetRecords calls GetRecordsFn.
func (f *fakeAPI) GetRecords(ctx context.Context, in *kinesis.GetRecordsInput, _ ...func(*kinesis.Options)) (*kinesis.GetRecordsOutput, error) {
	if f.GetRecordsFn == nil {
		return nil, errNotFaked("GetRecords")
	}
	return f.GetRecordsFn(ctx, in)
}

// SubscribeToShard calls SubscribeToShardFn.
func (f *fakeAPI) SubscribeToShard(ctx context.Context, in *kinesis.SubscribeToShardInput, _ ...func(*kinesis.Options)) (*kinesis.SubscribeToShardOutput, error) {
	if f.SubscribeToShardFn == nil {
		return nil, errNotFaked("SubscribeToShard")
	}
	return f.SubscribeToShardFn(ctx, in)
}

// PutRecord calls PutRecordFn.
func (f *fakeAPI) PutRecord(ctx context.Context, in *kinesis.PutRecordInput, _ ...func(*kinesis.Options)) (*kinesis.PutRecordOutput, error) {
	if f.PutRecordFn == nil {
		return nil, errNotFaked("PutRecord")
	}
	return f.PutRecordFn(ctx, in)
}

// PutRecords calls PutRecordsFn.
func (f *fakeAPI) PutRecords(ctx context.Context, in *kinesis.PutRecordsInput, _ ...func(*kinesis.Options)) (*kinesis.PutRecordsOutput, error) {
	if f.PutRecordsFn == nil {
		return nil, errNotFaked("PutRecords")
	}
	return f.PutRecordsFn(ctx, in)
}

// SplitShard calls SplitShardFn.
func (f *fakeAPI) SplitShard(ctx context.Context, in *kinesis.SplitShardInput, _ ...func(*kinesis.Options)) (*kinesis.SplitShardOutput, error) {
	if f.SplitShardFn == nil {
		return nil, errNotFaked("SplitShard")
	}
	return f.SplitShardFn(ctx, in)
}

// MergeShards calls MergeShardsFn.
func (f *fakeAPI) MergeShards(ctx context.Context, in *kinesis.MergeShardsInput, _ ...func(*kinesis.Options)) (*kinesis.MergeShardsOutput, error) {
	if f.MergeShardsFn == nil {
		return nil, errNotFaked("MergeShards")
	}
	return f.MergeShardsFn(ctx, in)
}

// UpdateShardCount calls UpdateShardCountFn.
func (f *fakeAPI) UpdateShardCount(ctx context.Context, in *kinesis.UpdateShardCountInput, _ ...func(*kinesis.Options)) (*kinesis.UpdateShardCountOutput, error) {
	if f.UpdateShardCountFn == nil {
		return nil, errNotFaked("UpdateShardCount")
	}
	return f.UpdateShardCountFn(ctx, in)
}

// RegisterStreamConsumer calls RegisterStreamConsumerFn.
func (f *fakeAPI) RegisterStreamConsumer(ctx context.Context, in *kinesis.RegisterStreamConsumerInput, _ ...func(*kinesis.Options)) (*kinesis.RegisterStreamConsumerOutput, error) {
	if f.RegisterStreamConsumerFn == nil {
		return nil, errNotFaked("RegisterStreamConsumer")
	}
	return f.RegisterStreamConsumerFn(ctx, in)
}

// DescribeStreamConsumer calls DescribeStreamConsumerFn.
func (f *fakeAPI) DescribeStreamConsumer(ctx context.Context, in *kinesis.DescribeStreamConsumerInput, _ ...func(*kinesis.Options)) (*kinesis.DescribeStreamConsumerOutput, error) {
	if f.DescribeStreamConsumerFn == nil {
		return nil, errNotFaked("DescribeStreamConsumer")
	}
	return f.DescribeStreamConsumerFn(ctx, in)
}

// ListStreamConsumers calls ListStreamConsumersFn.
func (f *fakeAPI) ListStreamConsumers(ctx context.Context, in *kinesis.ListStreamConsumersInput, _ ...func(*kinesis.Options)) (*kinesis.ListStreamConsumersOutput, error) {
	if f.ListStreamConsumersFn == nil {
		return nil, errNotFaked("ListStreamConsumers")
	}
	return f.ListStreamConsumersFn(ctx, in)
}

// DeregisterStreamConsumer calls DeregisterStreamConsumerFn.
func (f *fakeAPI) DeregisterStreamConsumer(ctx context.Context, in *kinesis.DeregisterStreamConsumerInput, _ ...func(*kinesis.Options)) (*kinesis.DeregisterStreamConsumerOutput, error) {
	if f.DeregisterStreamConsumerFn == nil {
		return nil, errNotFaked("DeregisterStreamConsumer")
	}
	return f.DeregisterStreamConsumerFn(ctx, in)
}

// EnableEnhancedMonitoring calls EnableEnhancedMonitoringFn.
func (f *fakeAPI) EnableEnhancedMonitoring(ctx context.Context, in *kinesis.EnableEnhancedMonitoringInput, _ ...func(*kinesis.Options)) (*kinesis.EnableEnhancedMonitoringOutput, error) {
	if f.EnableEnhancedMonitoringFn == nil {
		return nil, errNotFaked("EnableEnhancedMonitoring")
	}
	return f.EnableEnhancedMonitoringFn(ctx, in)
}

// DisableEnhancedMonitoring calls DisableEnhancedMonitoringFn.
func (f *fakeAPI) DisableEnhancedMonitoring(ctx context.Context, in *kinesis.DisableEnhancedMonitoringInput, _ ...func(*kinesis.Options)) (*kinesis.DisableEnhancedMonitoringOutput, error) {
	if f.DisableEnhancedMonitoringFn == nil {
		return nil, errNotFaked("DisableEnhancedMonitoring")
	}
	return f.DisableEnhancedMonitoringFn(ctx, in)
}
