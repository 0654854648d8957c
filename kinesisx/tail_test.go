package kinesisx

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kinesis"
	"github.com/aws/aws-sdk-go-v2/service/kinesis/types"
	"github.com/aws/smithy-go"
)

// memStream is a small in-memory stream behind fakeAPI for tail tests:
// closed shards end with ChildShards, iterators are "shard:index".
type memStream struct {
	mu       sync.Mutex
	shards   []types.Shard
	records  map[string][]types.Record
	perCall  int
	fail     func(call int, in *kinesis.GetRecordsInput) error // injected failures
	calls    int
	iterReqs []*kinesis.GetShardIteratorInput
}

func seqOf(shard string, i int) string {
	n, _ := strconv.Atoi(strings.TrimPrefix(shard, "shardId-"))
	return fmt.Sprintf("%d%06d", 1000+n, i)
}

func newMemStream(perCall int) *memStream {
	return &memStream{records: map[string][]types.Record{}, perCall: perCall}
}

func (m *memStream) addShard(id, parent, adjacent string, closed bool, n int) {
	s := types.Shard{ShardId: aws.String(id), HashKeyRange: &types.HashKeyRange{StartingHashKey: aws.String("0"), EndingHashKey: aws.String("1")},
		SequenceNumberRange: &types.SequenceNumberRange{StartingSequenceNumber: aws.String(seqOf(id, 0))}}
	if parent != "" {
		s.ParentShardId = aws.String(parent)
	}
	if adjacent != "" {
		s.AdjacentParentShardId = aws.String(adjacent)
	}
	if closed {
		s.SequenceNumberRange.EndingSequenceNumber = aws.String(seqOf(id, n))
	}
	m.shards = append(m.shards, s)
	for i := 1; i <= n; i++ {
		m.records[id] = append(m.records[id], types.Record{SequenceNumber: aws.String(seqOf(id, i)), PartitionKey: aws.String("k"),
			Data: []byte(fmt.Sprintf("%s/%d", id, i)), ApproximateArrivalTimestamp: aws.Time(time.Unix(1700000000, 0))})
	}
}

func (m *memStream) children(id string) []types.ChildShard {
	var out []types.ChildShard
	for _, s := range m.shards {
		if aws.ToString(s.ParentShardId) == id || aws.ToString(s.AdjacentParentShardId) == id {
			parents := []string{aws.ToString(s.ParentShardId)}
			if s.AdjacentParentShardId != nil {
				parents = append(parents, *s.AdjacentParentShardId)
			}
			out = append(out, types.ChildShard{ShardId: s.ShardId, ParentShards: parents, HashKeyRange: s.HashKeyRange})
		}
	}
	return out
}

func (m *memStream) closed(id string) bool {
	for _, s := range m.shards {
		if aws.ToString(s.ShardId) == id {
			return s.SequenceNumberRange.EndingSequenceNumber != nil
		}
	}
	return false
}

