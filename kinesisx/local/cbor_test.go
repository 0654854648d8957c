package local_test

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws/protocol/eventstream"
	"github.com/aws/smithy-go/encoding/cbor"

	"github.com/kinspect/kinspect/kinesisx/local"
)

const cborContentType = "application/x-amz-cbor-1.1"

// cborClient speaks Kinesis over CBOR as the AWS SDK for Java does: the
// JSON 1.1 target header, a CBOR map body, blobs as byte strings and
// timestamps as tag 1 epoch milliseconds.
type cborClient struct {
	t   *testing.T
	url string
	hc  *http.Client
}

func newCBORClient(t *testing.T, url string) *cborClient {
	tr := &http.Transport{}
	t.Cleanup(tr.CloseIdleConnections)
	return &cborClient{t: t, url: url, hc: &http.Client{Transport: tr}}
}

// post sends a raw body for op and returns the response (the caller closes
// its body).
func (c *cborClient) post(ctx context.Context, op string, body []byte) *http.Response {
	c.t.Helper()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.url, bytes.NewReader(body))
	if err != nil {
		c.t.Fatal(err)
	}
	req.Header.Set("Content-Type", cborContentType)
	req.Header.Set("X-Amz-Target", "Kinesis_20131202."+op)
	resp, err := c.hc.Do(req)
	if err != nil {
		c.t.Fatalf("%s: %v", op, err)
	}
	return resp
}

// callRaw sends body for op and returns the status and the decoded CBOR
// answer, which must say it is CBOR.
func (c *cborClient) callRaw(op string, body []byte) (int, cbor.Map) {
	c.t.Helper()
	resp := c.post(ctxT(c.t), op, body)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		c.t.Fatalf("%s: read answer: %v", op, err)
	}
	if ct := resp.Header.Get("Content-Type"); ct != cborContentType {
		c.t.Fatalf("%s: Content-Type %q, want %q (body %q)", op, ct, cborContentType, b)
	}
	v, err := cbor.Decode(b)
	if err != nil {
		c.t.Fatalf("%s: answer is not CBOR: %v (%x)", op, err, b)
	}
	m, ok := v.(cbor.Map)
	if !ok {
		c.t.Fatalf("%s: answer is a %T, want a map", op, v)
	}
	return resp.StatusCode, m
}

// call sends in for op and fails the test unless it succeeds.
func (c *cborClient) call(op string, in cbor.Map) cbor.Map {
	c.t.Helper()
	status, out := c.callRaw(op, cbor.Encode(in))
	if status != http.StatusOK {
		c.t.Fatalf("%s: status %d: %v", op, status, out)
	}
	return out
}

// wantError sends in for op and checks AWS's error, in CBOR.
func (c *cborClient) wantError(op string, body []byte, code string) {
	c.t.Helper()
	status, out := c.callRaw(op, body)
	if status != http.StatusBadRequest || str(out["__type"]) != code || str(out["message"]) == "" {
		c.t.Fatalf("%s: status %d, body %v; want 400 %s with a message", op, status, out, code)
	}
}

func str(v cbor.Value) string {
	s, _ := v.(cbor.String)
	return string(s)
}

// millis reads a timestamp as the Java SDK does: tag 1 around an integer
// of epoch milliseconds.
func millis(t *testing.T, v cbor.Value) int64 {
	t.Helper()
	tag, ok := v.(*cbor.Tag)
	if !ok || tag.ID != 1 {
		t.Fatalf("timestamp %#v: want CBOR tag 1", v)
	}
	n, ok := tag.Value.(cbor.Uint)
	if !ok {
		t.Fatalf("timestamp %#v: want an integer of epoch milliseconds", tag.Value)
	}
	return int64(n)
}

func stamp(ms int64) cbor.Value { return &cbor.Tag{ID: 1, Value: cbor.Uint(uint64(ms))} }

// records returns the Records of a GetRecords or SubscribeToShardEvent
// answer as data, arrival times and partition keys, checking their types.
func records(t *testing.T, out cbor.Map) (data [][]byte, arrivals []int64, keys []string) {
	t.Helper()
	list, ok := out["Records"].(cbor.List)
	if !ok {
		t.Fatalf("Records: %#v, want a list", out["Records"])
	}
	for _, r := range list {
		m := r.(cbor.Map)
		d, ok := m["Data"].(cbor.Slice)
		if !ok {
			t.Fatalf("Data: %#v, want a CBOR byte string", m["Data"])
		}
		data = append(data, d)
		arrivals = append(arrivals, millis(t, m["ApproximateArrivalTimestamp"]))
		keys = append(keys, str(m["PartitionKey"]))
	}
	return data, arrivals, keys
}

