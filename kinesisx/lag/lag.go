package lag

import (
	"context"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/cloudwatch"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/kinesis"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
)

// The SDK methods the package calls, with the SDK's exact signatures: the
// SDK clients satisfy them and unit tests fake them.
type (
	kinesisAPI interface {
		GetShardIterator(ctx context.Context, in *kinesis.GetShardIteratorInput, optFns ...func(*kinesis.Options)) (*kinesis.GetShardIteratorOutput, error)
		GetRecords(ctx context.Context, in *kinesis.GetRecordsInput, optFns ...func(*kinesis.Options)) (*kinesis.GetRecordsOutput, error)
	}
	dynamoAPI interface {
		ListTables(ctx context.Context, in *dynamodb.ListTablesInput, optFns ...func(*dynamodb.Options)) (*dynamodb.ListTablesOutput, error)
		DescribeTable(ctx context.Context, in *dynamodb.DescribeTableInput, optFns ...func(*dynamodb.Options)) (*dynamodb.DescribeTableOutput, error)
		Scan(ctx context.Context, in *dynamodb.ScanInput, optFns ...func(*dynamodb.Options)) (*dynamodb.ScanOutput, error)
	}
	lambdaAPI interface {
		ListEventSourceMappings(ctx context.Context, in *lambda.ListEventSourceMappingsInput, optFns ...func(*lambda.Options)) (*lambda.ListEventSourceMappingsOutput, error)
	}
	cloudwatchAPI interface {
		GetMetricData(ctx context.Context, in *cloudwatch.GetMetricDataInput, optFns ...func(*cloudwatch.Options)) (*cloudwatch.GetMetricDataOutput, error)
	}
)

// Kind is the kind of a consuming application.
type Kind string

// The kinds of application.
const (
	KindKCL    Kind = "kcl"
	KindLambda Kind = "lambda"
)

// State is a shard's state for one application.
type State string

// The shard states.
const (
	StateOK              State = "ok"
	StateNoLease         State = "no-lease"          // the shard has no lease: nobody will read it
	StateNoOwner         State = "no-owner"          // a lease nobody holds: nobody reads it now
	StateBlockedByParent State = "blocked-by-parent" // waits for a parent to reach SHARD_END
	StateEnded           State = "ended"             // checkpointed at SHARD_END
)

// Report is the lag of every application of one stream.
type Report struct {
	Stream       string
	StreamARN    string
	Retention    time.Duration
	Applications []Application
}

// Application is one consumer: a KCL lease table or a Lambda mapping.
type Application struct {
	Name string
	Kind Kind

	// KCL.
	Table       string
	MultiStream bool
	Shards      []ShardLag     // in shard ID order
	Workers     map[string]int // unfinished leases held per worker
	Warnings    []string       // e.g. a worker holding far more leases than the others

	// Lambda.
	Function             string // the function's ARN, as the mapping names it
	UUID                 string
	EventSourceARN       string // the stream's, or an EFO consumer's
	MappingState         string // Enabled, Disabled, Creating, ...
	BatchSize            int32
	StartingPosition     string
	LastProcessingResult string
	// IteratorAgeMs is the newest 1-minute Maximum of AWS/Lambda
	// IteratorAge for the function; nil when CloudWatch has none.
	IteratorAgeMs *float64
}

// ShardLag is one shard of one KCL application.
type ShardLag struct {
	ShardID       string
	Open          bool
	Listed        bool // the stream still lists the shard (false: past retention)
	Leased        bool // the application has a lease for it
	Checkpoint    string
	Owner         string
	LeaseCounter  int64
	OwnerSwitches int64
	Parents       []string
	State         State
	// MillisBehindLatest is GetRecords' MillisBehindLatest one record
	// after the checkpoint; nil where it was not measured.
	MillisBehindLatest *int64
	// BehindRecords counts the records after the checkpoint when one more
	// GetRecords reached the tip; nil otherwise.
	BehindRecords *int64
	// CheckpointAge is the age of the first record after the checkpoint
	// (now − its arrival): the clock the retention runs against. Zero when
	// nothing is unread.
	CheckpointAge time.Duration
	// Note says what a sentinel checkpoint means, or why lag is missing.
	Note string
}

// RetentionLeft is how long until the oldest unread record of the shard is
// trimmed: retention − the age of the checkpoint position.
func (s ShardLag) RetentionLeft(retention time.Duration) time.Duration {
	return retention - s.CheckpointAge
}

// Reader reads lease tables and mappings. Build it with New.
type Reader struct {
	kinesis     kinesisAPI
	dynamo      dynamoAPI
	lambda      lambdaAPI
	cw          cloudwatchAPI
	now         func() time.Time
	concurrency int
}

// Option configures a Reader.
type Option func(*Reader)

// WithClock sets the clock (default time.Now).
func WithClock(now func() time.Time) Option { return func(r *Reader) { r.now = now } }

// WithConcurrency bounds the shards measured at once (default 8).
func WithConcurrency(n int) Option {
	return func(r *Reader) { r.concurrency = max(n, 1) }
}

// New returns a Reader over SDK clients. Pass nil for a service kinspect
// cannot reach; reading from it then fails with ErrUnavailable.
func New(k *kinesis.Client, d *dynamodb.Client, l *lambda.Client, cw *cloudwatch.Client, opts ...Option) *Reader {
	r := &Reader{kinesis: k}
	// Interfaces hold no typed nil pointers: a nil client stays a nil interface.
	if d != nil {
		r.dynamo = d
	}
	if l != nil {
		r.lambda = l
	}
	if cw != nil {
		r.cw = cw
	}
	return r.apply(opts)
}

func (r *Reader) apply(opts []Option) *Reader {
	r.now, r.concurrency = time.Now, 8
	for _, o := range opts {
		o(r)
	}
	return r
}

// newReader builds a Reader over fakes (tests); nil interfaces stay nil.
func newReader(k kinesisAPI, d dynamoAPI, l lambdaAPI, cw cloudwatchAPI, opts ...Option) *Reader {
	r := &Reader{kinesis: k, dynamo: d, lambda: l, cw: cw}
	return r.apply(opts)
}