func (m *memStream) api() *fakeAPI {
	return &fakeAPI{
		DescribeStreamSummaryFn: func(_ context.Context, in *kinesis.DescribeStreamSummaryInput) (*kinesis.DescribeStreamSummaryOutput, error) {
			return &kinesis.DescribeStreamSummaryOutput{StreamDescriptionSummary: &types.StreamDescriptionSummary{
				StreamName: in.StreamName, StreamARN: aws.String("arn:aws:kinesis:us-east-1:1:stream/" + aws.ToString(in.StreamName)), StreamStatus: types.StreamStatusActive}}, nil
		},
		ListShardsFn: func(context.Context, *kinesis.ListShardsInput) (*kinesis.ListShardsOutput, error) {
			return &kinesis.ListShardsOutput{Shards: m.shards}, nil
		},
		GetShardIteratorFn: func(_ context.Context, in *kinesis.GetShardIteratorInput) (*kinesis.GetShardIteratorOutput, error) {
			m.mu.Lock()
			defer m.mu.Unlock()
			m.iterReqs = append(m.iterReqs, in)
			id := aws.ToString(in.ShardId)
			pos := 0
			switch in.ShardIteratorType {
			case types.ShardIteratorTypeLatest:
				pos = len(m.records[id])
			case types.ShardIteratorTypeAfterSequenceNumber, types.ShardIteratorTypeAtSequenceNumber:
				for i, r := range m.records[id] {
					if *r.SequenceNumber == *in.StartingSequenceNumber {
						pos = i
						if in.ShardIteratorType == types.ShardIteratorTypeAfterSequenceNumber {
							pos++
						}
					}
				}
			}
			return &kinesis.GetShardIteratorOutput{ShardIterator: aws.String(fmt.Sprintf("%s:%d", id, pos))}, nil
		},
		GetRecordsFn: func(_ context.Context, in *kinesis.GetRecordsInput) (*kinesis.GetRecordsOutput, error) {
			m.mu.Lock()
			defer m.mu.Unlock()
			m.calls++
			if m.fail != nil {
				if err := m.fail(m.calls, in); err != nil {
					return nil, err
				}
			}
			id, p, _ := strings.Cut(aws.ToString(in.ShardIterator), ":")
			pos, _ := strconv.Atoi(p)
			recs := m.records[id]
			end := min(pos+m.perCall, len(recs))
			out := &kinesis.GetRecordsOutput{Records: recs[pos:end], MillisBehindLatest: aws.Int64(int64(len(recs) - end))}
			if end == len(recs) && m.closed(id) {
				out.ChildShards = m.children(id)
				return out, nil
			}
			out.NextShardIterator = aws.String(fmt.Sprintf("%s:%d", id, end))
			return out, nil
		},
	}
}

type apiErr struct{ code string }

func (e apiErr) Error() string                 { return e.code }
func (e apiErr) ErrorCode() string             { return e.code }
func (e apiErr) ErrorMessage() string          { return e.code }
func (e apiErr) ErrorFault() smithy.ErrorFault { return smithy.FaultServer }

// waits records the pauses a tail asked for, without sleeping.
type waits struct {
	mu sync.Mutex
	d  []time.Duration
}

func (w *waits) wait(ctx context.Context, d time.Duration) error {
	w.mu.Lock()
	w.d = append(w.d, d)
	w.mu.Unlock()
	return ctx.Err()
}

// drain reads a tail to its end and returns its records.
func drain(t *testing.T, tl *Tail) ([]Record, map[string]ShardProgress) {
	t.Helper()
	var recs []Record
	last := map[string]ShardProgress{}
	timeout := time.After(10 * time.Second)
	for {
		select {
		case b, ok := <-tl.Batches():
			if !ok {
				if err := tl.Err(); err != nil {
					t.Fatalf("tail ended with %v", err)
				}
				return recs, last
			}
			recs = append(recs, b.Records...)
			for id, p := range b.Shards {
				last[id] = p
			}
		case <-timeout:
			t.Fatal("tail did not end")
		}
	}
}

func dataOf(recs []Record) []string {
	out := make([]string, len(recs))
	for i, r := range recs {
		out[i] = string(r.Data)
	}
	return out
}

func TestTailPollingRebuildsExpiredIteratorAfterLastRecord(t *testing.T) {
	m := newMemStream(3)
	m.addShard("shardId-000000000000", "", "", true, 10)
	m.fail = func(call int, _ *kinesis.GetRecordsInput) error {
		if call == 2 {
			return apiErr{"ExpiredIteratorException"}
		}
		return nil
	}
	w := &waits{}
	c := newClient(m.api(), WithWait(w.wait))
	tl, err := c.Tail(context.Background(), TailOptions{Stream: "s", From: StartPosition{Type: PositionTrimHorizon}})
	if err != nil {
		t.Fatal(err)
	}
	defer tl.Close()
	recs, prog := drain(t, tl)
	if got := len(recs); got != 10 {
		t.Fatalf("got %d records, want 10: %v", got, dataOf(recs))
	}
	for i, r := range recs {
		if want := fmt.Sprintf("shardId-000000000000/%d", i+1); string(r.Data) != want {
			t.Fatalf("record %d = %s, want %s", i, r.Data, want)
		}
	}
	if len(m.iterReqs) != 2 {
		t.Fatalf("GetShardIterator called %d times, want 2", len(m.iterReqs))
	}
	second := m.iterReqs[1]
	if second.ShardIteratorType != types.ShardIteratorTypeAfterSequenceNumber || aws.ToString(second.StartingSequenceNumber) != seqOf("shardId-000000000000", 3) {
		t.Fatalf("rebuilt iterator %s %s, want AFTER_SEQUENCE_NUMBER %s", second.ShardIteratorType, aws.ToString(second.StartingSequenceNumber), seqOf("shardId-000000000000", 3))
	}
	p := prog["shardId-000000000000"]
	if !p.Closed || p.Retries != 1 || p.LastSequence != seqOf("shardId-000000000000", 10) {
		t.Fatalf("progress = %+v", p)
	}
}

