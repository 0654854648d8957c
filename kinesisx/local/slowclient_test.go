package local_test

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kinesis"
	"github.com/aws/aws-sdk-go-v2/service/kinesis/types"

	"github.com/kinspect/kinspect/kinesisx/local"
)

// trickle writes body to w one byte every 10 ms until it is all written or
// a write fails, and counts the bytes written.
func trickle(w io.Writer, body string, sent *atomic.Int64) error {
	tick := time.NewTicker(10 * time.Millisecond)
	defer tick.Stop()
	for i := range len(body) {
		<-tick.C
		if _, err := w.Write([]byte{body[i]}); err != nil {
			return err
		}
		sent.Add(1)
	}
	return nil
}

// slowBody is a ListStreams body of 300 bytes: 3 s at trickle's pace.
var slowBody = "{" + strings.Repeat(" ", 298) + "}"

// dialRaw opens a TCP connection to the endpoint at url, closed at the
// end of the test; its reads fail after a minute, a safety net only.
func dialRaw(t *testing.T, url string) net.Conn {
	t.Helper()
	conn, err := net.Dial("tcp", strings.TrimPrefix(url, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	_ = conn.SetReadDeadline(time.Now().Add(time.Minute))
	return conn
}

// An HTTP/1.1 request body that trickles in is answered with an error once
// the body read timeout passes, and its connection is closed, long before
// the body could have arrived.
func TestTricklingBodyIsCut(t *testing.T) {
	url := startLocal(t, local.Options{BodyReadTimeout: 200 * time.Millisecond})
	conn := dialRaw(t, url)
	fmt.Fprintf(conn, "POST / HTTP/1.1\r\nHost: %s\r\nX-Amz-Target: Kinesis_20131202.ListStreams\r\nContent-Type: application/x-amz-json-1.1\r\nContent-Length: %d\r\n\r\n",
		strings.TrimPrefix(url, "http://"), len(slowBody))
	var sent atomic.Int64
	done := make(chan error, 1)
	go func() { done <- trickle(conn, slowBody, &sent) }()

	br := bufio.NewReader(conn)
	resp, err := http.ReadResponse(br, nil)
	if err != nil {
		t.Fatalf("no response: %v", err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	checkCut(t, resp, b, &sent)
	if _, err := br.ReadByte(); err == nil {
		t.Error("the connection stays open after the cut")
	}
	conn.Close()
	<-done
}

// checkCut fails t unless resp is the answer to a body cut short: a 400
// that says so, given before the whole body was sent.
func checkCut(t *testing.T, resp *http.Response, body []byte, sent *atomic.Int64) {
	t.Helper()
	if resp.StatusCode != 400 || !strings.Contains(string(body), "not received within") {
		t.Fatalf("answer %d %s after %d of %d bytes, want 400 saying the body was not received in time", resp.StatusCode, body, sent.Load(), len(slowBody))
	}
	if n := sent.Load(); n >= int64(len(slowBody)) {
		t.Fatalf("the server answered after the whole trickled body (%d bytes)", n)
	}
}

// The same over h2c: the stream's body read is cut.
func TestTricklingBodyIsCutOverH2C(t *testing.T) {
	url := startLocal(t, local.Options{BodyReadTimeout: 200 * time.Millisecond})
	var p http.Protocols
	p.SetUnencryptedHTTP2(true)
	tr := &http.Transport{Protocols: &p}
	defer tr.CloseIdleConnections()
	pr, pw := io.Pipe()
	var sent atomic.Int64
	done := make(chan error, 1)
	go func() {
		err := trickle(pw, slowBody, &sent)
		pw.Close()
		done <- err
	}()
	defer func() { pr.CloseWithError(errors.New("test over")); <-done }()

	req, _ := http.NewRequest(http.MethodPost, url, pr)
	req.ContentLength = int64(len(slowBody))
	req.Header.Set("X-Amz-Target", "Kinesis_20131202.ListStreams")
	req.Header.Set("Content-Type", "application/x-amz-json-1.1")
	resp, err := (&http.Client{Transport: tr, Timeout: time.Minute}).Do(req)
	if err != nil {
		t.Fatalf("h2c request: %v", err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.ProtoMajor != 2 {
		t.Fatalf("proto %s, want HTTP/2", resp.Proto)
	}
	checkCut(t, resp, b, &sent)
}

// Headers that never end are cut after ReadHeaderTimeout.
func TestStalledHeadersAreCut(t *testing.T) {
	url := startLocal(t, local.Options{ReadHeaderTimeout: 200 * time.Millisecond})
	conn := dialRaw(t, url)
	fmt.Fprintf(conn, "POST / HTTP/1.1\r\nHost: 127.0.0.1\r\n")
	_, err := io.ReadAll(conn)
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
		t.Fatal("the server held a request with unfinished headers for a minute")
	}
}

// The body deadline ends with the body: a SubscribeToShard stream, over
// HTTP/1.1 and h2c, goes on delivering records after the deadline passed.
func TestBodyTimeoutSparesEventStreams(t *testing.T) {
	const timeout = 50 * time.Millisecond
	for _, proto := range []string{"HTTP/1.1", "h2c"} {
		t.Run(proto, func(t *testing.T) {
			url := startLocal(t, local.Options{BodyReadTimeout: timeout})
			var opts []func(*kinesis.Options)
			if proto == "h2c" {
				opts = append(opts, h2cClient(t))
			}
			k := newClient(t, url, opts...)
			name, arn := createStream(t, k, 1)
			consumer := registerConsumer(t, k, arn, "c")
			out, err := k.SubscribeToShard(ctxT(t), &kinesis.SubscribeToShardInput{ConsumerARN: aws.String(consumer),
				ShardId: aws.String("shardId-000000000000"), StartingPosition: &types.StartingPosition{Type: types.ShardIteratorTypeLatest}}, ownCodec)
			if err != nil {
				t.Fatal(err)
			}
			stream := out.GetStream()
			defer stream.Close()
			<-stream.Events()
			time.Sleep(4 * timeout) // past the deadline the request started with
			put(t, k, name, "after the deadline")
			for ev := range stream.Events() {
				e := ev.(*types.SubscribeToShardEventStreamMemberSubscribeToShardEvent)
				if len(e.Value.Records) > 0 {
					if got := string(e.Value.Records[0].Data); got != "after the deadline" {
						t.Errorf("record %q", got)
					}
					return
				}
			}
			t.Fatalf("the stream ended before the record: %v", stream.Err())
		})
	}
}
