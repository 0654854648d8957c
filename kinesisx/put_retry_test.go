package kinesisx

import (
	"context"
	"errors"
	"io"
	"math"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kinesis/types"
)

func TestPutRetriesOnlyFailedEntries(t *testing.T) {
	const throttle = "ProvisionedThroughputExceededException"
	tests := []struct {
		name        string
		count       int
		maxAttempts int
		reject      func(call, i int) string
		callError   func(call int) error
		wantSent    int
		wantFailed  int
		wantRetries int
		wantErrors  map[string]int
		wantCalls   []int
	}{
		{
			name: "every other entry throttled once", count: 10,
			reject: func(call, i int) string {
				if call == 0 && i%2 == 1 {
					return throttle
				}
				return ""
			},
			wantSent: 10, wantRetries: 5, wantErrors: map[string]int{throttle: 5}, wantCalls: []int{10, 5},
		},
		{
			name: "throttled three rounds", count: 4,
			reject: func(call, i int) string {
				if call < 3 && i == 0 {
					return throttle
				}
				return ""
			},
			wantSent: 4, wantRetries: 3, wantErrors: map[string]int{throttle: 3}, wantCalls: []int{4, 1, 1, 1},
		},
		{
			name: "gives up after MaxAttempts", count: 3, maxAttempts: 4,
			reject:   func(int, int) string { return throttle },
			wantSent: 0, wantFailed: 3, wantRetries: 9, wantErrors: map[string]int{throttle: 12}, wantCalls: []int{3, 3, 3, 3},
		},
		{
			name: "KMS access error is not retried", count: 3,
			reject: func(call, i int) string {
				if i == 1 {
					return "KMSAccessDeniedException"
				}
				return ""
			},
			wantSent: 2, wantFailed: 1, wantErrors: map[string]int{"KMSAccessDeniedException": 1}, wantCalls: []int{3},
		},
		{
			name: "whole call throttled, then accepted", count: 6,
			callError: func(call int) error {
				if call < 2 {
					return &types.ProvisionedThroughputExceededException{Message: aws.String("slow down")}
				}
				return nil
			},
			wantSent: 6, wantRetries: 12, wantErrors: map[string]int{throttle: 12}, wantCalls: []int{6, 6, 6},
		},
		{
			name: "internal failure of a single record", count: 1,
			callError: func(call int) error {
				if call == 0 {
					return &types.InternalFailureException{Message: aws.String("oops")}
				}
				return nil
			},
			wantSent: 1, wantRetries: 1, wantErrors: map[string]int{"InternalFailureException": 1}, wantCalls: []int{1, 1},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fs := newFakeStream("s", 2)
			fs.reject, fs.callError = tt.reject, tt.callError
			clk := newFakeClock()
			c := newClient(fs.api(), clk.options()...)
			res, err := c.Put(context.Background(), PutOptions{Stream: "s", Keys: KeyRandom, Count: tt.count, MaxAttempts: tt.maxAttempts}, Repeat([]byte("x")), nil)
			if err != nil {
				t.Fatal(err)
			}
			if res.Sent != tt.wantSent || res.Failed != tt.wantFailed || res.Retries != tt.wantRetries {
				t.Errorf("sent/failed/retries = %d/%d/%d, want %d/%d/%d", res.Sent, res.Failed, res.Retries, tt.wantSent, tt.wantFailed, tt.wantRetries)
			}
			if len(res.Errors) != len(tt.wantErrors) {
				t.Errorf("errors %v, want %v", res.Errors, tt.wantErrors)
			}
			for k, v := range tt.wantErrors {
				if res.Errors[k] != v {
					t.Errorf("errors %v, want %v", res.Errors, tt.wantErrors)
				}
			}
			var calls []int
			for _, pc := range fs.puts {
				calls = append(calls, pc.n)
			}
			if !equalInts(calls, tt.wantCalls) {
				t.Errorf("calls %v, want %v", calls, tt.wantCalls)
			}
			if fs.total() != res.Sent {
				t.Errorf("landed %d, result says %d", fs.total(), res.Sent)
			}
			// One backoff per retry round, each jittered within [base/2, cap].
			if len(clk.delays) != len(tt.wantCalls)-1 {
				t.Errorf("waits %v for %d calls", clk.delays, len(tt.wantCalls))
			}
			for _, d := range clk.delays {
				if d < 50*time.Millisecond || d > 5*time.Second {
					t.Errorf("backoff %v outside [50ms, 5s]", d)
				}
			}
		})
	}
}

func TestPutBackoffGrowsWhileStuck(t *testing.T) {
	fs := newFakeStream("s", 1)
	fs.reject = func(call, _ int) string {
		if call < 8 {
			return "ProvisionedThroughputExceededException"
		}
		return ""
	}
	clk := newFakeClock()
	res, err := newClient(fs.api(), clk.options()...).Put(context.Background(), PutOptions{Stream: "s", Key: "k", Count: 2}, Repeat([]byte("x")), nil)
	if err != nil || res.Sent != 2 {
		t.Fatalf("%+v %v", res, err)
	}
	// base 100 ms doubling, capped at 5 s, jittered into [d/2, d].
	caps := []time.Duration{100, 200, 400, 800, 1600, 3200, 5000, 5000}
	if len(clk.delays) != len(caps) {
		t.Fatalf("delays %v", clk.delays)
	}
	for i, d := range clk.delays {
		hi := caps[i] * time.Millisecond
		if d < hi/2 || d > hi {
			t.Errorf("delay %d = %v, want within [%v, %v]", i, d, hi/2, hi)
		}
	}
}

