package local

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// do sends one Kinesis call to h and returns the status and the decoded
// answer (nil for a GetRecords that succeeded: its records are not needed).
func do(t testing.TB, h http.Handler, op string, in any) (int, map[string]any) {
	body, ok := in.([]byte)
	if !ok {
		var err error
		if body, err = json.Marshal(in); err != nil {
			t.Fatal(err)
		}
	}
	req := httptest.NewRequest(http.MethodPost, "/", bytes.NewReader(body))
	req.Header.Set("X-Amz-Target", targetPrefix+op)
	req.Header.Set("Content-Type", jsonType)
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if op == "GetRecords" && rec.Code == http.StatusOK {
		return rec.Code, nil
	}
	var out map[string]any
	if err := json.Unmarshal(rec.Body.Bytes(), &out); err != nil {
		t.Fatalf("%s: %v: %s", op, err, rec.Body.String())
	}
	return rec.Code, out
}

// TestLimitsReadConcurrent sends concurrent GetRecords to one shard while
// the clock stands still: the shard's read budget (5 calls and 2 MiB, a
// call admitted while earlier reads have not overdrawn the bytes) admits
// exactly the calls it admits one after another, however the calls
// interleave. Records of 700 KiB: 2,048 - 3 x 700 < 0 after the third
// call, so three calls return a record and every other one is throttled.
// (The budget was checked under one lock and charged under another, so
// concurrent readers slipped past it.)
func TestLimitsReadConcurrent(t *testing.T) {
	var nowNanos atomic.Int64
	nowNanos.Store(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC).UnixNano())
	now := func() time.Time { return time.Unix(0, nowNanos.Load()) }
	advance := func(d time.Duration) { nowNanos.Add(int64(d)) }
	srv := New(Options{Limits: true, Now: now, NoCloudWatch: true})
	t.Cleanup(func() { _ = srv.Close() })
	h := srv.Handler()
	data := base64.StdEncoding.EncodeToString(make([]byte, 700<<10))
	const rounds, readers = 5, 5
	for round := range rounds {
		name := fmt.Sprintf("race-%d", round)
		if code, out := do(t, h, "CreateStream", map[string]any{"StreamName": name, "ShardCount": 1}); code != 200 {
			t.Fatalf("CreateStream: %v", out)
		}
		for range 4 {
			advance(time.Second) // the write budget refills
			put := fmt.Appendf(nil, `{"StreamName":%q,"Records":[{"PartitionKey":"k","Data":%q}]}`, name, data)
			if code, out := do(t, h, "PutRecords", put); code != 200 || out["FailedRecordCount"] != 0.0 {
				t.Fatalf("PutRecord: %v", out)
			}
		}
		advance(10 * time.Second) // the read budget is full
		iters := make([]string, readers)
		for i := range iters {
			code, out := do(t, h, "GetShardIterator", map[string]any{"StreamName": name, "ShardId": "shardId-000000000000", "ShardIteratorType": "TRIM_HORIZON"})
			if code != 200 {
				t.Fatalf("GetShardIterator: %v", out)
			}
			iters[i] = out["ShardIterator"].(string)
		}
		var admitted, throttled atomic.Int64
		start := make(chan struct{})
		var wg sync.WaitGroup
		for _, it := range iters {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				code, out := do(t, h, "GetRecords", map[string]any{"ShardIterator": it, "Limit": 1})
				switch {
				case code == 200:
					admitted.Add(1)
				case out["__type"] == "ProvisionedThroughputExceededException":
					throttled.Add(1)
				default:
					t.Errorf("GetRecords: %d %v", code, out)
				}
			}()
		}
		close(start)
		wg.Wait()
		if admitted.Load() != 3 || throttled.Load() != readers-3 {
			t.Fatalf("round %d: %d calls admitted and %d throttled; want 3 and %d", round, admitted.Load(), throttled.Load(), readers-3)
		}
	}
}
