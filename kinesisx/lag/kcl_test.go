package lag

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/aws/smithy-go"

	ddbtypes "github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/kinspect/kinspect/kinesisx"
)

var t0 = time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC)

// splitStream is a 4-shard stream whose shard 0 was split into 4 and 5,
// plus an open shard 6 that no lease names.
func splitStream() (kinesisx.Stream, []kinesisx.Shard) {
	st := kinesisx.Stream{Name: "orders", ARN: "arn:aws:kinesis:us-east-1:111122223333:stream/orders", CreatedAt: time.Unix(1700000000, 0), RetentionHours: 24}
	return st, []kinesisx.Shard{
		{ID: "shardId-000000000000"},
		{ID: "shardId-000000000001", Open: true},
		{ID: "shardId-000000000002", Open: true},
		{ID: "shardId-000000000003", Open: true},
		{ID: "shardId-000000000004", ParentID: "shardId-000000000000", Open: true},
		{ID: "shardId-000000000005", ParentID: "shardId-000000000000", Open: true},
		{ID: "shardId-000000000006", Open: true},
	}
}

// records returns n arrivals one second apart, the last at `last`.
func records(n int, last time.Time) []time.Time {
	out := make([]time.Time, n)
	for i := range out {
		out[i] = last.Add(-time.Duration(n-1-i) * time.Second)
	}
	return out
}

func fakeStreamData(now time.Time) *fakeKinesis {
	return &fakeKinesis{now: now, shards: map[string]*fakeShard{
		"shardId-000000000000": {arrivals: records(3, now.Add(-time.Hour)), closed: true},
		"shardId-000000000001": {arrivals: records(5, now.Add(-time.Minute))},
		"shardId-000000000002": {arrivals: records(10, now)},
		"shardId-000000000003": {arrivals: records(2, now)},
		"shardId-000000000004": {arrivals: records(4, now)},
		"shardId-000000000005": {},
		"shardId-000000000006": {arrivals: records(1, now)},
	}}
}

