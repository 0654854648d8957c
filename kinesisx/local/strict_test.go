package local_test

import (
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kinesis"

	"github.com/kinspect/kinspect/kinesisx/local"
)

// rawError posts body to op and returns the HTTP status, the error type and
// its message (empty on success) and the body.
func rawError(t *testing.T, url, op, body string) (status int, code, msg string, raw []byte) {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-amz-json-1.1")
	req.Header.Set("X-Amz-Target", "Kinesis_20131202."+op)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("raw %s: %v", op, err)
	}
	defer resp.Body.Close()
	raw, _ = io.ReadAll(resp.Body)
	var e struct {
		Type    string `json:"__type"`
		Message string `json:"message"`
	}
	if resp.StatusCode != 200 {
		_ = json.Unmarshal(raw, &e)
	}
	return resp.StatusCode, e.Type, e.Message, raw
}

// TestStrictJSONTypes sends members of the wrong JSON type, which AWS
// refuses with a SerializationException whatever the operation.
func TestStrictJSONTypes(t *testing.T) {
	url := startLocal(t, local.Options{})
	t.Cleanup(http.DefaultClient.CloseIdleConnections)
	k := newClient(t, url)
	name, arn := createStream(t, k, 1)
	it, err := k.GetShardIterator(ctxT(t), &kinesis.GetShardIteratorInput{StreamName: aws.String(name), ShardId: aws.String("shardId-000000000000"), ShardIteratorType: "TRIM_HORIZON"})
	if err != nil {
		t.Fatal(err)
	}
	iter := aws.ToString(it.ShardIterator)
	sn := `"StreamName":"` + name + `"`
	cases := []struct{ name, op, body string }{
		{"blob as array", "PutRecord", `{` + sn + `,"PartitionKey":"k","Data":[1,2]}`},
		{"blob as empty array", "PutRecord", `{` + sn + `,"PartitionKey":"k","Data":[]}`},
		{"blob as number", "PutRecord", `{` + sn + `,"PartitionKey":"k","Data":12}`},
		{"entry blob as array", "PutRecords", `{` + sn + `,"Records":[{"PartitionKey":"k","Data":[1,2]}]}`},
		{"string as array", "PutRecord", `{` + sn + `,"PartitionKey":["k"],"Data":"eA=="}`},
		{"string as bool", "PutRecord", `{` + sn + `,"PartitionKey":"k","Data":"eA==","ExplicitHashKey":true}`},
		{"integer as string", "GetRecords", `{"ShardIterator":"` + iter + `","Limit":"5"}`},
		{"integer with a fraction", "GetRecords", `{"ShardIterator":"` + iter + `","Limit":1.5}`},
		{"integer beyond 32 bits", "GetRecords", `{"ShardIterator":"` + iter + `","Limit":4294967297}`},
		{"integer as bool", "CreateStream", `{"StreamName":"x-` + name + `","ShardCount":true}`},
		{"list as string", "EnableEnhancedMonitoring", `{` + sn + `,"ShardLevelMetrics":"ALL"}`},
		{"map value as number", "AddTagsToStream", `{` + sn + `,"Tags":{"a":1}}`},
		{"timestamp as string", "ListShards", `{` + sn + `,"ShardFilter":{"Type":"AT_TIMESTAMP","Timestamp":"yesterday"}}`},
		{"structure as string", "SubscribeToShard", `{"ConsumerARN":"` + arn + `/consumer/c:1","ShardId":"shardId-000000000000","StartingPosition":"LATEST"}`},
		{"boolean as string", "DeleteStream", `{` + sn + `,"EnforceConsumerDeletion":"yes"}`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			status, code, msg, raw := rawError(t, url, tc.op, tc.body)
			if status != 400 || code != "SerializationException" {
				t.Errorf("%s %s: got %d %s %q, want 400 SerializationException", tc.op, tc.body, status, code, raw)
			} else if msg == "" {
				t.Errorf("no message in %s", raw)
			}
		})
	}
	recs, _ := readAll(t, k, name, "shardId-000000000000")
	if len(recs) != 0 {
		t.Errorf("the refused puts stored %d records", len(recs))
	}
}

