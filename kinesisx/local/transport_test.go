package local_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kinesis"
	"github.com/aws/aws-sdk-go-v2/service/kinesis/types"

	"github.com/kinspect/kinspect/kinesisx/local"
)

// rawCall posts body to the endpoint with target and returns the status
// and the decoded error type.
func rawCall(t *testing.T, url, target string, body io.Reader) (int, string) {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, url, body)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-amz-json-1.1")
	if target != "" {
		req.Header.Set("X-Amz-Target", target)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("raw call: %v", err)
	}
	defer resp.Body.Close()
	var e struct {
		Type    string `json:"__type"`
		Message string `json:"message"`
	}
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 {
		if err := json.Unmarshal(b, &e); err != nil || e.Message == "" {
			t.Errorf("error body %q is not AWS-shaped", b)
		}
	}
	return resp.StatusCode, e.Type
}

func TestMalformedRequests(t *testing.T) {
	url := startLocal(t, local.Options{})
	t.Cleanup(http.DefaultClient.CloseIdleConnections)
	k := newClient(t, url)
	name, _ := createStream(t, k, 1)
	big := bytes.Repeat([]byte("a"), 17<<20)
	cases := []struct {
		name, target, body string
		reader             io.Reader
		status             int
		code               string
	}{
		{"bad JSON", "Kinesis_20131202.PutRecord", `{"StreamName":`, nil, 400, "SerializationException"},
		{"wrong type", "Kinesis_20131202.PutRecord", `{"StreamName":5,"PartitionKey":"k","Data":"eA=="}`, nil, 400, "SerializationException"},
		{"bad base64", "Kinesis_20131202.PutRecord", `{"StreamName":"` + name + `","PartitionKey":"k","Data":"***"}`, nil, 400, "SerializationException"},
		{"array body", "Kinesis_20131202.ListStreams", `[1,2,3]`, nil, 400, "SerializationException"},
		{"missing key", "Kinesis_20131202.PutRecord", `{"StreamName":"` + name + `","Data":"eA=="}`, nil, 400, "ValidationException"},
		{"bad stream name", "Kinesis_20131202.DescribeStreamSummary", `{"StreamName":"no spaces allowed"}`, nil, 400, "ValidationException"},
		{"unknown target", "Kinesis_20131202.Explode", `{}`, nil, 400, "UnknownOperationException"},
		{"no target", "", `{}`, nil, 400, "UnknownOperationException"},
		{"other service", "DynamoDB_20120810.ListTables", `{}`, nil, 400, "UnknownOperationException"},
		{"huge body", "Kinesis_20131202.PutRecords", "", bytes.NewReader(big), 400, "ValidationException"},
		{"garbage iterator", "Kinesis_20131202.GetRecords", `{"ShardIterator":"\u0000\uffff"}`, nil, 400, "InvalidArgumentException"},
		{"null records", "Kinesis_20131202.PutRecords", `{"StreamName":"` + name + `","Records":null}`, nil, 400, "ValidationException"},
		{"empty body", "Kinesis_20131202.ListStreams", ``, nil, 200, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := tc.reader
			if r == nil {
				r = strings.NewReader(tc.body)
			}
			status, code := rawCall(t, url, tc.target, r)
			if status != tc.status || code != tc.code {
				t.Errorf("got %d %s, want %d %s", status, code, tc.status, tc.code)
			}
		})
	}
	// Still serving.
	if _, err := k.ListStreams(ctxT(t), &kinesis.ListStreamsInput{}); err != nil {
		t.Errorf("ListStreams after hostile requests: %v", err)
	}
}

func TestH2CIsHTTP2(t *testing.T) {
	url := startLocal(t, local.Options{})
	var p http.Protocols
	p.SetUnencryptedHTTP2(true)
	tr := &http.Transport{Protocols: &p}
	defer tr.CloseIdleConnections()
	req, _ := http.NewRequest(http.MethodPost, url, strings.NewReader(`{}`))
	req.Header.Set("X-Amz-Target", "Kinesis_20131202.ListStreams")
	resp, err := (&http.Client{Transport: tr}).Do(req)
	if err != nil {
		t.Fatalf("h2c request: %v", err)
	}
	defer resp.Body.Close()
	if resp.ProtoMajor != 2 || resp.StatusCode != 200 {
		t.Errorf("proto %s status %d, want HTTP/2 200", resp.Proto, resp.StatusCode)
	}
}

