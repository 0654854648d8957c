package shards

import (
	"testing"
	"time"

	"github.com/kinspect/kinspect/kinesisx"
	"github.com/kinspect/kinspect/ui/internal/uitest"
	"github.com/kinspect/kinspect/ui/screen"
)

// TestMergeRequestCarriesLoads: the merge dialog previews the merged load
// from the figures the screen has, each saying where it comes from.
func TestMergeRequestCarriesLoads(t *testing.T) {
	m := newLoaded(t, evenShards(3), false, 120, 10)
	minute := time.Date(2026, 1, 1, 12, 4, 0, 0, time.UTC)
	m.metric = map[string]ShardMetric{shardID(1): {InBytes: 300, InRecords: 3, Minute: minute}, shardID(2): {InBytes: 9}}
	m.observe(screen.ShardRatesMsg{Stream: "orders", At: time.Now(), Shards: map[string]kinesisx.ShardProgress{
		shardID(0): {Rates: kinesisx.Rates{BytesPerSec1s: 900, RecordsPerSec1s: 9, BytesPerSec60s: 500, RecordsPerSec60s: 5}}}})
	req, ok := uitest.Find[screen.ActionRequestedMsg](uitest.Msgs(m.Update(uitest.Key("m"))))
	if !ok || req.Action != kinesisx.ActionMerge {
		t.Fatalf("merge request %+v", req)
	}
	want := map[string]screen.ShardLoad{
		shardID(0): {BytesPerSec: 500, RecordsPerSec: 5, Source: "live, last minute"},
		shardID(1): {BytesPerSec: 300, RecordsPerSec: 3, Source: "CloudWatch 12:04"},
	}
	if len(req.Loads) != len(want) {
		t.Errorf("loads %+v, want %+v (a metric of no complete minute is no figure)", req.Loads, want)
	}
	for id, w := range want {
		if req.Loads[id] != w {
			t.Errorf("%s: %+v, want %+v", id, req.Loads[id], w)
		}
	}
}
