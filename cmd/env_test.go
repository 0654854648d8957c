package cmd

import (
	"bytes"
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kinesis"
	"github.com/aws/aws-sdk-go-v2/service/kinesis/types"

	"github.com/kinspect/kinspect/internal/testenv"
	"github.com/kinspect/kinspect/kinesisx/local"
	"github.com/kinspect/kinspect/kinesisx/local/localtest"
)

// writeEnv is the built-in endpoint with an SDK client to set up streams
// and read results back, for the write commands' tests.
type writeEnv struct {
	t   *testing.T
	srv *local.Server
	url string
	sdk *kinesis.Client
}

func newWriteEnv(t *testing.T, opts local.Options) *writeEnv {
	t.Helper()
	srv, url := localtest.Start(t, opts)
	return &writeEnv{t: t, srv: srv, url: url, sdk: testenv.KinesisClient(t, url)}
}

// stream creates a stream of n shards and returns its name.
func (e *writeEnv) stream(n int) string {
	name := testenv.StreamName(e.t)
	testenv.CreateStream(e.t, e.sdk, name, n)
	return name
}

// cmdRun is the outcome of one command line.
type cmdRun struct {
	code           int
	stdout, stderr string
}

// run executes one command line over buffers, as Execute does: stdin is
// in, terminal says whether it counts as a terminal.
func (e *writeEnv) run(in string, terminal bool, args ...string) cmdRun {
	e.t.Helper()
	var out, errb bytes.Buffer
	f := newFactory(Stdio{In: strings.NewReader(in), Out: &out, Err: &errb})
	f.IsTerminal = func() bool { return terminal }
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	code := execute(ctx, f, append([]string{"--endpoint-url", e.url, "--region", "us-east-1"}, args...))
	return cmdRun{code: code, stdout: out.String(), stderr: errb.String()}
}

// shards lists the stream's shards through the SDK.
func (e *writeEnv) shards(stream string) []types.Shard {
	e.t.Helper()
	out, err := e.sdk.ListShards(context.Background(), &kinesis.ListShardsInput{StreamName: aws.String(stream)})
	if err != nil {
		e.t.Fatal(err)
	}
	return out.Shards
}

// openIDs returns the IDs of the open shards, sorted.
func openShardIDs(shards []types.Shard) []string {
	var ids []string
	for _, s := range shards {
		if s.SequenceNumberRange.EndingSequenceNumber == nil {
			ids = append(ids, aws.ToString(s.ShardId))
		}
	}
	slices.Sort(ids)
	return ids
}

// readShard reads every record of one shard from the start.
func (e *writeEnv) readShard(stream, shard string) []types.Record {
	e.t.Helper()
	ctx := context.Background()
	it, err := e.sdk.GetShardIterator(ctx, &kinesis.GetShardIteratorInput{
		StreamName: aws.String(stream), ShardId: aws.String(shard), ShardIteratorType: types.ShardIteratorTypeTrimHorizon,
	})
	if err != nil {
		e.t.Fatal(err)
	}
	var recs []types.Record
	iter := it.ShardIterator
	for iter != nil {
		out, err := e.sdk.GetRecords(ctx, &kinesis.GetRecordsInput{ShardIterator: iter})
		if err != nil {
			e.t.Fatal(err)
		}
		recs = append(recs, out.Records...)
		if len(out.Records) == 0 && aws.ToInt64(out.MillisBehindLatest) == 0 {
			break
		}
		iter = out.NextShardIterator
	}
	return recs
}

// wantExit checks a run's exit code and that stderr holds want.
func wantExit(t *testing.T, r cmdRun, code int, want string) {
	t.Helper()
	if r.code != code || !strings.Contains(r.stderr, want) {
		t.Errorf("exit %d, want %d with %q\nstdout: %s\nstderr: %s", r.code, code, want, r.stdout, r.stderr)
	}
}