// TestExceptionTypes checks the exceptions AWS gives for bad arguments: the
// model's constraints (a ValidationException in AWS's words, the same on
// every operation) and the operations' own checks (InvalidArgumentException).
func TestExceptionTypes(t *testing.T) {
	url := startLocal(t, local.Options{})
	t.Cleanup(http.DefaultClient.CloseIdleConnections)
	k := newClient(t, url)
	name, arn := createStream(t, k, 2)
	other, _ := createStream(t, k, 1)
	it, err := k.GetShardIterator(ctxT(t), &kinesis.GetShardIteratorInput{StreamName: aws.String(name), ShardId: aws.String("shardId-000000000000"), ShardIteratorType: "TRIM_HORIZON"})
	if err != nil {
		t.Fatal(err)
	}
	iter := aws.ToString(it.ShardIterator)
	sn := `"StreamName":"` + name + `"`
	big := base64.StdEncoding.EncodeToString(make([]byte, 1<<20))   // 1 MiB and a key: over the default
	huge := base64.StdEncoding.EncodeToString(make([]byte, 10<<20)) // over any stream's maximum
	negative := func(field string) string {
		return "1 validation error detected: Value '-1' at '" + field + "' failed to satisfy constraint: Member must have value greater than or equal to 1"
	}
	cases := []struct{ name, op, body, code, msg string }{
		{"missing ShardIterator", "GetRecords", `{}`, "ValidationException", "Value null at 'shardIterator' failed to satisfy constraint: Member must not be null"},
		{"merge without adjacent", "MergeShards", `{` + sn + `,"ShardToMerge":"shardId-000000000000"}`, "ValidationException", "Value null at 'adjacentShardToMerge' failed to satisfy constraint: Member must not be null"},
		{"hash key 2^128", "PutRecord", `{` + sn + `,"PartitionKey":"k","Data":"eA==","ExplicitHashKey":"340282366920938463463374607431768211456"}`, "InvalidArgumentException", "ExplicitHashKey must be in the range: [0, 2^128-1]"},
		{"entry hash key 2^128", "PutRecords", `{` + sn + `,"Records":[{"PartitionKey":"k","Data":"eA==","ExplicitHashKey":"340282366920938463463374607431768211456"}]}`, "InvalidArgumentException", "ExplicitHashKey must be in the range: [0, 2^128-1]"},
		{"record over the stream's size", "PutRecord", `{` + sn + `,"PartitionKey":"k","Data":"` + big + `"}`, "ValidationException", "Value at 'data' failed to satisfy constraint"},
		{"entry over the stream's size", "PutRecords", `{` + sn + `,"Records":[{"PartitionKey":"k","Data":"eA=="},{"PartitionKey":"k","Data":"` + big + `"}]}`, "ValidationException", "Value at 'records.2.member.data' failed to satisfy constraint"},
		{"record over 10 MiB", "PutRecord", `{` + sn + `,"PartitionKey":"k","Data":"` + huge + `"}`, "ValidationException", "Value at 'data' failed to satisfy constraint"},
		{"ordering not digits", "PutRecord", `{` + sn + `,"PartitionKey":"k","Data":"eA==","SequenceNumberForOrdering":"abc"}`, "ValidationException", "at 'sequenceNumberForOrdering' failed to satisfy constraint: Member must satisfy regular expression pattern"},
		{"iterator of another stream", "GetRecords", `{"ShardIterator":"` + iter + `","StreamARN":"arn:aws:kinesis:us-east-1:000000000000:stream/` + other + `"}`, "InvalidArgumentException", other},
		{"GetRecords Limit -1", "GetRecords", `{"ShardIterator":"` + iter + `","Limit":-1}`, "ValidationException", negative("limit")},
		{"ListShards MaxResults -1", "ListShards", `{` + sn + `,"MaxResults":-1}`, "ValidationException", negative("maxResults")},
		{"ListStreams Limit -1", "ListStreams", `{"Limit":-1}`, "ValidationException", negative("limit")},
		{"DescribeStream Limit -1", "DescribeStream", `{` + sn + `,"Limit":-1}`, "ValidationException", negative("limit")},
		{"ListStreamConsumers MaxResults -1", "ListStreamConsumers", `{"StreamARN":"` + arn + `","MaxResults":-1}`, "ValidationException", negative("maxResults")},
		{"ListTagsForStream Limit -1", "ListTagsForStream", `{` + sn + `,"Limit":-1}`, "ValidationException", negative("limit")},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			status, code, msg, raw := rawError(t, url, tc.op, tc.body)
			if status != 400 || code != tc.code || !strings.Contains(msg, tc.msg) {
				body := tc.body
				if len(body) > 200 {
					body = body[:200] + "…"
				}
				t.Errorf("%s %s:\n got %d %s\n want 400 %s with %q", tc.op, body, status, raw, tc.code, tc.msg)
			}
		})
	}
	// The iterator's own stream, named by ARN, is fine.
	if status, _, _, raw := rawError(t, url, "GetRecords", `{"ShardIterator":"`+iter+`","StreamARN":"`+arn+`"}`); status != 200 {
		t.Errorf("GetRecords with the iterator's own StreamARN: %d %s", status, raw)
	}
}

