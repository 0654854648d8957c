package local_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/kinspect/kinspect/kinesisx/local"
)

// fuzzOps are the operations the fuzzer addresses by index, plus one
// unknown name.
var fuzzOps = []string{"CreateStream", "DeleteStream", "ListStreams", "DescribeStream", "DescribeStreamSummary",
	"ListShards", "PutRecord", "PutRecords", "GetShardIterator", "GetRecords", "SplitShard", "MergeShards",
	"UpdateShardCount", "RegisterStreamConsumer", "DescribeStreamConsumer", "ListStreamConsumers",
	"DeregisterStreamConsumer", "SubscribeToShard", "EnableEnhancedMonitoring", "DisableEnhancedMonitoring",
	"ListTagsForStream", "AddTagsToStream", "RemoveTagsFromStream", "IncreaseStreamRetentionPeriod",
	"DecreaseStreamRetentionPeriod", "NoSuchOperation"}

func serveOnce(h http.Handler, op string, body []byte) *httptest.ResponseRecorder {
	req := httptest.NewRequest(http.MethodPost, "/", bytes.NewReader(body))
	req.Header.Set("X-Amz-Target", "Kinesis_20131202."+op)
	req.Header.Set("Content-Type", "application/x-amz-json-1.1")
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

// FuzzRequest feeds arbitrary bodies to every operation: the endpoint
// must answer each with a well-formed response, never a recovered panic
// (an InternalFailure, since faults are off) and never hang.
func FuzzRequest(f *testing.F) {
	seeds := []struct {
		op   int
		body string
	}{
		{0, `{"StreamName":"f2","ShardCount":2}`},
		{6, `{"StreamName":"s","PartitionKey":"k","Data":"aGVsbG8="}`},
		{7, `{"StreamName":"s","Records":[{"PartitionKey":"k","Data":"eA==","ExplicitHashKey":"1"}]}`},
		{8, `{"StreamName":"s","ShardId":"shardId-000000000000","ShardIteratorType":"AT_TIMESTAMP","Timestamp":1.7e9}`},
		{9, `{"ShardIterator":"AQAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAHM","Limit":10}`},
		{10, `{"StreamName":"s","ShardToSplit":"shardId-000000000000","NewStartingHashKey":"99999999999999999999999"}`},
		{11, `{"StreamName":"s","ShardToMerge":"shardId-000000000000","AdjacentShardToMerge":"shardId-000000000001"}`},
		{12, `{"StreamName":"s","TargetShardCount":3,"ScalingType":"UNIFORM_SCALING"}`},
		{5, `{"StreamName":"s","ShardFilter":{"Type":"AT_TIMESTAMP","Timestamp":0}}`},
		{5, `{"NextToken":"e30"}`},
		{17, `{"ConsumerARN":"arn:aws:kinesis:us-east-1:000000000000:stream/s/consumer/c:0","ShardId":"shardId-000000000000","StartingPosition":{"Type":"LATEST"}}`},
		{21, `{"StreamName":"s","Tags":{"a":"b"}}`},
		{2, `{"Limit":-1}`},
		{6, `{"StreamName":["s"]}`},
		{25, `{}`},
	}
	for _, s := range seeds {
		f.Add(uint8(s.op), []byte(s.body))
	}
	srv := local.New(local.Options{SessionLifetime: 20 * time.Millisecond})
	defer srv.Close()
	h := srv.Handler()
	serveOnce(h, "CreateStream", []byte(`{"StreamName":"s","ShardCount":2}`))
	serveOnce(h, "RegisterStreamConsumer", []byte(`{"StreamARN":"arn:aws:kinesis:us-east-1:000000000000:stream/s","ConsumerName":"c"}`))
	f.Fuzz(func(t *testing.T, op uint8, body []byte) {
		name := fuzzOps[int(op)%len(fuzzOps)]
		rec := serveOnce(h, name, body)
		if rec.Code == http.StatusOK {
			return
		}
		var e struct {
			Type    string `json:"__type"`
			Message string `json:"message"`
		}
		if err := json.Unmarshal(rec.Body.Bytes(), &e); err != nil || e.Type == "" {
			t.Fatalf("%s %q: status %d with a body that is not an AWS error: %q", name, body, rec.Code, rec.Body.String())
		}
		if rec.Code >= 500 {
			t.Fatalf("%s %q: %d %s: %s", name, body, rec.Code, e.Type, e.Message)
		}
	})
}
