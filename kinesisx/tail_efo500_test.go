package kinesisx_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kinesis"

	"github.com/kinspect/kinspect/internal/testenv"
	"github.com/kinspect/kinspect/kinesisx"
	"github.com/kinspect/kinspect/kinesisx/local"
	"github.com/kinspect/kinspect/kinesisx/local/localtest"
)

// failSubscribe serves the built-in endpoint, but answers SubscribeToShard
// with moto's HTTP 500 page once ok subscriptions went through; failed
// counts those answers.
func failSubscribe(t *testing.T, ok int32, failed *atomic.Int32) string {
	// Short sessions: the one that goes through ends soon.
	srv, _ := localtest.Start(t, local.Options{SessionLifetime: 200 * time.Millisecond})
	h := srv.Handler()
	var served atomic.Int32
	proxy := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasSuffix(r.Header.Get("X-Amz-Target"), ".SubscribeToShard") && served.Add(1) > ok {
			failed.Add(1)
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			w.WriteHeader(http.StatusInternalServerError)
			_, _ = w.Write([]byte("<!doctype html>\n<title>500 Internal Server Error</title>\n<h1>Internal Server Error</h1>"))
			return
		}
		h.ServeHTTP(w, r)
	}))
	t.Cleanup(proxy.Close)
	return proxy.URL
}

// noWait makes a tail's pauses instant.
func noWait(ctx context.Context, _ time.Duration) error { return ctx.Err() }

// efoTail creates a stream of one shard holding data (if any) and starts an
// EFO tail of it from the trim horizon, with instant pauses; ctx bounds it.
func efoTail(t *testing.T, k *kinesis.Client, data []byte) (*kinesisx.Tail, context.Context) {
	stream := testenv.StreamName(t)
	testenv.CreateStream(t, k, stream, 1)
	if data != nil {
		if _, err := k.PutRecord(context.Background(), &kinesis.PutRecordInput{StreamName: aws.String(stream), PartitionKey: aws.String("k"), Data: data}); err != nil {
			t.Fatal(err)
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	t.Cleanup(cancel)
	tl, err := kinesisx.New(k, kinesisx.WithWait(noWait)).Tail(ctx, kinesisx.TailOptions{Stream: stream,
		From: kinesisx.StartPosition{Type: kinesisx.PositionTrimHorizon}, Mode: kinesisx.ModeEFO})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(tl.Close)
	return tl, ctx
}

// An endpoint whose SubscribeToShard always answers HTTP 500 (moto) ends an
// EFO tail with ErrEFOUnsupported, not a tail that retries forever or ends
// as if it had read everything.
func TestTailEFOUnsupportedEndpoint(t *testing.T) {
	var failed atomic.Int32
	k := testenv.KinesisClient(t, failSubscribe(t, 0, &failed))
	tl, _ := efoTail(t, k, nil)
	for range tl.Batches() {
	}
	if err := tl.Err(); !errors.Is(err, kinesisx.ErrEFOUnsupported) || strings.Contains(err.Error(), "\n") {
		t.Fatalf("Err = %v, want ErrEFOUnsupported on one line", err)
	}
	if n := failed.Load(); n < 2 {
		t.Fatalf("gave up after %d answers: retry first", n)
	}
}

// Once a subscription went through, HTTP 500 answers are an endpoint's
// passing trouble (AWS's InternalFailure): the tail retries them.
func TestTailEFORetries500AfterASubscription(t *testing.T) {
	var failed atomic.Int32
	k := testenv.KinesisClient(t, failSubscribe(t, 1, &failed))
	tl, ctx := efoTail(t, k, []byte("one"))
	got := 0
	for failed.Load() < 12 {
		select {
		case b, ok := <-tl.Batches():
			if !ok {
				t.Fatalf("tail ended after %d HTTP 500s: %v", failed.Load(), tl.Err())
			}
			got += len(b.Records)
		case <-ctx.Done():
			t.Fatal("no retries")
		}
	}
	tl.Close()
	if err := tl.Err(); err != nil || got != 1 {
		t.Fatalf("%d records, Err %v", got, err)
	}
}
