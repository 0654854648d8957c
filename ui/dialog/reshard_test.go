package dialog

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"testing"

	"github.com/kinspect/kinspect/kinesisx"
	"github.com/kinspect/kinspect/kinesisx/hashkey"
	"github.com/kinspect/kinspect/kinesisx/hotkeys"
	"github.com/kinspect/kinspect/session"
	"github.com/kinspect/kinspect/ui/internal/uitest"
	"github.com/kinspect/kinspect/ui/screen"
)

func newReshard(t *testing.T, f *fakeWriter, s *session.Traffic, a kinesisx.Action, shard string) *Reshard {
	req := screen.ActionRequestedMsg{Action: a, Stream: "orders", ShardID: shard}
	return open(t, New(context.Background(), 1, req, deps(f, s)), 120, 30).(*Reshard)
}

// skewed feeds shard 0 records with their traffic piled in its lowest
// eighth, as a tail would deliver them.
func skewed(f *fakeWriter) *session.Traffic {
	s := session.NewTraffic(0, hotkeys.Options{Seed: 1})
	r := f.shards[0].HashRange
	var b kinesisx.Batch
	for i := range 100 {
		k := hashkey.Key{Hi: r.End.Hi / 8 / 100 * uint64(i)}
		// 99 bytes of data plus a one-byte key: 100 bytes as the limits count.
		b.Records = append(b.Records, kinesisx.Record{Stream: "orders", ShardID: shardID(0), SequenceNumber: strconv.Itoa(i),
			PartitionKey: "k", ExplicitHashKey: k.String(), Data: make([]byte, 99)})
	}
	s.AddBatch("orders", b)
	return s
}

func TestSplitFlow(t *testing.T) {
	f := fourShards()
	halves := hashkey.Split(8)
	f.after = append([]kinesisx.Shard{
		{ID: shardID(0), HashRange: f.shards[0].HashRange},
		{ID: shardID(4), ParentID: shardID(0), HashRange: halves[0], Open: true},
		{ID: shardID(5), ParentID: shardID(0), HashRange: halves[1], Open: true},
	}, f.shards[1:]...)
	r := newReshard(t, f, skewed(f), kinesisx.ActionSplit, shardID(0))
	s := plainView(r)
	mid := kinesisx.MidpointKey(f.shards[0].HashRange)
	for _, want := range []string{"midpoint        " + mid.String() + "  keys 50/50%  traffic 100/0%", "traffic median", "traffic 50/50%", "from 100 records seen"} {
		if !strings.Contains(s, want) {
			t.Errorf("split form lacks %q:\n%s", want, s)
		}
	}
	press(r, "enter")
	if r.stage != stageConfirm || !strings.Contains(flat(r), "aws kinesis split-shard --stream-name orders --shard-to-split "+shardID(0)+" --new-starting-hash-key "+mid.String()) {
		t.Fatalf("enter should confirm the midpoint with the aws command (stage %d):\n%s", r.stage, plainView(r))
	}
	if strings.Contains(f.called(), "; split") {
		t.Fatal("nothing may change before y")
	}
	msgs := press(r, "y")
	if got := f.called(); got != "plan split "+shardID(0)+" at "+mid.String()+"; split "+shardID(0)+" at "+mid.String()+"; wait" {
		t.Errorf("calls: %s", got)
	}
	if c, ok := uitest.Find[screen.StreamChangedMsg](msgs); !ok || c.Stream != "orders" {
		t.Error("a finished split should tell the screens to reload")
	}
	s = plainView(r)
	for _, want := range []string{"split shard done", "lineage now", "  " + shardID(0) + "  closed", "    " + shardID(4) + "  open", "    " + shardID(5)} {
		if !strings.Contains(s, want) {
			t.Errorf("result lacks %q:\n%s", want, s)
		}
	}
}

func TestSplitMedianAndCustom(t *testing.T) {
	f := fourShards()
	r := newReshard(t, f, skewed(f), kinesisx.ActionSplit, shardID(0))
	press(r, "j", "enter")
	med, _ := kinesisx.MedianSplitKey(f.shards[0].HashRange, r.samples)
	if !strings.Contains(f.called(), "plan split "+shardID(0)+" at "+med.String()) {
		t.Errorf("the median choice should plan at %s: %s", med, f.called())
	}
	press(r, "n", "j")
	typeText(r, "12345")
	press(r, "enter")
	if !strings.Contains(f.called(), "at 12345") {
		t.Errorf("the custom key should be planned: %s", f.called())
	}
	// Without traffic the median is offered but not usable.
	f2 := fourShards()
	r2 := newReshard(t, f2, session.NewTraffic(0, hotkeys.Options{}), kinesisx.ActionSplit, shardID(1))
	press(r2, "j", "enter")
	if r2.stage != stageForm || !strings.Contains(plainView(r2), "no traffic seen yet") || strings.Contains(f2.called(), "plan") {
		t.Errorf("a median without traffic should explain itself:\n%s", plainView(r2))
	}
}

