package shards

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/golden"

	"github.com/kinspect/kinspect/kinesisx"
	"github.com/kinspect/kinspect/kinesisx/hotkeys"
	"github.com/kinspect/kinspect/session"
	"github.com/kinspect/kinspect/ui/internal/uitest"
	"github.com/kinspect/kinspect/ui/screen"
	"github.com/kinspect/kinspect/ui/theme"
)

// skewedBatch is shard's traffic: one hot key carrying hot records among
// cold keys of one record each, plus a KPL aggregate of two sub-records.
func skewedBatch(shard string, hot, cold int) kinesisx.Batch {
	var b kinesisx.Batch
	add := func(key string, agg bool, sub int) {
		b.Records = append(b.Records, kinesisx.Record{Stream: "orders", ShardID: shard, SequenceNumber: fmt.Sprint(len(b.Records)),
			PartitionKey: key, Data: make([]byte, 90), Aggregated: agg, SubSequence: sub})
	}
	for i := range cold {
		add(fmt.Sprintf("cold-%03d", i), false, 0)
	}
	for range hot {
		add("customer-42", false, 0)
	}
	add("kpl-inner-a", true, 0)
	b.Records[len(b.Records)-1].SequenceNumber = "agg"
	add("kpl-inner-b", true, 1)
	b.Records[len(b.Records)-1].SequenceNumber = "agg"
	return b
}

func analysed(t testing.TB, shards []kinesisx.Shard, batches ...kinesisx.Batch) *session.Traffic {
	t.Helper()
	s := session.NewTraffic(0, hotkeys.Options{Seed: 7})
	s.SetShards("orders", shards)
	for _, b := range batches {
		s.AddBatch("orders", b)
	}
	return s
}

// TestHotBlockGolden renders one hot shard's block at two widths.
func TestHotBlockGolden(t *testing.T) {
	st := theme.New(theme.Plain())
	shards := evenShards(2)
	store := analysed(t, shards, skewedBatch(shardID(0), 60, 40))
	a, _ := store.Lookup("orders")
	stats, ok := a.Shard(shardID(0), hotTopKeys)
	if !ok {
		t.Fatal("no stats")
	}
	var b strings.Builder
	for _, w := range []int{80, 120} {
		for _, l := range hotBlock(st, stats, w) {
			if lw := ansi.StringWidth(l); lw != w && l != "" {
				t.Errorf("width %d: line is %d cells: %q", w, lw, l)
			}
			b.WriteString(ansi.Strip(l) + "|\n")
		}
	}
	golden.RequireEqual(t, b.String())
}

func hotModel(t *testing.T, sess *session.Session, ft *fakeTailer, w, h int) *Model {
	t.Helper()
	st := theme.New(theme.Plain())
	src := fakeSource{stream: kinesisx.Stream{Name: "orders", Status: "ACTIVE", RetentionHours: 24}, shards: evenShards(2)}
	d := Deps{Source: src, Session: sess, AutoLiveMax: -1}
	if ft != nil {
		d.Tailer = ft
	}
	m := New(context.Background(), 3, screen.Common{Styles: &st}, "orders", d)
	m.SetRefresh(0)
	m.SetSize(w, h)
	for _, msg := range uitest.Msgs(m.Init()) {
		m.Update(msg)
	}
	t.Cleanup(m.Close)
	return m
}

// TestHotKeysPanel: h opens the live tail when needed, what it reads
// reaches the analyser, and the panel shows the hot key first with a skew
// far above the uniform shard's.
func TestHotKeysPanel(t *testing.T) {
	sess := session.New(nil, hotkeys.Options{Seed: 3})
	store := sess.Traffic
	ft := &fakeTailer{}
	m := hotModel(t, sess, ft, 120, 40)
	cmd := m.Update(uitest.Key("h"))
	if cmd == nil || !m.hot || !m.tail.On() {
		t.Fatal("h should show the panel and start the live tail")
	}
	if !strings.Contains(plainView(m), "no traffic analysed yet") {
		t.Errorf("before any record the panel says why it is empty:\n%s", plainView(m))
	}
	m.Update(cmd())
	s := ft.streams[0]
	uniform := skewedBatch(shardID(1), 0, 50)
	b := skewedBatch(shardID(0), 150, 50)
	b.Records = append(b.Records, uniform.Records...)
	s.ch <- b
	m.Update(m.tail.Wait()())

	out := plainView(m)
	for _, want := range []string{"HOT KEYS", "hot keys", shardID(0) + "  skew 0.7", "hot key", "1 customer-42", "BY BYTES", "BY RECORDS", "% KPL"} {
		if !strings.Contains(out, want) {
			t.Errorf("panel lacks %q:\n%s", want, out)
		}
	}
	a, _ := store.Lookup("orders")
	hot, _ := a.Shard(shardID(0), 1)
	even, _ := a.Shard(shardID(1), 1)
	if hot.Skew < 0.6 || even.Skew > 0.1 {
		t.Errorf("skew: hot shard %.2f, uniform shard %.2f", hot.Skew, even.Skew)
	}
	// The panel starts at the cursor's shard.
	m.Update(uitest.Key("j"))
	if out := plainView(m); strings.Contains(out, "customer-42") || !strings.Contains(out, shardID(1)+"  skew 0.0") {
		t.Errorf("j should start the panel at shard 1:\n%s", out)
	}
	// h again goes back to the table.
	m.Update(uitest.Key("h"))
	if out := plainView(m); strings.Contains(out, "HOT KEYS") || !strings.Contains(out, "SHARD") {
		t.Errorf("h should bring the table back:\n%s", out)
	}
}