// TestCBORClient drives the endpoint as the Java SDK's default protocol
// does: it creates a stream, puts records, reads them back by position and
// by time, gets AWS's errors in CBOR, and subscribes to the shard.
func TestCBORClient(t *testing.T) {
	clock := &fakeClock{t: time.UnixMilli(1_700_000_000_123)}
	c := newCBORClient(t, startLocal(t, local.Options{Now: clock.Now}))
	name := streamName(t)
	created := clock.Now().UnixMilli()
	c.call("CreateStream", cbor.Map{"StreamName": cbor.String(name), "ShardCount": cbor.Uint(1)})
	sum := c.call("DescribeStreamSummary", cbor.Map{"StreamName": cbor.String(name)})["StreamDescriptionSummary"].(cbor.Map)
	if got := millis(t, sum["StreamCreationTimestamp"]); got != created {
		t.Errorf("StreamCreationTimestamp %d ms, want %d", got, created)
	}
	if n, ok := sum["OpenShardCount"].(cbor.Uint); !ok || n != 1 {
		t.Errorf("OpenShardCount %#v, want the integer 1", sum["OpenShardCount"])
	}
	arn := str(sum["StreamARN"])

	// Every byte value, so base64 or UTF-8 handling anywhere would show.
	first := make([]byte, 256)
	for i := range first {
		first[i] = byte(i)
	}
	put := c.call("PutRecord", cbor.Map{"StreamName": cbor.String(name), "PartitionKey": cbor.String("k"), "Data": cbor.Slice(first)})
	if str(put["ShardId"]) != "shardId-000000000000" || str(put["SequenceNumber"]) == "" {
		t.Fatalf("PutRecord answer %v", put)
	}
	clock.Advance(7 * time.Millisecond)
	later := clock.Now().UnixMilli()
	batch := [][]byte{{0}, {0xff, 0xfe, 0}, []byte("third")}
	const batchKey = `k<&>"é` // characters JSON escapes
	entries := cbor.List{}
	for _, d := range batch {
		entries = append(entries, cbor.Map{"Data": cbor.Slice(d), "PartitionKey": cbor.String(batchKey)})
	}
	puts := c.call("PutRecords", cbor.Map{"StreamARN": cbor.String(arn), "Records": entries})
	if n, ok := puts["FailedRecordCount"].(cbor.Uint); !ok || n != 0 {
		t.Fatalf("PutRecords FailedRecordCount %#v, want 0 (%v)", puts["FailedRecordCount"], puts)
	}

	read := func(pos cbor.Map) ([][]byte, []int64, []string) {
		t.Helper()
		pos["StreamName"] = cbor.String(name)
		pos["ShardId"] = cbor.String("shardId-000000000000")
		it := c.call("GetShardIterator", pos)
		out := c.call("GetRecords", cbor.Map{"ShardIterator": it["ShardIterator"]})
		if _, ok := out["MillisBehindLatest"].(cbor.Uint); !ok {
			t.Errorf("MillisBehindLatest %#v, want an integer", out["MillisBehindLatest"])
		}
		return records(t, out)
	}
	want := append([][]byte{first}, batch...)
	data, arrivals, keys := read(cbor.Map{"ShardIteratorType": cbor.String("TRIM_HORIZON")})
	if len(data) != len(want) {
		t.Fatalf("GetRecords: %d records, want %d", len(data), len(want))
	}
	for i := range want {
		if !bytes.Equal(data[i], want[i]) {
			t.Errorf("record %d: data %x, want %x", i, data[i], want[i])
		}
		wantAt, wantKey := later, batchKey
		if i == 0 {
			wantAt, wantKey = created, "k"
		}
		if keys[i] != wantKey {
			t.Errorf("record %d: PartitionKey %q, want %q", i, keys[i], wantKey)
		}
		if arrivals[i] != wantAt {
			t.Errorf("record %d: ApproximateArrivalTimestamp %d ms, want %d", i, arrivals[i], wantAt)
		}
	}
	// The request's Timestamp is epoch milliseconds too: one millisecond
	// after the first record leaves it out.
	data, _, _ = read(cbor.Map{"ShardIteratorType": cbor.String("AT_TIMESTAMP"), "Timestamp": stamp(created + 1)})
	if len(data) != len(batch) {
		t.Errorf("AT_TIMESTAMP first+1ms: %d records, want the %d of the batch", len(data), len(batch))
	}

	c.wantError("DescribeStreamSummary", cbor.Encode(cbor.Map{"StreamName": cbor.String("no-such-stream")}), "ResourceNotFoundException")
	c.wantError("PutRecord", cbor.Encode(cbor.Map{"StreamName": cbor.String(name), "PartitionKey": cbor.String(""), "Data": cbor.Slice("x")}), "ValidationException")
	c.wantError("PutRecord", []byte{0xbf, 0x61}, "SerializationException")
	c.wantError("ListStreams", cbor.Encode(cbor.Map{"Limit": cbor.Slice("x")}), "SerializationException")

	reg := c.call("RegisterStreamConsumer", cbor.Map{"StreamARN": cbor.String(arn), "ConsumerName": cbor.String("c1")})
	consumer := reg["Consumer"].(cbor.Map)
	if got := millis(t, consumer["ConsumerCreationTimestamp"]); got != later {
		t.Errorf("ConsumerCreationTimestamp %d ms, want %d", got, later)
	}
	consumerARN := str(consumer["ConsumerARN"])
	data = subscribeCBOR(t, c, consumerARN, len(want), func() {
		c.call("DeregisterStreamConsumer", cbor.Map{"ConsumerARN": cbor.String(consumerARN)})
	}, "ResourceNotFoundException")
	for i := range want {
		if !bytes.Equal(data[i], want[i]) {
			t.Errorf("event record %d: data %x, want %x", i, data[i], want[i])
		}
	}
}

