package kinesisx_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/protocol/eventstream"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/service/kinesis"
	"github.com/aws/aws-sdk-go-v2/service/kinesis/types"

	"github.com/kinspect/kinspect/internal/testenv"
	"github.com/kinspect/kinspect/kinesisx"
)

const eventStreamType = "application/vnd.amazon.eventstream"

// frame encodes one event-stream message with the SDK's own encoder.
func frame(t *testing.T, eventType string, payload []byte) []byte {
	t.Helper()
	var m eventstream.Message
	m.Headers.Set(":message-type", eventstream.StringValue("event"))
	m.Headers.Set(":event-type", eventstream.StringValue(eventType))
	m.Headers.Set(":content-type", eventstream.StringValue("application/x-amz-json-1.1"))
	m.Payload = payload
	var b bytes.Buffer
	if err := eventstream.NewEncoder().Encode(&b, m); err != nil {
		t.Fatalf("encode %s frame: %v", eventType, err)
	}
	return b.Bytes()
}

// shardEvent encodes a SubscribeToShardEvent frame carrying one record per
// entry of data, with sequence numbers first, first+1, ...
func shardEvent(t *testing.T, first int, data ...string) []byte {
	t.Helper()
	type record struct {
		Data                        []byte
		PartitionKey                string
		SequenceNumber              string
		ApproximateArrivalTimestamp float64
	}
	ev := struct {
		Records                    []record
		ContinuationSequenceNumber string
		MillisBehindLatest         int64
	}{Records: []record{}}
	for i, d := range data {
		ev.Records = append(ev.Records, record{
			Data: []byte(d), PartitionKey: "k", SequenceNumber: fmt.Sprint(first + i),
			ApproximateArrivalTimestamp: 1.7e9,
		})
	}
	ev.ContinuationSequenceNumber = fmt.Sprint(first + len(data) - 1)
	payload, err := json.Marshal(ev)
	if err != nil {
		t.Fatal(err)
	}
	return frame(t, "SubscribeToShardEvent", payload)
}

// serve starts an httptest server that answers every request with status,
// contentType and body, flushing after the headers.
func serve(t *testing.T, status int, contentType string, body []byte) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		w.Header().Set("Content-Type", contentType)
		w.WriteHeader(status)
		_, _ = w.Write(body)
	}))
	t.Cleanup(srv.Close)
	return srv
}

// get sends a plain request through kinesisx.NewHTTPClient and returns the
// body it hands on.
func get(t *testing.T, url string) []byte {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), http.MethodPost, url, strings.NewReader("{}"))
	if err != nil {
		t.Fatal(err)
	}
	req.Close = true
	resp, err := kinesisx.NewHTTPClient().Do(req)
	if err != nil {
		t.Fatalf("Do: %v", err)
	}
	defer resp.Body.Close()
	got, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("read body: %v", err)
	}
	return got
}

func TestHTTPClientBodyBytes(t *testing.T) {
	initial := frame(t, "initial-response", []byte("{}"))
	events := slices.Concat(shardEvent(t, 1, "a"), shardEvent(t, 2, "b"))
	tests := []struct {
		name         string
		status       int
		contentType  string
		body         []byte
		wantInserted bool // a synthetic initial-response comes first
	}{
		{name: "event stream without initial-response gets one", status: 200, contentType: eventStreamType, body: events, wantInserted: true},
		{name: "event stream with initial-response is unchanged", status: 200, contentType: eventStreamType, body: slices.Concat(initial, events)},
		{name: "JSON response is unchanged", status: 200, contentType: "application/x-amz-json-1.1", body: []byte(`{"StreamNames":[]}`)},
		{name: "error status is unchanged", status: 400, contentType: eventStreamType, body: events},
		{name: "truncated first frame is unchanged", status: 200, contentType: eventStreamType, body: events[:10]},
		{name: "empty event stream is unchanged", status: 200, contentType: eventStreamType, body: nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := get(t, serve(t, tt.status, tt.contentType, tt.body).URL)
			if !tt.wantInserted {
				if !bytes.Equal(got, tt.body) {
					t.Errorf("body changed:\n got %q\nwant %q", got, tt.body)
				}
				return
			}
			msg, err := eventstream.NewDecoder().Decode(bytes.NewReader(got), nil)
			if err != nil {
				t.Fatalf("first frame does not decode: %v", err)
			}
			if v := msg.Headers.Get(":event-type"); v == nil || v.String() != "initial-response" {
				t.Errorf("first frame :event-type = %v, want initial-response", v)
			}
			if v := msg.Headers.Get(":message-type"); v == nil || v.String() != "event" {
				t.Errorf("first frame :message-type = %v, want event", v)
			}
			var enc bytes.Buffer
			if err := eventstream.NewEncoder().Encode(&enc, msg); err != nil {
				t.Fatal(err)
			}
			if rest := got[enc.Len():]; !bytes.Equal(rest, tt.body) {
				t.Errorf("after the inserted frame:\n got %q\nwant the server's bytes %q", rest, tt.body)
			}
		})
	}
}