func TestTailPollingBacksOffOnThrottling(t *testing.T) {
	m := newMemStream(100)
	m.addShard("shardId-000000000000", "", "", true, 5)
	clock := newFakeClock()
	var mu sync.Mutex
	var calls []time.Time // when each GetRecords call was let go
	m.fail = func(call int, _ *kinesis.GetRecordsInput) error {
		if call <= 3 {
			return apiErr{"ProvisionedThroughputExceededException"}
		}
		return nil
	}
	c := newClient(m.api(), clock.options()...)
	tl, err := c.Tail(context.Background(), TailOptions{Stream: "s", From: StartPosition{Type: PositionTrimHorizon},
		granted: func(_ string, at time.Time) {
			mu.Lock()
			calls = append(calls, at)
			mu.Unlock()
		}})
	if err != nil {
		t.Fatal(err)
	}
	defer tl.Close()
	recs, prog := drain(t, tl)
	if len(recs) != 5 {
		t.Fatalf("got %d records", len(recs))
	}
	if p := prog["shardId-000000000000"]; p.Throttles != 3 {
		t.Fatalf("throttles = %d, want 3", p.Throttles)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(calls) < 4 {
		t.Fatalf("%d GetRecords calls, want 4", len(calls))
	}
	// Each call after a throttle waits its backoff, jittered into [d/2, d]
	// of 100ms, 200ms, 400ms.
	for i, max := range []time.Duration{100, 200, 400} {
		max *= time.Millisecond
		if gap := calls[i+1].Sub(calls[i]); gap < max/2 || gap > max {
			t.Fatalf("gap after throttle %d = %v, want within [%v, %v]", i, gap, max/2, max)
		}
	}
}

func TestTailReadsParentsBeforeChildren(t *testing.T) {
	m := newMemStream(2)
	// 0 split into 1 and 2; 1 and 2 merged into 3.
	m.addShard("shardId-000000000000", "", "", true, 5)
	m.addShard("shardId-000000000001", "shardId-000000000000", "", true, 4)
	m.addShard("shardId-000000000002", "shardId-000000000000", "", true, 3)
	m.addShard("shardId-000000000003", "shardId-000000000001", "shardId-000000000002", true, 6)
	c := newClient(m.api(), WithWait((&waits{}).wait))
	tl, err := c.Tail(context.Background(), TailOptions{Stream: "s", From: StartPosition{Type: PositionTrimHorizon}})
	if err != nil {
		t.Fatal(err)
	}
	defer tl.Close()
	recs, _ := drain(t, tl)
	if len(recs) != 18 {
		t.Fatalf("got %d records, want 18", len(recs))
	}
	lastOf := map[string]int{}
	firstOf := map[string]int{}
	for i, r := range recs {
		if _, ok := firstOf[r.ShardID]; !ok {
			firstOf[r.ShardID] = i
		}
		lastOf[r.ShardID] = i
	}
	order := [][2]string{{"0", "1"}, {"0", "2"}, {"1", "3"}, {"2", "3"}}
	for _, pc := range order {
		p, ch := "shardId-00000000000"+pc[0], "shardId-00000000000"+pc[1]
		if lastOf[p] > firstOf[ch] {
			t.Fatalf("a record of %s came after one of its child %s", p, ch)
		}
	}
}

func TestTailUnknownShard(t *testing.T) {
	m := newMemStream(2)
	m.addShard("shardId-000000000000", "", "", false, 1)
	c := newClient(m.api())
	_, err := c.Tail(context.Background(), TailOptions{Stream: "s", Shards: []string{"shardId-000000000009"}})
	if !errors.Is(err, ErrUnknownShard) {
		t.Fatalf("err = %v, want ErrUnknownShard", err)
	}
}

func TestPollPacing(t *testing.T) {
	p := &poller{opts: TailOptions{}}
	p.opts.defaults()
	tests := []struct {
		records, bytes int
		caughtUp       bool
		want           time.Duration
	}{
		{10, 1000, false, 200 * time.Millisecond},
		{0, 0, false, time.Second},
		{10, 1000, true, time.Second},
		{10000, 10 << 20, false, 5 * time.Second},
	}
	for _, tt := range tests {
		if got := p.pace(tt.records, tt.bytes, tt.caughtUp); got != tt.want {
			t.Errorf("pace(%d, %d, %v) = %v, want %v", tt.records, tt.bytes, tt.caughtUp, got, tt.want)
		}
	}
}

func TestTailCloseStopsAnOpenShard(t *testing.T) {
	m := newMemStream(2)
	m.addShard("shardId-000000000000", "", "", false, 3)
	c := newClient(m.api()) // real waits: an open shard polls until closed
	tl, err := c.Tail(context.Background(), TailOptions{Stream: "s", From: StartPosition{Type: PositionTrimHorizon}, IdlePollInterval: 10 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	var got int
	for got < 3 {
		b := <-tl.Batches()
		got += len(b.Records)
	}
	tl.Close()
	tl.Close() // twice is fine
	for range tl.Batches() {
	}
	if err := tl.Err(); err != nil {
		t.Fatalf("Err after Close = %v", err)
	}
}

func TestTailFailsOnFatalError(t *testing.T) {
	m := newMemStream(2)
	m.addShard("shardId-000000000000", "", "", false, 3)
	m.fail = func(int, *kinesis.GetRecordsInput) error { return apiErr{"AccessDeniedException"} }
	c := newClient(m.api(), WithWait((&waits{}).wait))
	tl, err := c.Tail(context.Background(), TailOptions{Stream: "s", From: StartPosition{Type: PositionTrimHorizon}})
	if err != nil {
		t.Fatal(err)
	}
	defer tl.Close()
	for range tl.Batches() {
	}
	if err := tl.Err(); err == nil || !strings.Contains(err.Error(), "AccessDenied") {
		t.Fatalf("Err = %v, want AccessDenied", err)
	}
}

// A shard for which GetShardIterator gives no iterator (as emulators do for
// a closed shard) ends at once: the tail does not wait for it forever.
func TestTailShardWithoutIterator(t *testing.T) {
	m := newMemStream(2)
	m.addShard("shardId-000000000000", "", "", true, 3)
	m.addShard("shardId-000000000001", "", "", true, 2)
	api := m.api()
	getIterator := api.GetShardIteratorFn
	api.GetShardIteratorFn = func(ctx context.Context, in *kinesis.GetShardIteratorInput) (*kinesis.GetShardIteratorOutput, error) {
		if aws.ToString(in.ShardId) == "shardId-000000000001" {
			return &kinesis.GetShardIteratorOutput{}, nil
		}
		return getIterator(ctx, in)
	}
	c := newClient(api, WithWait((&waits{}).wait))
	tl, err := c.Tail(context.Background(), TailOptions{Stream: "s", From: StartPosition{Type: PositionTrimHorizon}})
	if err != nil {
		t.Fatal(err)
	}
	defer tl.Close()
	recs, progress := drain(t, tl)
	if len(recs) != 3 || !progress["shardId-000000000001"].Closed {
		t.Fatalf("%d records, progress %+v", len(recs), progress)
	}
}