// TestHotKeysNarrow: at 80x24 every line fits.
func TestHotKeysNarrow(t *testing.T) {
	sess := session.New(nil, hotkeys.Options{})
	sess.Traffic = analysed(t, evenShards(2), skewedBatch(shardID(0), 150, 50))
	m := hotModel(t, sess, nil, 80, 22)
	m.Update(uitest.Key("h"))
	out := m.View()
	if !strings.Contains(ansi.Strip(out), "1 customer-42") {
		t.Errorf("the hot key should show at 80 cells:\n%s", ansi.Strip(out))
	}
	for _, l := range strings.Split(out, "\n") {
		if w := ansi.StringWidth(l); w > 80 {
			t.Errorf("line of %d cells: %q", w, ansi.Strip(l))
		}
	}
	if n := len(strings.Split(out, "\n")); n != 22 {
		t.Errorf("%d lines, want the height", n)
	}
}

func TestRebin(t *testing.T) {
	tests := []struct {
		in   []int64
		n    int
		want []float64
	}{
		{[]int64{1, 2, 3, 4}, 2, []float64{3, 7}},
		{[]int64{1, 2, 3, 4}, 8, []float64{1, 2, 3, 4}},
		{[]int64{5, 0, 0, 0, 0, 1}, 3, []float64{5, 0, 1}},
		{nil, 3, nil},
	}
	for _, tt := range tests {
		got := rebin(tt.in, tt.n)
		if fmt.Sprint(got) != fmt.Sprint(tt.want) {
			t.Errorf("rebin(%v, %d) = %v, want %v", tt.in, tt.n, got, tt.want)
		}
	}
}

// TestRetentionRisk: a shard whose iterator age leaves less than the
// threshold is flagged in the title, the info line and its row.
func TestRetentionRisk(t *testing.T) {
	st := theme.New(theme.Plain())
	src := fakeSource{stream: kinesisx.Stream{Name: "orders", Status: "ACTIVE", RetentionHours: 24}, shards: evenShards(2)}
	fm := fakeMetrics{StreamMetric{Minute: time.Now(), Shards: map[string]ShardMetric{
		shardID(0): {IteratorAgeMs: (20 * time.Hour).Milliseconds()},
		shardID(1): {IteratorAgeMs: 1500},
	}}}
	m := New(context.Background(), 1, screen.Common{Styles: &st}, "orders", Deps{Source: src, Metrics: fm})
	m.SetRefresh(0)
	m.SetSize(140, 10)
	for _, msg := range uitest.Msgs(tea2(m.Init(), m.Start())) {
		m.Update(msg)
	}
	out := plainView(m)
	for _, want := range []string{"⚠ 1 shard(s) at retention risk", "retention 24h − iterator age 20h = 4h left (at-risk)", "LEFT"} {
		if !strings.Contains(out, want) {
			t.Errorf("view lacks %q:\n%s", want, out)
		}
	}
	// A live tail's MillisBehindLatest is fresher than CloudWatch's age.
	m.observe(screen.ShardRatesMsg{Stream: "orders", Shards: map[string]kinesisx.ShardProgress{shardID(0): {MillisBehindLatest: 2000}}, At: time.Now()})
	if out := plainView(m); strings.Contains(out, "retention risk") {
		t.Errorf("a caught-up live tail clears the risk:\n%s", out)
	}
	// Losing: the age reached the retention.
	m.observe(screen.ShardRatesMsg{Stream: "orders", Shards: map[string]kinesisx.ShardProgress{shardID(0): {MillisBehindLatest: (25 * time.Hour).Milliseconds()}}, At: time.Now()})
	if out := plainView(m); !strings.Contains(out, "losing") {
		t.Errorf("an age beyond the retention is losing data:\n%s", out)
	}
}

func TestBenchKey(t *testing.T) {
	m := newLoaded(t, evenShards(2), false, 120, 10)
	msgs := uitest.Msgs(m.Update(uitest.Key("b")))
	if rc, ok := uitest.Find[screen.RunCommandMsg](msgs); !ok || rc.Command != "bench" {
		t.Errorf("b should ask for the latency lab, got %v", msgs)
	}
	ro := newLoaded(t, evenShards(2), true, 120, 10)
	// Read-only: b still asks, and the root's guard says why not.
	if rc, ok := uitest.Find[screen.RunCommandMsg](uitest.Msgs(ro.Update(uitest.Key("b")))); !ok || rc.Command != "bench" {
		t.Errorf("b should ask the root in read-only mode too")
	}
}

// TestSplitRequestCarriesRate: the split dialog is told the shard's
// incoming rate, the live minute average first, for its load preview.
func TestSplitRequestCarriesRate(t *testing.T) {
	m := newLoaded(t, evenShards(2), false, 120, 10)
	m.observe(screen.ShardRatesMsg{Stream: "orders", At: time.Now(), Shards: map[string]kinesisx.ShardProgress{
		shardID(0): {Rates: kinesisx.Rates{BytesPerSec1s: 900, BytesPerSec60s: 500}}}})
	req, ok := uitest.Find[screen.ActionRequestedMsg](uitest.Msgs(m.Update(uitest.Key("s"))))
	if !ok || req.ShardID != shardID(0) || req.InBytesPerSec != 500 {
		t.Errorf("split request %+v", req)
	}
}