func TestFaultsOnEachDataPlaneCall(t *testing.T) {
	setup := func(t *testing.T, spec string) (*kinesis.Client, string, string) {
		f, err := local.ParseFaults(spec)
		if err != nil {
			t.Fatal(err)
		}
		k := newClient(t, startLocal(t, local.Options{Faults: f}), noRetries, h2cClient(t))
		name, arn := createStream(t, k, 1)
		return k, name, registerConsumer(t, k, arn, "c")
	}
	t.Run("throttle", func(t *testing.T) {
		k, name, consumer := setup(t, "throttle=1")
		out, err := k.PutRecords(ctxT(t), &kinesis.PutRecordsInput{StreamName: aws.String(name), Records: []types.PutRecordsRequestEntry{{PartitionKey: aws.String("k"), Data: []byte("x")}}})
		if err != nil || aws.ToInt32(out.FailedRecordCount) != 1 || aws.ToString(out.Records[0].ErrorCode) != "ProvisionedThroughputExceededException" {
			t.Errorf("PutRecords: %v, %+v", err, out)
		}
		_, err = k.GetRecords(ctxT(t), &kinesis.GetRecordsInput{ShardIterator: aws.String("x")})
		wantCode(t, err, "ProvisionedThroughputExceededException")
		_, err = k.SubscribeToShard(ctxT(t), &kinesis.SubscribeToShardInput{ConsumerARN: aws.String(consumer), ShardId: aws.String("shardId-000000000000"), StartingPosition: &types.StartingPosition{Type: types.ShardIteratorTypeLatest}}, ownCodec)
		wantCode(t, err, "LimitExceededException")
	})
	t.Run("internal", func(t *testing.T) {
		k, name, _ := setup(t, "internal=1")
		_, err := k.PutRecord(ctxT(t), &kinesis.PutRecordInput{StreamName: aws.String(name), PartitionKey: aws.String("k"), Data: []byte("x")})
		wantCode(t, err, "InternalFailure")
		if _, err := k.DescribeStreamSummary(ctxT(t), &kinesis.DescribeStreamSummaryInput{StreamName: aws.String(name)}); err != nil {
			t.Errorf("control plane faulted: %v", err)
		}
	})
	t.Run("reset", func(t *testing.T) {
		k, _, consumer := setup(t, "reset=1")
		data, events, err := efoReadOnce(t, k, consumer, "shardId-000000000000", types.StartingPosition{Type: types.ShardIteratorTypeLatest}, func([]string, []types.SubscribeToShardEvent) bool { return false })
		if err == nil || len(events) > 1 {
			t.Errorf("EFO under reset: %d events, %d records, err %v; want the stream aborted after its first event", len(events), len(data), err)
		}
	})
}

func TestHandleSharesThePort(t *testing.T) {
	srv, url := startServer(t, local.Options{})
	// New mounts CloudWatch under /service/GraniteServiceVersion20100801/;
	// another prefix shares the port beside it.
	srv.Handle("/other/", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain")
		_, _ = io.WriteString(w, "other protocol")
	}))
	resp, err := http.Post(url+"/other/thing", "text/plain", strings.NewReader(""))
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	http.DefaultClient.CloseIdleConnections()
	if string(b) != "other protocol" {
		t.Errorf("routed body %q", b)
	}
	k := newClient(t, url)
	if _, err := k.ListStreams(ctxT(t), &kinesis.ListStreamsInput{}); err != nil {
		t.Errorf("Kinesis beside the extra route: %v", err)
	}
}

// A new server answers CloudWatch's GetMetricData on its own port; a
// malformed body gets a CBOR error, not the Kinesis protocol's JSON.
func TestServesCloudWatchByDefault(t *testing.T) {
	_, url := startServer(t, local.Options{})
	resp, err := http.Post(url+"/service/GraniteServiceVersion20100801/operation/GetMetricData", "application/cbor", strings.NewReader(""))
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	http.DefaultClient.CloseIdleConnections()
	if resp.StatusCode != http.StatusBadRequest || !strings.Contains(string(b), "SerializationException") {
		t.Fatalf("status %d, body %q", resp.StatusCode, b)
	}
}