func TestPutCancelledDuringBackoff(t *testing.T) {
	fs := newFakeStream("s", 1)
	fs.reject = func(int, int) string { return "ProvisionedThroughputExceededException" }
	ctx, cancel := context.WithCancel(context.Background())
	c := newClient(fs.api(), WithWait(func(ctx context.Context, d time.Duration) error {
		cancel()
		return ctx.Err()
	}))
	res, err := c.Put(ctx, PutOptions{Stream: "s", Key: "k", Count: 5}, Repeat([]byte("x")), nil)
	if !errors.Is(err, context.Canceled) || res.Failed != 5 || res.Sent != 0 {
		t.Errorf("err %v result %+v", err, res)
	}
}

func TestPutRate(t *testing.T) {
	tests := []struct {
		rate      float64
		count     int
		wantBatch int
		wantSpan  time.Duration
	}{
		{rate: 100, count: 300, wantBatch: 10, wantSpan: 2900 * time.Millisecond},
		{rate: 2, count: 5, wantBatch: 1, wantSpan: 2 * time.Second},
		{rate: 20000, count: 40000, wantBatch: 500, wantSpan: 1975 * time.Millisecond},
	}
	for _, tt := range tests {
		fs := newFakeStream("s", 2)
		clk := newFakeClock()
		start := clk.now()
		var sentAt []time.Duration
		c := newClient(fs.api(), clk.options()...)
		res, err := c.Put(context.Background(), PutOptions{Stream: "s", Keys: KeyRandom, Count: tt.count, Rate: tt.rate}, Repeat([]byte("x")), func(PutResult) {
			sentAt = append(sentAt, clk.now().Sub(start))
		})
		if err != nil || res.Sent != tt.count {
			t.Fatalf("rate %v: %+v %v", tt.rate, res, err)
		}
		if fs.puts[0].n != tt.wantBatch {
			t.Errorf("rate %v: batch of %d, want %d", tt.rate, fs.puts[0].n, tt.wantBatch)
		}
		if got := sentAt[len(sentAt)-1]; got != tt.wantSpan {
			t.Errorf("rate %v: last batch at %v, want %v", tt.rate, got, tt.wantSpan)
		}
		// The achieved rate over the run: count records in span + one batch interval.
		achieved := float64(tt.count) / (tt.wantSpan.Seconds() + float64(tt.wantBatch)/tt.rate)
		if achieved < tt.rate*0.99 || achieved > tt.rate*1.01 {
			t.Errorf("rate %v: achieved %.1f records/s", tt.rate, achieved)
		}
	}
}

func TestPacerLimitsCatchUp(t *testing.T) {
	clk := newFakeClock()
	pc := pacer{c: newClient(&fakeAPI{}, clk.options()...), rate: 10, start: clk.now()}
	clk.t = clk.t.Add(10 * time.Second) // a 10 s stall
	// Record 11 was due at 1 s: late by 9 s, so no wait, and the schedule
	// moves so that only one second's worth may go at once.
	if err := pc.wait(context.Background(), 11); err != nil || len(clk.delays) != 0 {
		t.Fatalf("waited %v, %v", clk.delays, err)
	}
	// Records 21 and 31 are then due at now and now+1s.
	_ = pc.wait(context.Background(), 21)
	_ = pc.wait(context.Background(), 31)
	var total time.Duration
	for _, d := range clk.delays {
		total += d
	}
	if total != time.Second {
		t.Errorf("after a stall, 20 more records waited %v in all, want 1s (delays %v)", total, clk.delays)
	}
}

// A tiny rate schedules the next record far ahead (clamped), never in the
// past: the offset in nanoseconds would overflow a Duration.
func TestPacerTinyRateStillPaces(t *testing.T) {
	for _, rate := range []float64{1e-10, 1e-300, math.SmallestNonzeroFloat64} {
		clk := newFakeClock()
		pc := pacer{c: newClient(&fakeAPI{}, clk.options()...), rate: rate, start: clk.now()}
		if err := pc.wait(context.Background(), 1); err != nil || len(clk.delays) != 0 {
			t.Fatalf("rate %v: the first record waited %v, %v", rate, clk.delays, err)
		}
		_ = pc.wait(context.Background(), 2)
		if len(clk.delays) != 1 || clk.delays[0] < 100*365*24*time.Hour {
			t.Errorf("rate %v: the second record waited %v, want at least a century", rate, clk.delays)
		}
	}
}

// Lines piped from a slow producer leave as they come, not 500 at a time.
func TestPutSendsPipedLinesWithoutWaitingForABatch(t *testing.T) {
	fs := newFakeStream("s", 1)
	pr, pw := io.Pipe()
	done := make(chan error, 1)
	go func() {
		_, err := newClient(fs.api()).Put(context.Background(), PutOptions{Stream: "s", Key: "k"}, Lines(pr), nil)
		done <- err
	}()
	if _, err := io.WriteString(pw, "a\nb\nc\n"); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(5 * time.Second)
	for fs.total() < 3 {
		if time.Now().After(deadline) {
			t.Fatalf("only %d of 3 piped lines sent while the pipe stays open", fs.total())
		}
		time.Sleep(time.Millisecond)
	}
	if _, err := io.WriteString(pw, "d\n"); err != nil {
		t.Fatal(err)
	}
	_ = pw.Close()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if fs.total() != 4 {
		t.Errorf("%d records landed, want 4", fs.total())
	}
}