func TestReshardRefusals(t *testing.T) {
	onDemand := errors.New("cannot split shard: stream orders is ON_DEMAND, which Kinesis reshards itself")
	tests := []struct {
		name   string
		action kinesisx.Action
		shard  string
		setup  func(f *fakeWriter)
		want   string
	}{
		{"on demand", kinesisx.ActionSplit, shardID(0), func(f *fakeWriter) { f.planErr = onDemand }, "ON_DEMAND, which Kinesis reshards itself"},
		{"closed shard", kinesisx.ActionSplit, shardID(0), func(f *fakeWriter) { f.shards[0].Open = false }, "is closed"},
		{"no shard", kinesisx.ActionMerge, "", func(*fakeWriter) {}, "select an open shard"},
		{"scale out of range", kinesisx.ActionScale, "", func(f *fakeWriter) { f.planErr = errors.New("goes to between half and double") }, "between half and double"},
		{"read-only", kinesisx.ActionScale, "", func(f *fakeWriter) { f.planErr = kinesisx.ErrReadOnly }, "read-only mode refused it"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := fourShards()
			tt.setup(f)
			r := newReshard(t, f, nil, tt.action, tt.shard)
			press(r, "enter")
			if !strings.Contains(plainView(r), tt.want) || r.stage == stageConfirm {
				t.Errorf("want %q, stage %d:\n%s", tt.want, r.stage, plainView(r))
			}
			if strings.Contains(f.called(), "wait") {
				t.Error("nothing may change")
			}
		})
	}
}

func TestMergeOffersAdjacentOnly(t *testing.T) {
	f := fourShards()
	f.after = append(append([]kinesisx.Shard{}, f.shards...), kinesisx.Shard{ID: shardID(4), ParentID: shardID(1), AdjacentParentID: shardID(2),
		HashRange: hashkey.Range{Start: f.shards[1].HashRange.Start, End: f.shards[2].HashRange.End}, Open: true})
	f.after[1].Open, f.after[2].Open = false, false
	r := newReshard(t, f, nil, kinesisx.ActionMerge, shardID(1))
	s := plainView(r)
	if !strings.Contains(s, "merge with "+shardID(0)) || !strings.Contains(s, "merge with "+shardID(2)) || strings.Contains(s, "merge with "+shardID(3)) {
		t.Errorf("only shards 0 and 2 touch shard 1:\n%s", s)
	}
	press(r, "j", "enter", "y")
	if got := f.called(); !strings.Contains(got, "merge "+shardID(1)+" "+shardID(2)+"; wait") {
		t.Errorf("calls: %s", got)
	}
	if s := plainView(r); !strings.Contains(s, shardID(4)+"  open     50.0% of keys  merged from 1 + 2") {
		t.Errorf("the new lineage should show the merged child:\n%s", s)
	}
}

func TestScaleTarget(t *testing.T) {
	f := fourShards()
	r := newReshard(t, f, nil, kinesisx.ActionScale, "")
	if s := plainView(r); !strings.Contains(s, "target open shards 8") || !strings.Contains(s, "from 4 to between 2 and 8") {
		t.Errorf("scale should default to double and say the range:\n%s", s)
	}
	press(r, "left", "left", "enter")
	if !strings.Contains(flat(r), "aws kinesis update-shard-count --stream-name orders --target-shard-count 6") {
		t.Errorf("confirm the target with the aws command:\n%s", plainView(r))
	}
	press(r, "y")
	if !strings.Contains(f.called(), "scale 6; wait") || !strings.Contains(plainView(r), "update shard count done") {
		t.Errorf("calls %s:\n%s", f.called(), plainView(r))
	}
}

func TestReshardRunError(t *testing.T) {
	f := fourShards()
	f.runErr = errors.New("LimitExceededException: too many reshards")
	r := newReshard(t, f, nil, kinesisx.ActionScale, "")
	press(r, "enter", "y")
	if !strings.Contains(plainView(r), "LimitExceededException") || strings.Contains(f.called(), "wait") {
		t.Errorf("a failed reshard should say why and not wait:\n%s", plainView(r))
	}
}

// TestSplitPreviewsChildLoad: with the shard's incoming rate known, each
// split point shows the load each child would take, the traffic median
// halving it where the midpoint does not.
func TestSplitPreviewsChildLoad(t *testing.T) {
	f := fourShards()
	req := screen.ActionRequestedMsg{Action: kinesisx.ActionSplit, Stream: "orders", ShardID: shardID(0), InBytesPerSec: 20 << 10}
	r := open(t, New(context.Background(), 1, req, deps(f, skewed(f))), 140, 30).(*Reshard)
	s := plainView(r)
	for _, want := range []string{"traffic 100/0% → 20.0 KiB/s | 0 B/s", "traffic 50/50% → 10.0 KiB/s | 10.0 KiB/s"} {
		if !strings.Contains(s, want) {
			t.Errorf("split form lacks %q:\n%s", want, s)
		}
	}
}
