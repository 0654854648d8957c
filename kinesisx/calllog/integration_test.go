package calllog_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch"
	cwtypes "github.com/aws/aws-sdk-go-v2/service/cloudwatch/types"
	"github.com/aws/aws-sdk-go-v2/service/kinesis"

	"github.com/kinspect/kinspect/internal/testenv"
	"github.com/kinspect/kinspect/kinesisx"
	"github.com/kinspect/kinspect/kinesisx/calllog"
	"github.com/kinspect/kinspect/kinesisx/local"
	"github.com/kinspect/kinspect/kinesisx/local/localtest"
)

func startLocal(t *testing.T) string {
	t.Helper()
	return localtest.URL(t, local.Options{})
}

// Calls made through a real SDK client with the middleware land in the log
// with their operation, stream, shard, outcome and, for mutations, the
// command the confirmation prompts show.
func TestMiddlewareLogsRealCalls(t *testing.T) {
	url := startLocal(t)
	log := calllog.New(100)
	sdk := testenv.KinesisClient(t, url, func(o *kinesis.Options) {
		o.APIOptions = append(o.APIOptions, calllog.Middleware(log))
	})
	stream := testenv.StreamName(t)
	testenv.CreateStream(t, sdk, stream, 1)
	c := kinesisx.New(sdk)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()

	if _, err := c.Put(ctx, kinesisx.PutOptions{Stream: stream, Keys: kinesisx.KeyFixed, Key: "k'1", Count: 1}, kinesisx.Repeat([]byte("hi")), nil); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Put(ctx, kinesisx.PutOptions{Stream: stream, Keys: kinesisx.KeyRandom, Count: 3}, kinesisx.Repeat([]byte("x")), nil); err != nil {
		t.Fatal(err)
	}
	shards, err := c.ListShards(ctx, stream)
	if err != nil {
		t.Fatal(err)
	}
	at := kinesisx.MidpointKey(shards[0].HashRange)
	if err := c.Split(ctx, stream, shards[0].ID, at); err != nil {
		t.Fatal(err)
	}
	_, err = sdk.GetShardIterator(ctx, &kinesis.GetShardIteratorInput{StreamName: aws.String(stream), ShardId: aws.String("shardId-000000000042"), ShardIteratorType: "LATEST"})
	if err == nil {
		t.Fatal("iterator for a missing shard")
	}

	byOp := map[string]calllog.Entry{}
	for _, e := range log.Entries() {
		byOp[e.Operation] = e
		if e.Service != "Kinesis" || e.Time.IsZero() || e.Latency <= 0 || e.Attempts < 1 {
			t.Errorf("entry %+v", e)
		}
	}
	tests := []struct {
		op, stream, shard, outcome, command string
		mutation                            bool
	}{
		{op: "CreateStream", stream: stream, outcome: "ok", mutation: true},
		{op: "DescribeStreamSummary", stream: stream, outcome: "ok"},
		{op: "PutRecord", stream: stream, outcome: "ok", mutation: true,
			command: "aws kinesis put-record --stream-name " + stream + ` --partition-key 'k'\''1' --data aGk=`},
		{op: "PutRecords", stream: stream, outcome: "ok", mutation: true,
			command: "aws kinesis put-records --stream-name " + stream + " --records file://records.json  # 3 records"},
		{op: "SplitShard", stream: stream, shard: shards[0].ID, outcome: "ok", mutation: true,
			command: kinesisx.SplitCommand(stream, shards[0].ID, at)},
		{op: "GetShardIterator", stream: stream, shard: "shardId-000000000042", outcome: "ResourceNotFoundException"},
	}
	for _, tt := range tests {
		e, ok := byOp[tt.op]
		if !ok {
			t.Errorf("%s not logged", tt.op)
			continue
		}
		if e.Stream != tt.stream || e.Shard != tt.shard || e.Outcome != tt.outcome || e.Mutation != tt.mutation || e.Command != tt.command {
			t.Errorf("%s: got stream %q shard %q outcome %q mutation %v command %q\nwant %+v", tt.op, e.Stream, e.Shard, e.Outcome, e.Mutation, e.Command, tt)
		}
		if tt.outcome != "ok" && (e.OK() || e.Message == "") {
			t.Errorf("%s: failure without a message: %+v", tt.op, e)
		}
	}
}

// A CloudWatch call that fails on every attempt is logged once, as a
// failure, with the attempts of the SDK's retryer (3 for test clients).
func TestMiddlewareRetriesAndCloudWatch(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		w.WriteHeader(http.StatusServiceUnavailable)
	}))
	t.Cleanup(srv.Close)
	log := calllog.New(10)
	cw := testenv.CloudWatchClient(t, srv.URL, func(o *cloudwatch.Options) {
		o.APIOptions = append(o.APIOptions, calllog.Middleware(log))
	})
	ctx := context.Background()
	now := time.Now()
	_, err := cw.GetMetricData(ctx, &cloudwatch.GetMetricDataInput{
		StartTime: aws.Time(now.Add(-10 * time.Minute)), EndTime: aws.Time(now),
		MetricDataQueries: []cwtypes.MetricDataQuery{{Id: aws.String("q"), MetricStat: &cwtypes.MetricStat{
			Metric: &cwtypes.Metric{Namespace: aws.String("AWS/Kinesis"), MetricName: aws.String("IncomingBytes")},
			Period: aws.Int32(60), Stat: aws.String("Sum"),
		}}},
	})
	if err == nil {
		t.Fatal("GetMetricData succeeded against a failing server")
	}
	es := log.Entries()
	if len(es) != 1 || es[0].Service != "CloudWatch" || es[0].Operation != "GetMetricData" || es[0].OK() || es[0].Mutation || es[0].Attempts != 3 {
		t.Fatalf("entries %+v", es)
	}

	// A cancelled call is logged as such.
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	sdk := testenv.KinesisClient(t, startLocal(t), func(o *kinesis.Options) {
		o.APIOptions = append(o.APIOptions, calllog.Middleware(log))
	})
	if _, err := sdk.ListStreams(cctx, &kinesis.ListStreamsInput{}); err == nil {
		t.Fatal("cancelled call succeeded")
	}
	all := log.Entries()
	if last := all[len(all)-1]; last.Operation != "ListStreams" || last.Outcome != "Canceled" || last.Seq != 2 {
		t.Errorf("cancelled call logged as %+v", last)
	}
}