// subscribeAll subscribes through c and returns the data of every record
// until the stream ends, or the first n records when n > 0.
func subscribeAll(ctx context.Context, c *kinesis.Client, consumerARN, shardID string, n int) ([]string, error) {
	out, err := c.SubscribeToShard(ctx, &kinesis.SubscribeToShardInput{
		ConsumerARN:      aws.String(consumerARN),
		ShardId:          aws.String(shardID),
		StartingPosition: &types.StartingPosition{Type: types.ShardIteratorTypeTrimHorizon},
	})
	if err != nil {
		return nil, err
	}
	stream := out.GetStream()
	defer stream.Close()
	var got []string
	for ev := range stream.Events() {
		e, ok := ev.(*types.SubscribeToShardEventStreamMemberSubscribeToShardEvent)
		if !ok {
			return got, fmt.Errorf("unexpected event %T", ev)
		}
		for _, r := range e.Value.Records {
			got = append(got, string(r.Data))
		}
		if n > 0 && len(got) >= n {
			return got, nil
		}
	}
	return got, stream.Err()
}

func TestHTTPClientSubscribeToShardThroughSDK(t *testing.T) {
	initial := frame(t, "initial-response", []byte("{}"))
	events := slices.Concat(shardEvent(t, 1, "r1", "r2"), shardEvent(t, 3), shardEvent(t, 4, "r3"))
	tests := []struct {
		name string
		body []byte
	}{
		{"server omits initial-response (kinesis-mock)", events},
		{"server sends initial-response (AWS)", slices.Concat(initial, events)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := serve(t, 200, eventStreamType, tt.body)
			c := testenv.KinesisClient(t, srv.URL)
			ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
			defer cancel()
			got, err := subscribeAll(ctx, c, "arn:aws:kinesis:us-east-1:000000000000:stream/s/consumer/c:1", "shardId-000000000000", 0)
			if err != nil {
				t.Fatalf("SubscribeToShard: %v", err)
			}
			if want := []string{"r1", "r2", "r3"}; !slices.Equal(got, want) {
				t.Errorf("records = %q, want %q (each once, in order)", got, want)
			}
		})
	}
}

// TestHTTPClientAgainstKinesisMock documents kinesis-mock's missing
// initial-response: the SDK refuses its event stream unless the shim of
// kinesisx.NewHTTPClient inserts one.
func TestHTTPClientAgainstKinesisMock(t *testing.T) {
	url := testenv.KinesisMock(t)
	c := testenv.KinesisClient(t, url)
	ctx, cancel := context.WithTimeout(t.Context(), 60*time.Second)
	defer cancel()
	stream := testenv.StreamName(t)
	testenv.CreateStream(t, c, stream, 1)
	want := []string{"one", "two", "three", "four", "five"}
	entries := make([]types.PutRecordsRequestEntry, len(want))
	for i, d := range want {
		entries[i] = types.PutRecordsRequestEntry{Data: []byte(d), PartitionKey: aws.String(fmt.Sprint("k", i))}
	}
	put, err := c.PutRecords(ctx, &kinesis.PutRecordsInput{StreamName: aws.String(stream), Records: entries})
	if err != nil || aws.ToInt32(put.FailedRecordCount) != 0 {
		t.Fatalf("PutRecords: %v (failed %d)", err, aws.ToInt32(put.FailedRecordCount))
	}
	shards, err := c.ListShards(ctx, &kinesis.ListShardsInput{StreamName: aws.String(stream)})
	if err != nil || len(shards.Shards) != 1 {
		t.Fatalf("ListShards: %v, %d shards", err, len(shards.Shards))
	}
	shardID := aws.ToString(shards.Shards[0].ShardId)

	t.Run("with the shim the records arrive", func(t *testing.T) {
		arn := testenv.RegisterConsumer(t, c, stream, "kt-shim")
		got, err := subscribeAll(ctx, c, arn, shardID, len(want))
		if err != nil {
			t.Fatalf("SubscribeToShard through kinesisx.NewHTTPClient: %v", err)
		}
		if !slices.Equal(got, want) {
			t.Errorf("records = %q, want %q", got, want)
		}
	})
	t.Run("without the shim the SDK refuses the stream", func(t *testing.T) {
		arn := testenv.RegisterConsumer(t, c, stream, "kt-plain")
		plain := testenv.KinesisClient(t, url, func(o *kinesis.Options) { o.HTTPClient = awshttp.NewBuildableClient() })
		got, err := subscribeAll(ctx, plain, arn, shardID, len(want))
		if err == nil || !strings.Contains(err.Error(), "expected initial-response") {
			t.Fatalf("plain client: records %q, error %v; want \"expected initial-response\" "+
				"(if kinesis-mock now sends initial-response, update KINESIS.md §7)", got, err)
		}
	})
}
