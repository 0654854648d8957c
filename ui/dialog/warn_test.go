package dialog

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"testing"

	"github.com/kinspect/kinspect/kinesisx"
	"github.com/kinspect/kinspect/kinesisx/hashkey"
	"github.com/kinspect/kinspect/kinesisx/hotkeys"
	"github.com/kinspect/kinspect/session"
	"github.com/kinspect/kinspect/ui/screen"
)

// keyed feeds shard 0 records of 100 bytes: hot of them with key "user-42"
// (one hash key), the rest with a key each, spread over the shard's range.
func keyed(f *fakeWriter, hot, cold int) *session.Traffic {
	s := session.NewTraffic(0, hotkeys.Options{Seed: 1})
	s.SetShards("orders", f.shards)
	r := f.shards[0].HashRange
	var b kinesisx.Batch
	for i := range hot + cold {
		// One key hashes to one point of the range; the others spread.
		pk, k := "user-42", hashkey.Key{Hi: r.End.Hi / 3}
		if i >= hot {
			pk, k = fmt.Sprintf("u%05d", i), hashkey.Key{Hi: r.End.Hi / uint64(cold+1) * uint64(i-hot)}
		}
		b.Records = append(b.Records, kinesisx.Record{Stream: "orders", ShardID: shardID(0), SequenceNumber: strconv.Itoa(i),
			PartitionKey: pk, ExplicitHashKey: k.String(), Data: make([]byte, 100-len(pk))})
	}
	s.AddBatch("orders", b)
	return s
}

func TestSplitWarnsOfOneHotKey(t *testing.T) {
	for _, w := range []int{80, 120} {
		f := fourShards()
		r := newReshardAt(t, f, keyed(f, 70, 30), screen.ActionRequestedMsg{Action: kinesisx.ActionSplit, Stream: "orders", ShardID: shardID(0)}, w)
		s := flat(r)
		for _, want := range []string{`key "user-42" carries 70% of ` + shardID(0) + "'s bytes", "of 100 records kinspect's tails have seen", "lands on one child"} {
			if !strings.Contains(s, want) {
				t.Errorf("%d: the split form lacks %q:\n%s", w, want, plainView(r))
			}
		}
		press(r, "enter")
		if r.stage != stageConfirm || !strings.Contains(flat(r), `key "user-42" carries 70%`) {
			t.Errorf("%d: the confirmation should repeat the warning:\n%s", w, plainView(r))
		}
	}
	// Even keys, or no traffic at all: no warning.
	for name, s := range map[string]*session.Traffic{"even": nil, "spread": nil} {
		f := fourShards()
		if name == "spread" {
			s = keyed(f, 1, 99)
		}
		r := newReshardAt(t, f, s, screen.ActionRequestedMsg{Action: kinesisx.ActionSplit, Stream: "orders", ShardID: shardID(0)}, 120)
		if strings.Contains(flat(r), "carries") {
			t.Errorf("%s: no key carries most of the bytes:\n%s", name, plainView(r))
		}
	}
}

func TestMergePreviewsTheCombinedLoad(t *testing.T) {
	live := func(b, n float64) screen.ShardLoad {
		return screen.ShardLoad{BytesPerSec: b, RecordsPerSec: n, Source: "live, last minute"}
	}
	tests := []struct {
		name  string
		loads map[string]screen.ShardLoad
		want  []string
		not   string
	}{
		{"fits", map[string]screen.ShardLoad{shardID(1): live(200<<10, 100), shardID(0): live(100<<10, 50)},
			[]string{"merged: 300.0 KiB/s of 1 MiB/s (29%) · 150/s of 1,000 rec/s (15%) · live, last minute"}, "⚠"},
		{"near", map[string]screen.ShardLoad{shardID(1): live(500<<10, 400), shardID(0): live(400<<10, 100)},
			[]string{"⚠ merged: 900.0 KiB/s of 1 MiB/s (88%)", "near a shard's limit"}, "over"},
		{"over records", map[string]screen.ShardLoad{shardID(1): live(10<<10, 700),
			shardID(0): {BytesPerSec: 10 << 10, RecordsPerSec: 600, Source: "CloudWatch 12:04"}},
			[]string{"(130%)", "over a shard's limit, the merged shard would be throttled", "live, last minute + CloudWatch 12:04"}, "near"},
		{"unknown", map[string]screen.ShardLoad{shardID(1): live(1, 1)}, []string{"merged load unknown"}, "merged:"},
	}
	for _, tt := range tests {
		for _, w := range []int{80, 120} {
			f := fourShards()
			req := screen.ActionRequestedMsg{Action: kinesisx.ActionMerge, Stream: "orders", ShardID: shardID(1), Loads: tt.loads}
			r := newReshardAt(t, f, nil, req, w)
			s := flat(r)
			for _, want := range tt.want {
				if !strings.Contains(s, want) {
					t.Errorf("%s %d: the merge form lacks %q:\n%s", tt.name, w, want, plainView(r))
				}
			}
			if strings.Contains(s, tt.not) {
				t.Errorf("%s %d: the merge form says %q:\n%s", tt.name, w, tt.not, plainView(r))
			}
			press(r, "enter") // merge with shard 0, the first choice
			if s := flat(r); r.stage != stageConfirm || !strings.Contains(s, tt.want[0]) {
				t.Errorf("%s %d: the confirmation should preview the load:\n%s", tt.name, w, plainView(r))
			}
		}
	}
}

func newReshardAt(t *testing.T, f *fakeWriter, s *session.Traffic, req screen.ActionRequestedMsg, w int) *Reshard {
	t.Helper()
	return open(t, New(context.Background(), 1, req, deps(f, s)), w, 30).(*Reshard)
}