// TestAtTimestampInTheFuture checks that an AT_TIMESTAMP iterator past the
// newest record reads nothing until records arrive at or after its time,
// even for a timestamp beyond what the endpoint's clock can hold.
func TestAtTimestampInTheFuture(t *testing.T) {
	clock := newFakeClock()
	url := startLocal(t, local.Options{Now: clock.Now, IteratorTTL: 24 * time.Hour})
	t.Cleanup(http.DefaultClient.CloseIdleConnections)
	k := newClient(t, url)
	name, _ := createStream(t, k, 1)
	put(t, k, name, "before")
	iterAt := func(ts string) *string {
		t.Helper()
		status, _, _, raw := rawError(t, url, "GetShardIterator", `{"StreamName":"`+name+`","ShardId":"shardId-000000000000","ShardIteratorType":"AT_TIMESTAMP","Timestamp":`+ts+`}`)
		var out struct{ ShardIterator string }
		if status != 200 || json.Unmarshal(raw, &out) != nil {
			t.Fatalf("GetShardIterator AT_TIMESTAMP %s: %d %s", ts, status, raw)
		}
		return &out.ShardIterator
	}
	read := func(it *string) []string {
		t.Helper()
		out, err := k.GetRecords(ctxT(t), &kinesis.GetRecordsInput{ShardIterator: it})
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, r := range out.Records {
			got = append(got, string(r.Data))
		}
		return got
	}
	huge := iterAt("1e18")
	inAnHour := iterAt(strconv.FormatInt(clock.Now().Add(time.Hour).Unix(), 10))
	if got := read(huge); len(got) != 0 {
		t.Errorf("AT_TIMESTAMP 1e18 read %q, want nothing", got)
	}
	if got := read(inAnHour); len(got) != 0 {
		t.Errorf("AT_TIMESTAMP in an hour read %q before then, want nothing", got)
	}
	put(t, k, name, "soon")
	clock.Advance(2 * time.Hour)
	put(t, k, name, "later")
	if got := read(huge); len(got) != 0 {
		t.Errorf("AT_TIMESTAMP 1e18 read %q, want nothing", got)
	}
	if got := read(inAnHour); strings.Join(got, ",") != "later" {
		t.Errorf("AT_TIMESTAMP in an hour read %q, want only the record put after that hour", got)
	}
}
