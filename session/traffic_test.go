package session

import (
	"fmt"
	"testing"
	"time"

	"go.uber.org/goleak"

	"github.com/kinspect/kinspect/kinesisx"
	"github.com/kinspect/kinspect/kinesisx/hashkey"
	"github.com/kinspect/kinspect/kinesisx/hotkeys"
	"github.com/kinspect/kinspect/metrics"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

func keyBatch(shard string, keys ...string) kinesisx.Batch {
	var b kinesisx.Batch
	for i, k := range keys {
		b.Records = append(b.Records, kinesisx.Record{ShardID: shard, SequenceNumber: fmt.Sprint(i), PartitionKey: k, Data: []byte("0123456789")})
	}
	return b
}

func TestTrafficKeepsOneAnalyserPerStream(t *testing.T) {
	s := NewTraffic(2, hotkeys.Options{Seed: 1})
	s.SetShards("orders", []kinesisx.Shard{{ID: "s0", HashRange: hashkey.Range{End: hashkey.Max}, Open: true}})
	s.AddBatch("orders", keyBatch("s0", "hot", "hot", "hot", "cold"))
	s.AddBatch("logs", keyBatch("s0", "a"))
	a, ok := s.Lookup("orders")
	if !ok {
		t.Fatal("orders should have an analyser")
	}
	st, ok := a.Shard("s0", 2)
	if !ok || st.Records != 4 || st.TopByRecords[0].Key != "hot" || !st.RangeKnown {
		t.Errorf("orders s0: %+v", st)
	}
	if l, _ := s.Lookup("logs"); l == a {
		t.Error("streams must not share an analyser")
	}
	// A third stream evicts the one fed least recently (orders was looked
	// up last through Lookup, which does not count: logs was fed after).
	s.AddBatch("orders", keyBatch("s0", "x"))
	s.AddBatch("clicks", keyBatch("s0", "y"))
	if _, ok := s.Lookup("logs"); ok {
		t.Error("the least recently fed stream should give way")
	}
	if _, ok := s.Lookup("orders"); !ok {
		t.Error("orders was fed recently and should stay")
	}
}

func TestNilIsSafe(t *testing.T) {
	var s *Traffic
	s.AddBatch("orders", keyBatch("s0", "k"))
	s.SetShards("orders", nil)
	if a := s.Analyser("orders"); a != nil {
		t.Error("a nil Traffic has no analyser")
	}
	if _, ok := s.Lookup("orders"); ok {
		t.Error("a nil Traffic has no analyser")
	}
	var sess *Session
	sess.Observe("orders", keyBatch("s0", "k"))
	var l *Live
	l.Observe("orders", keyBatch("s0", "k"))
	if !l.Nowcast("orders", &metrics.Report{}, nil, time.Now(), time.Minute).IsZero() {
		t.Error("nil live counts fill nothing")
	}
}

// TestObserveFeedsBoth: one batch reaches the traffic analysis and the
// live counts.
func TestObserveFeedsBoth(t *testing.T) {
	at := time.Date(2026, 11, 26, 12, 0, 30, 0, time.UTC)
	s := New(func() time.Time { return at }, hotkeys.Options{})
	s.Observe("orders", keyBatch("s0", "a", "b"))
	if a, ok := s.Traffic.Lookup("orders"); !ok {
		t.Error("no analyser")
	} else if st, _ := a.Shard("s0", 1); st.Records != 2 {
		t.Errorf("analysed %d records", st.Records)
	}
	if s.Live.Nowcast("orders", &metrics.Report{}, []string{"s0"}, at, time.Minute).IsZero() {
		t.Error("the live counts should have the batch")
	}
	if !s.Live.Nowcast("orders", &metrics.Report{}, nil, at.Add(LiveStale+time.Second), time.Minute).IsZero() {
		t.Error("stale live counts fill nothing")
	}
}

// BenchmarkObserve is what a tail's batch costs the event loop now that
// the session takes it there: a batch of 1,000 records of 200 bytes over
// 40 shards and 500 keys (hot-key analysis and live counts).
func BenchmarkObserve(b *testing.B) {
	at := time.Date(2026, 11, 26, 12, 0, 30, 0, time.UTC)
	s := New(func() time.Time { return at }, hotkeys.Options{})
	var batch kinesisx.Batch
	for i := range 1000 {
		batch.Records = append(batch.Records, kinesisx.Record{ShardID: fmt.Sprintf("shardId-%012d", i%40), PartitionKey: fmt.Sprintf("customer-%d", i%500),
			SequenceNumber: fmt.Sprint(i), Data: make([]byte, 200), ArrivedAt: at})
	}
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		s.Observe("orders", batch)
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/1000, "ns/record")
}
