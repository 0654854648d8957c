package local_test

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/kinesis"
	"github.com/aws/aws-sdk-go-v2/service/kinesis/types"
	"github.com/aws/smithy-go"
	"github.com/aws/smithy-go/middleware"
	smithyhttp "github.com/aws/smithy-go/transport/http"
	"go.uber.org/goleak"

	"github.com/kinspect/kinspect/kinesisx"
	"github.com/kinspect/kinspect/kinesisx/local"
	"github.com/kinspect/kinspect/kinesisx/local/localtest"
)

func TestMain(m *testing.M) {
	if serveForBench() {
		return
	}
	goleak.VerifyTestMain(m)
}

// quirks name where a backend differs from AWS. The suite follows AWS and
// skips (saying why) only the assertion a quirk makes impossible.
type quirks struct {
	NoStreamSummaries   bool // ListStreams returns no StreamSummaries (kinesis-mock)
	NoEFOChildShards    bool // EFO on a closed shard never sends ChildShards or ends (kinesis-mock)
	NoFutureAtTimestamp bool // AT_TIMESTAMP in the future is rejected (kinesis-mock)
	Accepts501Records   bool // PutRecords with 501 entries is accepted (kinesis-mock)
	NoH2C               bool // the endpoint cannot speak h2c
	NoInitialResponse   bool // EFO streams lack the initial-response event (kinesis-mock; kinesisx's client shims it)
	NoListStreamsPaging bool // ListStreams with Limit returns one page and no way to the rest (kinesis-mock)
	ShardFilterTimeAll  bool // ShardFilter AT_TRIM_HORIZON and AT_TIMESTAMP do not reliably select by time (kinesis-mock)
	SchemaAsInvalidArg  bool // schema violations give InvalidArgumentException, not ValidationException; record size excludes the key (kinesis-mock)
	LaxSplitKey         bool // SplitShard accepts NewStartingHashKey ≤ StartingHashKey+1 (kinesis-mock)
	BadIteratorIs500    bool // a malformed ShardIterator gives a 500 UnknownError (kinesis-mock)
	SecondSubscription  bool // a second subscription of an open consumer and shard is accepted (kinesis-mock)
}

// backend is an endpoint the conformance suite runs against.
type backend struct {
	name string
	// start returns the endpoint URL of a running server for the test (the
	// backend stops it in t.Cleanup).
	start  func(t *testing.T) string
	quirks quirks
	// clientOpts adjust the SDK clients the suite builds for the backend.
	clientOpts []func(*kinesis.Options)
}

// closeConnections marks every request "Connection: close": a backend that
// outlives the test (kinesis-mock) would otherwise keep idle keep-alive
// connections, and their goroutines, for 90 s and goleak would report them.
func closeConnections(o *kinesis.Options) {
	o.APIOptions = append(o.APIOptions, func(stack *middleware.Stack) error {
		return stack.Finalize.Add(middleware.FinalizeMiddlewareFunc("ConnectionClose",
			func(ctx context.Context, in middleware.FinalizeInput, next middleware.FinalizeHandler) (middleware.FinalizeOutput, middleware.Metadata, error) {
				if req, ok := in.Request.(*smithyhttp.Request); ok {
					req.Close = true
				}
				return next.HandleFinalize(ctx, in)
			}), middleware.After)
	})
}

// localBackend is the built-in endpoint with default options.
func localBackend() backend {
	return backend{name: "local", start: func(t *testing.T) string { return startLocal(t, local.Options{}) }}
}

// startLocal starts a local endpoint with opts and closes it at cleanup.
func startLocal(t *testing.T, opts local.Options) string {
	t.Helper()
	return localtest.URL(t, opts)
}

// startServer is startLocal that also returns the server.
func startServer(t *testing.T, opts local.Options) (*local.Server, string) {
	t.Helper()
	return localtest.Start(t, opts)
}

// newClient returns the real SDK client for url, as kinspect builds it.
func newClient(t *testing.T, url string, opts ...func(*kinesis.Options)) *kinesis.Client {
	t.Helper()
	o := kinesis.Options{
		Region:       "us-east-1",
		Credentials:  credentials.NewStaticCredentialsProvider("AKIDLOCAL", "secret", ""),
		BaseEndpoint: aws.String(url),
		HTTPClient:   kinesisx.NewHTTPClient(),
	}
	for _, f := range opts {
		f(&o)
	}
	return kinesis.New(o)
}

// noRetries makes errors surface at once.
func noRetries(o *kinesis.Options) { o.RetryMaxAttempts = 1 }

