package kinesisx_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kinesis"
	"github.com/aws/aws-sdk-go-v2/service/kinesis/types"

	"github.com/kinspect/kinspect/internal/testenv"
	"github.com/kinspect/kinspect/kinesisx"
	"github.com/kinspect/kinspect/kinesisx/hashkey"
	"github.com/kinspect/kinspect/kinesisx/local"
	"github.com/kinspect/kinspect/kinesisx/local/localtest"
)

// writeBackend is a server the write path is tested against.
type writeBackend struct {
	name string
	url  func(t *testing.T) string
}

// writeBackends are the built-in endpoint (always) and kinesis-mock (when
// installed; testenv skips with a message otherwise).
func writeBackends() []writeBackend {
	return []writeBackend{
		{"local", func(t *testing.T) string {
			return localtest.URL(t, local.Options{UpdateDelay: 50 * time.Millisecond, ConsumerDelay: 50 * time.Millisecond})
		}},
		{"kinesis-mock", func(t *testing.T) string { return testenv.KinesisMock(t) }},
	}
}

// readAll reads every record of a shard from the trim horizon.
func readAll(t *testing.T, sdk *kinesis.Client, stream, shard string) []types.Record {
	t.Helper()
	ctx := context.Background()
	it, err := sdk.GetShardIterator(ctx, &kinesis.GetShardIteratorInput{StreamName: aws.String(stream), ShardId: aws.String(shard), ShardIteratorType: types.ShardIteratorTypeTrimHorizon})
	if err != nil {
		t.Fatal(err)
	}
	var out []types.Record
	for iter := it.ShardIterator; iter != nil; {
		page, err := sdk.GetRecords(ctx, &kinesis.GetRecordsInput{ShardIterator: iter})
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, page.Records...)
		if len(page.Records) == 0 {
			break
		}
		iter = page.NextShardIterator
	}
	return out
}

func TestPutIntegration(t *testing.T) {
	for _, b := range writeBackends() {
		t.Run(b.name, func(t *testing.T) {
			sdk := testenv.KinesisClient(t, b.url(t))
			stream := testenv.StreamName(t)
			testenv.CreateStream(t, sdk, stream, 3)
			c := kinesisx.New(sdk)
			ctx := context.Background()
			shards, err := c.ListShards(ctx, stream)
			if err != nil {
				t.Fatal(err)
			}

			// Land on one shard, payloads from a template.
			tmpl, err := kinesisx.ParseTemplate(`{"n":{{seq}},"k":"{{key}}"}`)
			if err != nil {
				t.Fatal(err)
			}
			target := shards[1]
			res, err := c.Put(ctx, kinesisx.PutOptions{Stream: stream, Keys: kinesisx.KeyShard, ShardID: target.ID, Count: 600}, tmpl.Source(nil), nil)
			if err != nil || res.Sent != 600 || res.Shards[target.ID] != 600 {
				t.Fatalf("put to shard: %+v, %v", res, err)
			}
			// Exactly once: no fault is injected here, so every record
			// lands once (kinesisx.SafeRequestBody keeps net/http from
			// cutting the answer to a call that landed, which the SDK
			// would otherwise send again).
			recs := readAll(t, sdk, stream, target.ID)
			if len(recs) != 600 {
				t.Fatalf("read back %d records from %s, want 600", len(recs), target.ID)
			}
			for i, r := range recs {
				if want := fmt.Sprintf(`{"n":%d,"k":"%s"}`, i+1, aws.ToString(r.PartitionKey)); string(r.Data) != want {
					t.Fatalf("record %d: %s, want %s", i, r.Data, want)
				}
			}

			// A fixed key lands where its MD5 says; one record goes by PutRecord.
			want, _ := kinesisx.ShardForKey(shards, "user-42")
			res, err = c.Put(ctx, kinesisx.PutOptions{Stream: stream, Key: "user-42", Count: 1}, kinesisx.Repeat([]byte("one")), nil)
			if err != nil || res.Shards[want.ID] != 1 {
				t.Fatalf("fixed key: %+v, %v (want shard %s)", res, err, want.ID)
			}
			got := readAll(t, sdk, stream, want.ID)
			last := got[len(got)-1]
			if aws.ToString(last.PartitionKey) != "user-42" || string(last.Data) != "one" {
				t.Errorf("last record of %s: %+v", want.ID, last)
			}

			// An explicit hash key at the very top of the space lands on the last shard.
			res, err = c.Put(ctx, kinesisx.PutOptions{Stream: stream, Keys: kinesisx.KeyHash, HashKey: hashkey.Max.String(), Count: 5}, kinesisx.Repeat([]byte("top")), nil)
			if err != nil || res.Shards[shards[2].ID] != 5 {
				t.Fatalf("hash key: %+v, %v", res, err)
			}
		})
	}
}

// BenchmarkPutLocal measures Put against the built-in endpoint with limits
// off: random keys, 100-byte records, batches of 500, one sender.
// go test -run '^$' -bench PutLocal -benchtime 200000x ./kinesisx
func BenchmarkPutLocal(b *testing.B) {
	url := localtest.URL(b, local.Options{})
	sdk := testenv.KinesisClient(b, url)
	stream := testenv.StreamName(b)
	testenv.CreateStream(b, sdk, stream, 8)
	c := kinesisx.New(sdk)
	data := make([]byte, 100)
	b.ReportAllocs()
	b.ResetTimer()
	res, err := c.Put(context.Background(), kinesisx.PutOptions{Stream: stream, Keys: kinesisx.KeyRandom, Count: b.N}, kinesisx.Repeat(data), nil)
	b.StopTimer()
	if err != nil || res.Sent != b.N {
		b.Fatalf("%+v %v", res, err)
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "records/s")
}