// subscribeCBOR subscribes from the trim horizon over CBOR and returns the
// data of the first n records the events carry, checking that the
// initial-response and every event payload is CBOR. Then it calls end and
// reads on until the stream's exception, which must be code, in CBOR.
func subscribeCBOR(t *testing.T, c *cborClient, consumerARN string, n int, end func(), code string) [][]byte {
	t.Helper()
	ctx, cancel := context.WithCancel(ctxT(t))
	defer cancel()
	resp := c.post(ctx, "SubscribeToShard", cbor.Encode(cbor.Map{
		"ConsumerARN":      cbor.String(consumerARN),
		"ShardId":          cbor.String("shardId-000000000000"),
		"StartingPosition": cbor.Map{"Type": cbor.String("TRIM_HORIZON")},
	}))
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		b, _ := io.ReadAll(resp.Body)
		t.Fatalf("SubscribeToShard: status %d: %x", resp.StatusCode, b)
	}
	dec := eventstream.NewDecoder()
	var data [][]byte
	for i := 0; ; i++ {
		msg, err := dec.Decode(resp.Body, nil)
		if err != nil {
			t.Fatalf("SubscribeToShard: event %d: %v", i, err)
		}
		if ct := msg.Headers.Get(":content-type"); ct == nil || ct.String() != cborContentType {
			t.Fatalf("event %d: :content-type %v, want %s", i, ct, cborContentType)
		}
		v, err := cbor.Decode(msg.Payload)
		if err != nil {
			t.Fatalf("event %d: payload is not CBOR: %v", i, err)
		}
		if kind := msg.Headers.Get(":message-type").String(); kind == "exception" {
			typ := msg.Headers.Get(":exception-type").String()
			if len(data) < n || typ != code || str(v.(cbor.Map)["message"]) == "" {
				t.Fatalf("event %d: exception %s %v after %d records, want %s with a message after %d", i, typ, v, len(data), code, n)
			}
			return data
		}
		typ := msg.Headers.Get(":event-type").String()
		if i == 0 {
			if typ != "initial-response" {
				t.Fatalf("first event %q, want initial-response", typ)
			}
			continue
		}
		if typ != "SubscribeToShardEvent" {
			t.Fatalf("event %d: %q (%v), want SubscribeToShardEvent", i, typ, v)
		}
		ev := v.(cbor.Map)
		if str(ev["ContinuationSequenceNumber"]) == "" {
			t.Errorf("event %d: no ContinuationSequenceNumber: %v", i, ev)
		}
		d, _, _ := records(t, ev)
		if len(data) < n && len(data)+len(d) >= n {
			end()
		}
		data = append(data, d...)
	}
}
