package traffic

import (
	"fmt"
	"sync"
	"testing"

	"go.uber.org/goleak"

	"github.com/kinspect/kinspect/kinesisx"
	"github.com/kinspect/kinspect/kinesisx/hashkey"
	"github.com/kinspect/kinspect/kinesisx/hotkeys"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

func batch(shard string, keys ...string) kinesisx.Batch {
	var b kinesisx.Batch
	for i, k := range keys {
		b.Records = append(b.Records, kinesisx.Record{ShardID: shard, SequenceNumber: fmt.Sprint(i), PartitionKey: k, Data: []byte("0123456789")})
	}
	return b
}

func TestStoreKeepsOneAnalyserPerStream(t *testing.T) {
	s := New(2, hotkeys.Options{Seed: 1})
	s.SetShards("orders", []kinesisx.Shard{{ID: "s0", HashRange: hashkey.Range{End: hashkey.Max}, Open: true}})
	s.AddBatch("orders", batch("s0", "hot", "hot", "hot", "cold"))
	s.AddBatch("logs", batch("s0", "a"))
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
	s.AddBatch("orders", batch("s0", "x"))
	s.AddBatch("clicks", batch("s0", "y"))
	if _, ok := s.Lookup("logs"); ok {
		t.Error("the least recently fed stream should give way")
	}
	if _, ok := s.Lookup("orders"); !ok {
		t.Error("orders was fed recently and should stay")
	}
}

func TestNilStoreIsSafe(t *testing.T) {
	var s *Store
	s.AddBatch("orders", batch("s0", "k"))
	s.SetShards("orders", nil)
	if a := s.Analyser("orders"); a != nil {
		t.Error("a nil store has no analyser")
	}
	if _, ok := s.Lookup("orders"); ok {
		t.Error("a nil store has no analyser")
	}
}

// TestConcurrentFeedAndRead runs tails' feeds beside a screen's reads
// (under -race).
func TestConcurrentFeedAndRead(t *testing.T) {
	s := New(0, hotkeys.Options{})
	var wg sync.WaitGroup
	for g := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 50 {
				s.AddBatch(fmt.Sprintf("stream-%d", g%2), batch("s0", fmt.Sprint(i)))
			}
		}()
	}
	for range 50 {
		if a, ok := s.Lookup("stream-0"); ok {
			a.Stats(3)
		}
	}
	wg.Wait()
	a, _ := s.Lookup("stream-1")
	if st, _ := a.Shard("s0", 1); st.Records != 100 {
		t.Errorf("stream-1 got %d records, want 100", st.Records)
	}
}