func TestKCLStatesAndLag(t *testing.T) {
	now := t0
	st, shards := splitStream()
	k := fakeStreamData(now)
	d := &fakeDynamo{pageSize: 2, keys: map[string]string{"billing": "leaseKey", "orders-table": "id"},
		items: map[string][]map[string]ddbtypes.AttributeValue{"billing": {
			lease("shardId-000000000000", "w1", "101", 7),                                // parent: one record left, not SHARD_END
			lease("shardId-000000000001", "w1", "104", 40),                               // at its tip
			lease("shardId-000000000002", "w2", "102", 9),                                // 7 records behind, the first 6 s old, the next 5 s
			lease("shardId-000000000003", "", "100", 3),                                  // nobody holds it
			lease("shardId-000000000004", "", "TRIM_HORIZON", 0, "shardId-000000000000"), // child waiting for its parent
		}}}
	r := newReader(k, d, nil, nil, WithClock(func() time.Time { return now }))
	apps, err := r.KCL(context.Background(), st, shards, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(apps) != 1 || apps[0].Name != "billing" || apps[0].Table != "billing" || apps[0].Kind != KindKCL || apps[0].MultiStream {
		t.Fatalf("apps %+v", apps)
	}
	type want struct {
		state   State
		behind  *int64
		records *int64
		age     time.Duration
	}
	n := func(v int64) *int64 { return &v }
	wants := map[string]want{
		"shardId-000000000000": {StateOK, n(0), n(1), time.Hour},
		"shardId-000000000001": {StateOK, n(0), n(0), 0},
		"shardId-000000000002": {StateOK, n(5000), n(7), 6 * time.Second},
		"shardId-000000000003": {StateNoOwner, n(0), n(1), 0},
		"shardId-000000000004": {StateBlockedByParent, n(2000), n(4), 3 * time.Second},
		"shardId-000000000005": {StateBlockedByParent, nil, nil, 0},
		"shardId-000000000006": {StateNoLease, nil, nil, 0},
	}
	got := apps[0].Shards
	if len(got) != len(wants) {
		t.Fatalf("%d shards, want %d: %+v", len(got), len(wants), got)
	}
	for _, s := range got {
		w := wants[s.ShardID]
		if s.State != w.state || !eqPtr(s.MillisBehindLatest, w.behind) || !eqPtr(s.BehindRecords, w.records) || s.CheckpointAge != w.age {
			t.Errorf("%s: state %s behind %v records %v age %s; want %s %v %v %s (note %q)", s.ShardID, s.State,
				deref(s.MillisBehindLatest), deref(s.BehindRecords), s.CheckpointAge, w.state, deref(w.behind), deref(w.records), w.age, s.Note)
		}
	}
	if s := got[4]; !strings.Contains(s.Note, "TRIM_HORIZON") || len(s.Parents) != 1 {
		t.Errorf("child 4: %+v", s)
	}
	if s := got[5]; !strings.Contains(s.Note, "shardId-000000000000 reaches SHARD_END") {
		t.Errorf("child 5 note %q", s.Note)
	}
	counting := 0
	for _, c := range k.calls {
		if strings.HasSuffix(c, "limit 10000") {
			counting++
		}
	}
	if counting != 2 { // shards 2 and 4: the others were at the tip after one record
		t.Errorf("%d counting reads, want 2: %v", counting, k.calls)
	}
	if w := apps[0].Workers; w["w1"] != 2 || w["w2"] != 1 || len(w) != 2 {
		t.Errorf("workers %v", w)
	}
}

func eqPtr(a, b *int64) bool { return (a == nil) == (b == nil) && (a == nil || *a == *b) }

func deref(p *int64) any {
	if p == nil {
		return nil
	}
	return *p
}

// TestKCLEndedAndCleanedUp: a parent at SHARD_END is "ended" with nothing
// behind; a finished parent whose lease the KCL deleted is left out; the
// children of an ended parent are not blocked.
func TestKCLEndedAndCleanedUp(t *testing.T) {
	st, shards := splitStream()
	k := fakeStreamData(t0)
	leases := []Lease{
		{ShardID: "shardId-000000000000", Owner: "w1", Checkpoint: "SHARD_END"},
		{ShardID: "shardId-000000000004", Owner: "w1", Checkpoint: "TRIM_HORIZON", Parents: []string{"shardId-000000000000"}},
		{ShardID: "shardId-000000000005", Owner: "w2", Checkpoint: "LATEST", Parents: []string{"shardId-000000000000"}},
	}
	got := assess(shards, leases)
	if got[0].State != StateEnded || got[1].State != StateNoLease || got[4].State != StateOK || got[5].State != StateOK {
		t.Fatalf("states %+v", got)
	}
	r := newReader(k, nil, nil, nil, WithClock(func() time.Time { return t0 }))
	if err := r.measure(context.Background(), st.Name, got); err != nil {
		t.Fatal(err)
	}
	if !eqPtr(got[0].MillisBehindLatest, new(int64)) || !eqPtr(got[0].BehindRecords, new(int64)) {
		t.Errorf("ended shard: %v %v", deref(got[0].MillisBehindLatest), deref(got[0].BehindRecords))
	}
	if got[5].MillisBehindLatest != nil || !strings.Contains(got[5].Note, "LATEST") {
		t.Errorf("LATEST shard: %+v", got[5])
	}

	cleaned := assess(shards, leases[1:]) // the KCL deleted the parent's lease
	if cleaned[0].ShardID == "shardId-000000000000" {
		t.Errorf("a cleaned-up parent is listed: %+v", cleaned[0])
	}
}

// TestMultiStreamTable reads a KCL 2.x/3.x multi-stream table: only the
// leases of this stream (account, name and creation second) count.
func TestMultiStreamTable(t *testing.T) {
	st, shards := splitStream()
	id := "111122223333:orders:1700000000"
	ms := func(shard, owner, cp string) map[string]ddbtypes.AttributeValue {
		item := lease(id+":"+shard, owner, cp, 1)
		item["streamName"] = &ddbtypes.AttributeValueMemberS{Value: id}
		item["shardId"] = &ddbtypes.AttributeValueMemberS{Value: shard}
		return item
	}
	other := lease("111122223333:payments:1700000000:shardId-000000000001", "w9", "100", 1)
	recreated := lease("111122223333:orders:1600000000:shardId-000000000002", "w9", "100", 1) // an older stream of that name
	d := &fakeDynamo{pageSize: 10, keys: map[string]string{"multi": "leaseKey"}, items: map[string][]map[string]ddbtypes.AttributeValue{
		"multi": {ms("shardId-000000000001", "w1", "104"), other, recreated},
	}}
	r := newReader(fakeStreamData(t0), d, nil, nil, WithClock(func() time.Time { return t0 }))
	apps, err := r.KCL(context.Background(), st, shards, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(apps) != 1 || !apps[0].MultiStream {
		t.Fatalf("apps %+v", apps)
	}
	for _, s := range apps[0].Shards {
		want := StateNoLease
		switch s.ShardID {
		case "shardId-000000000001":
			want = StateOK
		case "shardId-000000000000":
			want = StateNoLease
		}
		if s.State != want {
			t.Errorf("%s: %s, want %s", s.ShardID, s.State, want)
		}
		if s.Owner == "w9" {
			t.Errorf("a lease of another stream was read: %+v", s)
		}
	}
}

// TestDiscoverySkipsOtherTables: a table of another stream (leases of
// shards this stream does not have), a table with another key and a
// multi-stream table without this stream are not applications of it.
func TestDiscoverySkipsOtherTables(t *testing.T) {
	st, shards := splitStream()
	d := &fakeDynamo{keys: map[string]string{"other": "leaseKey", "users": "userId", "multi": "leaseKey"},
		items: map[string][]map[string]ddbtypes.AttributeValue{
			"other": {lease("shardId-000000000099", "w", "1", 1)},
			"multi": {lease("111122223333:payments:1700000000:shardId-000000000001", "w", "1", 1)},
		}}
	r := newReader(fakeStreamData(t0), d, nil, nil)
	apps, err := r.KCL(context.Background(), st, shards, nil)
	if err != nil || len(apps) != 0 {
		t.Fatalf("apps %+v, err %v", apps, err)
	}
	// Named with --app, the table is read anyway.
	apps, err = r.KCL(context.Background(), st, shards, []string{"other"})
	if err != nil || len(apps) != 1 || apps[0].Name != "other" {
		t.Fatalf("named: apps %+v, err %v", apps, err)
	}
}

type apiErr struct{ code string }

func (e apiErr) Error() string                 { return e.code }
func (e apiErr) ErrorCode() string             { return e.code }
func (e apiErr) ErrorMessage() string          { return e.code }
func (e apiErr) ErrorFault() smithy.ErrorFault { return smithy.FaultClient }

func TestPermissionErrorsNameTheAction(t *testing.T) {
	st, shards := splitStream()
	denied := apiErr{"AccessDeniedException"}
	r := newReader(fakeStreamData(t0), &fakeDynamo{err: denied}, &fakeLambda{err: denied}, nil)
	for _, tc := range []struct {
		name string
		run  func() error
		want string
	}{
		{"list", func() error { _, err := r.KCL(context.Background(), st, shards, nil); return err }, "no permission for dynamodb:ListTables"},
		{"scan", func() error { _, err := r.KCL(context.Background(), st, shards, []string{"app"}); return err }, "no permission for dynamodb:Scan on table app"},
		{"lambda", func() error { _, err := r.Lambda(context.Background(), st.ARN); return err }, "no permission for lambda:ListEventSourceMappings"},
	} {
		err := tc.run()
		var pe *PermissionError
		if !errors.As(err, &pe) || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: %v, want %q", tc.name, err, tc.want)
		}
	}
	if _, err := newReader(nil, nil, nil, nil).KCL(context.Background(), st, shards, nil); !errors.Is(err, ErrUnavailable) {
		t.Errorf("no DynamoDB: %v", err)
	}
}

func TestImbalance(t *testing.T) {
	for _, tc := range []struct {
		w    map[string]int
		want string
	}{
		{map[string]int{"a": 6, "b": 1, "c": 1}, "worker a holds 6 leases; an even share is 3"},
		{map[string]int{"a": 3, "b": 2}, ""},
		{map[string]int{"a": 2, "b": 1}, ""},
		{map[string]int{"a": 9}, ""},
	} {
		if got := strings.Join(imbalance(tc.w), "; "); got != tc.want {
			t.Errorf("%v: %q, want %q", tc.w, got, tc.want)
		}
	}
}

// TestKCL3Lease reads a lease as the KCL 3.x writes it: the 2.x
// attributes plus childShardIds, hash key range, throughputKBps and
// checkpointOwner (a graceful handoff in progress), which change nothing
// here.
func TestKCL3Lease(t *testing.T) {
	item := lease("shardId-000000000002", "worker-new", "102", 77, "shardId-000000000000")
	item["ownerSwitchesSinceCheckpoint"] = &ddbtypes.AttributeValueMemberN{Value: "2"}
	item["childShardIds"] = &ddbtypes.AttributeValueMemberSS{Value: []string{"shardId-000000000007"}}
	item["startingHashKey"] = &ddbtypes.AttributeValueMemberS{Value: "0"}
	item["endingHashKey"] = &ddbtypes.AttributeValueMemberS{Value: "85070591730234615865843651857942052863"}
	item["throughputKBps"] = &ddbtypes.AttributeValueMemberN{Value: "12.5"}
	item["checkpointOwner"] = &ddbtypes.AttributeValueMemberS{Value: "worker-old"}
	l, ok := parseLease(item)
	want := Lease{Key: "shardId-000000000002", ShardID: "shardId-000000000002", Owner: "worker-new", Counter: 77, OwnerSwitches: 2,
		Checkpoint: "102", Parents: []string{"shardId-000000000000"}}
	if !ok || l.Key != want.Key || l.ShardID != want.ShardID || l.Owner != want.Owner || l.Counter != want.Counter ||
		l.OwnerSwitches != want.OwnerSwitches || l.Checkpoint != want.Checkpoint || len(l.Parents) != 1 || l.Parents[0] != want.Parents[0] || l.StreamID != "" {
		t.Errorf("parsed %+v, want %+v", l, want)
	}
	if _, ok := parseLease(map[string]ddbtypes.AttributeValue{"key": &ddbtypes.AttributeValueMemberS{Value: "x"}}); ok {
		t.Error("an item without leaseKey parsed as a lease")
	}
}