// h2cClient speaks HTTP/2 without TLS (prior knowledge) and nothing else.
func h2cClient(t *testing.T) func(*kinesis.Options) {
	var p http.Protocols
	p.SetUnencryptedHTTP2(true)
	tr := &http.Transport{Protocols: &p, DialContext: (&net.Dialer{}).DialContext}
	t.Cleanup(tr.CloseIdleConnections)
	return func(o *kinesis.Options) { o.HTTPClient = &http.Client{Transport: tr} }
}

var unsafeName = regexp.MustCompile(`[^a-zA-Z0-9_.-]+`)

// streamName returns a stream name unique to the test.
func streamName(t *testing.T) string {
	n := unsafeName.ReplaceAllString(t.Name(), "-")
	if len(n) > 100 {
		n = n[len(n)-100:]
	}
	return fmt.Sprintf("%s-%d", n, time.Now().UnixNano()%1_000_000_000)
}

func ctxT(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	t.Cleanup(cancel)
	return ctx
}

// createStream creates a provisioned stream and waits until it is ACTIVE.
func createStream(t *testing.T, k *kinesis.Client, shards int32) (name, arn string) {
	t.Helper()
	name = streamName(t)
	ctx := ctxT(t)
	if _, err := k.CreateStream(ctx, &kinesis.CreateStreamInput{StreamName: aws.String(name), ShardCount: aws.Int32(shards)}); err != nil {
		t.Fatalf("CreateStream: %v", err)
	}
	return name, waitActive(t, k, name)
}

// waitActive polls until the stream is ACTIVE and returns its ARN.
func waitActive(t *testing.T, k *kinesis.Client, name string) string {
	t.Helper()
	ctx := ctxT(t)
	for {
		out, err := k.DescribeStreamSummary(ctx, &kinesis.DescribeStreamSummaryInput{StreamName: aws.String(name)})
		if err != nil {
			t.Fatalf("DescribeStreamSummary: %v", err)
		}
		if out.StreamDescriptionSummary.StreamStatus == types.StreamStatusActive {
			return aws.ToString(out.StreamDescriptionSummary.StreamARN)
		}
		select {
		case <-ctx.Done():
			t.Fatalf("stream %s not ACTIVE in time", name)
		case <-time.After(20 * time.Millisecond):
		}
	}
}

// listShards lists every shard, paging with NextToken only.
func listShards(t *testing.T, k *kinesis.Client, name string) []types.Shard {
	t.Helper()
	var all []types.Shard
	in := &kinesis.ListShardsInput{StreamName: aws.String(name)}
	for {
		out, err := k.ListShards(ctxT(t), in)
		if err != nil {
			t.Fatalf("ListShards: %v", err)
		}
		all = append(all, out.Shards...)
		if out.NextToken == nil {
			return all
		}
		in = &kinesis.ListShardsInput{NextToken: out.NextToken}
	}
}

// errCode returns the API error code of err ("" if none).
func errCode(err error) string {
	var api smithy.APIError
	if errors.As(err, &api) {
		return api.ErrorCode()
	}
	return ""
}

// wantCode fails unless err is an API error with code.
func wantCode(t *testing.T, err error, code string) {
	t.Helper()
	if got := errCode(err); got != code {
		t.Fatalf("error = %v, want %s", err, code)
	}
}

// readAll reads a shard from TRIM_HORIZON until it is caught up (or ends)
// and returns its records and the last response.
func readAll(t *testing.T, k *kinesis.Client, name, shardID string) ([]types.Record, *kinesis.GetRecordsOutput) {
	t.Helper()
	ctx := ctxT(t)
	it, err := k.GetShardIterator(ctx, &kinesis.GetShardIteratorInput{StreamName: aws.String(name), ShardId: aws.String(shardID), ShardIteratorType: types.ShardIteratorTypeTrimHorizon})
	if err != nil {
		t.Fatalf("GetShardIterator: %v", err)
	}
	iter := it.ShardIterator
	var recs []types.Record
	for i := 0; i < 1000; i++ {
		out, err := k.GetRecords(ctx, &kinesis.GetRecordsInput{ShardIterator: iter})
		if err != nil {
			t.Fatalf("GetRecords: %v", err)
		}
		recs = append(recs, out.Records...)
		if out.NextShardIterator == nil || (len(out.Records) == 0 && aws.ToInt64(out.MillisBehindLatest) == 0) {
			return recs, out
		}
		iter = out.NextShardIterator
	}
	t.Fatalf("shard %s never caught up", shardID)
	return nil, nil
}

func shardIDs(shards []types.Shard) string {
	var ids []string
	for _, s := range shards {
		ids = append(ids, aws.ToString(s.ShardId))
	}
	return strings.Join(ids, ",")
}
