package tail

import (
	"bufio"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/kinspect/kinspect/kinesisx"
	"github.com/kinspect/kinspect/ui/internal/uitest"
	"github.com/kinspect/kinspect/ui/screen"
)

func batchOf(recs ...kinesisx.Record) kinesisx.Batch {
	return kinesisx.Batch{Records: recs, Shards: map[string]kinesisx.ShardProgress{
		"shardId-000000000001": {MillisBehindLatest: 1200, Latency: 250 * time.Millisecond,
			Rates: kinesisx.Rates{BytesPerSec1s: 2048, RecordsPerSec1s: 40}},
	}}
}

func plain(m *Model) string { return ansi.Strip(m.View()) }

func TestPickerThenRecords(t *testing.T) {
	h := newHarness(t, Deps{}, 120, 20)
	if out := plain(h.m); !strings.Contains(out, "Start a tail of orders: shardId-000000000001") {
		t.Fatalf("the picker should open first:\n%s", out)
	}
	h.start()
	if got := h.tailer.opts[0]; got.Stream != "orders" || len(got.Shards) != 1 || got.From.Type != kinesisx.PositionLatest || got.Mode != kinesisx.ModePolling {
		t.Errorf("tail options %+v", got)
	}
	h.deliver(batchOf(record(1, 1, `{"a":1}`), record(1, 2, "hello world")))
	out := plain(h.m)
	for _, want := range []string{"● live", "2 of 2 kept", "user-1", "user-2", `{"a":1}`, "hello world", "lag max 1.2s", "latency 250ms", "in 2.0 KiB/s"} {
		if !strings.Contains(out, want) {
			t.Errorf("view lacks %q:\n%s", want, out)
		}
	}
	rates, ok := uitest.Find[screen.ShardRatesMsg](h.out)
	if !ok || rates.Stream != "orders" || rates.Shards["shardId-000000000001"].MillisBehindLatest != 1200 {
		t.Errorf("want a rates broadcast, got %v", h.out)
	}
	if sel := h.m.Selected(); sel == nil || sel.PartitionKey != "user-2" {
		t.Error("following should select the newest record")
	}
}

func TestRingDropsOldest(t *testing.T) {
	h := newHarness(t, Deps{Capacity: 5}, 100, 20)
	h.start()
	for i := range 8 {
		h.deliver(batchOf(record(1, i, "x")))
	}
	out := plain(h.m)
	if !strings.Contains(out, "5 of 5 kept") || !strings.Contains(out, "3 dropped from view") {
		t.Errorf("want 5 kept and 3 dropped:\n%s", out)
	}
	if strings.Contains(out, "user-2 ") || !strings.Contains(out, "user-3") {
		t.Errorf("the oldest should go first:\n%s", out)
	}
}

func TestRingByteBound(t *testing.T) {
	q := newRing(10, 10)
	for i := range 4 {
		q.push(kinesisx.Record{SequenceNumber: string(rune('a' + i)), Data: []byte("1234")}, nil)
	}
	if q.len() != 2 || q.bytes != 8 || q.at(q.first).SequenceNumber != "c" {
		t.Errorf("len %d bytes %d first %q", q.len(), q.bytes, q.at(q.first).SequenceNumber)
	}
	if q.at(0) != nil || q.at(q.next()) != nil {
		t.Error("at outside the buffer should be nil")
	}
}

func TestCursorStaysOnRecordWhileDropping(t *testing.T) {
	h := newHarness(t, Deps{Capacity: 6}, 100, 20)
	h.start()
	h.deliver(batchOf(record(1, 0, "a"), record(1, 1, "b"), record(1, 2, "c"), record(1, 3, "d")))
	h.press("up") // leaves follow mode, on user-2
	h.deliver(batchOf(record(1, 4, "e"), record(1, 5, "f"), record(1, 6, "g")))
	if sel := h.m.Selected(); sel == nil || sel.PartitionKey != "user-2" {
		t.Errorf("selection moved to %v", sel)
	}
	h.press("f")
	if sel := h.m.Selected(); sel.PartitionKey != "user-6" {
		t.Errorf("f should follow to the newest, on %s", sel.PartitionKey)
	}
}

func TestFilter(t *testing.T) {
	h := newHarness(t, Deps{}, 100, 20)
	h.start()
	h.deliver(batchOf(record(1, 1, "apple"), record(2, 2, "banana"), record(1, 13, "cherry"), record(2, 4, string(gz(`{"message":"level=ERROR disk full"}`)))))
	tests := []struct {
		query string
		want  []string
	}{
		{"user-1", []string{"user-1", "user-13"}},
		{"level=error", []string{"user-4"}},    // inside a gzip payload
		{"data:disk full", []string{"user-4"}}, // the same, data only
		{"key:^user-1$", []string{"user-1"}},
		{"data:AN", []string{"user-2"}},
		{"shard:2$", []string{"user-2", "user-4"}},
		{"!apple", []string{"user-2", "user-13", "user-4"}},
		{"", []string{"user-1", "user-2", "user-13", "user-4"}},
	}
	for _, tt := range tests {
		h.m.setFilter(tt.query)
		var got []string
		for i := 0; i < h.m.rows(); i++ {
			got = append(got, h.m.record(i).PartitionKey)
		}
		if strings.Join(got, ",") != strings.Join(tt.want, ",") {
			t.Errorf("filter %q shows %v, want %v", tt.query, got, tt.want)
		}
	}
	// Typed through the input, and a bad regex keeps the last good filter.
	h.press("/")
	for _, k := range uitest.Type("banana") {
		h.settle(h.m.Update(k))
	}
	h.press("(")
	if h.m.rows() != 1 || h.m.filterErr == nil {
		t.Errorf("rows %d err %v", h.m.rows(), h.m.filterErr)
	}
	// New records are filtered as they arrive.
	h.press("backspace", "enter")
	h.deliver(batchOf(record(1, 20, "banana split")))
	if h.m.rows() != 2 {
		t.Errorf("the new matching record should show, %d rows", h.m.rows())
	}
}

// TestFilterOffTheLoop: a typed filter searches a copy of the buffer in a
// Cmd; the key returns at once and the list keeps the old answer
// meanwhile; a key typed during a search waits for it, and the search for
// the older text is not shown; records that arrive meanwhile are searched
// when the answer comes.
func TestFilterOffTheLoop(t *testing.T) {
	h := newHarness(t, Deps{}, 100, 20)
	h.start()
	h.deliver(batchOf(record(1, 1, "apple pie"), record(1, 2, "banana bread"), record(1, 3, "cherry tart")))
	h.press("/")
	first := h.m.Update(uitest.Key("b")) // the search for "b", not run yet
	if h.m.rows() != 3 || !strings.Contains(plain(h.m), "searching…") {
		t.Fatalf("the key should return before the search: rows %d\n%s", h.m.rows(), plain(h.m))
	}
	if cmd := h.m.Update(uitest.Key("a")); cmd != nil { // "ba" waits for the search to end
		t.Error("a key typed during a search should not start another")
	}
	older, _ := uitest.Find[filteredMsg](uitest.Msgs(first))
	search := h.m.Update(older) // the answer for "b" starts the search for "ba"
	if h.m.rows() != 3 || search == nil {
		t.Fatalf("the answer for an older text should not show (rows %d) and the newest should be searched", h.m.rows())
	}
	h.deliver(batchOf(record(1, 4, "banana split"))) // arrives while it runs
	h.settle(search)
	var got []string
	for i := 0; i < h.m.rows(); i++ {
		got = append(got, h.m.record(i).PartitionKey)
	}
	if strings.Join(got, ",") != "user-2,user-4" || strings.Contains(plain(h.m), "searching…") {
		t.Errorf("filter ba shows %v, want the two bananas:\n%s", got, plain(h.m))
	}
}

func TestPauseResume(t *testing.T) {
	h := newHarness(t, Deps{}, 100, 20)
	h.start()
	h.deliver(batchOf(record(1, 1, "a")))
	h.press("space")
	h.deliver(batchOf(record(1, 2, "b"), record(1, 3, "c")))
	out := plain(h.m)
	if h.m.rows() != 1 || !strings.Contains(out, "paused (2 new)") {
		t.Errorf("paused screen changed: rows %d\n%s", h.m.rows(), out)
	}
	h.press("space")
	if h.m.rows() != 3 || !strings.Contains(plain(h.m), "● live") {
		t.Errorf("resume should append the pending records, rows %d", h.m.rows())
	}
}

func TestTailEnds(t *testing.T) {
	h := newHarness(t, Deps{}, 100, 12)
	h.start()
	s := h.tailer.last()
	s.End(errors.New("ExpiredIteratorException"))
	cmd := h.m.Update(h.m.sub.Wait()())
	em, ok := uitest.Find[screen.ErrorMsg](uitest.Msgs(cmd))
	if !ok || !strings.Contains(em.Err.Error(), "tail orders ended: ExpiredIteratorException") {
		t.Errorf("want the tail's error, got %v", em)
	}
	if !strings.Contains(plain(h.m), "■ stopped") {
		t.Error("an ended tail should say stopped")
	}
}

func TestCloseAndStaleStart(t *testing.T) {
	h := newHarness(t, Deps{}, 100, 12)
	h.start()
	first := h.tailer.last()
	// Restart from the picker: the first tail is closed, its late
	// results are dropped.
	h.press("o", "right")
	h.start()
	if !first.isClosed() {
		t.Error("restarting should close the previous tail")
	}
	if cmd := h.m.Update(subBatchMsg{screen: h.m.ID(), gen: h.m.sub.gen - 1, batch: batchOf(record(1, 1, "x"))}); cmd != nil || h.m.rows() != 0 {
		t.Error("a stale batch was taken")
	}
	if h.tailer.opts[1].From.Type != kinesisx.PositionTrimHorizon {
		t.Errorf("right should choose trim-horizon, got %v", h.tailer.opts[1].From)
	}
	// A stream that arrives for an abandoned start is closed.
	late := newFakeStream()
	if cmd := h.m.Update(subStartedMsg{screen: h.m.ID(), gen: h.m.sub.gen - 1, stream: late}); cmd != nil {
		cmd()
	}
	if !late.isClosed() {
		t.Error("a late stream should be closed")
	}
	second := h.tailer.last()
	h.m.Close()
	if !second.isClosed() {
		t.Error("Close should close the tail")
	}
}

func TestStartError(t *testing.T) {
	h := newHarness(t, Deps{Tailer: &fakeTailer{err: errors.New("ResourceNotFoundException")}}, 100, 12)
	cmd := h.press("enter")
	next := h.m.Update(cmd())
	em, ok := uitest.Find[screen.ErrorMsg](uitest.Msgs(next))
	if !ok || !strings.Contains(em.Err.Error(), "tail orders: ResourceNotFoundException") {
		t.Errorf("want a wrapped start error, got %v", em)
	}
}

func TestPickerPositions(t *testing.T) {
	tests := []struct {
		name     string
		keys     []string
		typed    string
		readOnly bool
		want     kinesisx.StartPosition
		efo      bool
		wantErr  string
	}{
		{name: "default", want: kinesisx.StartPosition{Type: kinesisx.PositionLatest}},
		{name: "-15m", keys: []string{"right", "right"}, want: kinesisx.StartPosition{Type: kinesisx.PositionAtTimestamp, Timestamp: t0.Add(-15 * time.Minute)}},
		{name: "custom", keys: []string{"left"}, typed: "after:123", want: kinesisx.StartPosition{Type: kinesisx.PositionAfterSequence, Sequence: "123"}},
		{name: "custom bad", keys: []string{"left"}, typed: "yesterday", wantErr: "bad start position"},
		{name: "efo", keys: []string{"tab", "right"}, want: kinesisx.StartPosition{Type: kinesisx.PositionLatest}, efo: true},
		{name: "efo read-only", keys: []string{"tab", "right"}, readOnly: true, want: kinesisx.StartPosition{Type: kinesisx.PositionLatest}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarnessC(t, screen.Common{ReadOnly: tt.readOnly}, Deps{}, 120, 12)
			h.press(tt.keys...)
			for _, k := range uitest.Type(tt.typed) {
				h.m.Update(k)
			}
			if tt.wantErr != "" {
				if cmd := h.press("enter"); cmd != nil || !strings.Contains(plain(h.m), tt.wantErr) {
					t.Errorf("want %q on screen:\n%s", tt.wantErr, plain(h.m))
				}
				return
			}
			h.start()
			got := h.tailer.opts[0]
			if got.From.Type != tt.want.Type || !got.From.Timestamp.Equal(tt.want.Timestamp) || got.From.Sequence != tt.want.Sequence || (got.Mode == kinesisx.ModeEFO) != tt.efo {
				t.Errorf("got %+v mode %v, want %+v efo %v", got.From, got.Mode, tt.want, tt.efo)
			}
		})
	}
}

func TestPickerHintFollowsMode(t *testing.T) {
	h := newHarness(t, Deps{}, 120, 12)
	polling, efo := "polling shares each shard's 5 reads/s", "EFO pushes each shard at its own 2 MiB/s"
	if out := plain(h.m); !strings.Contains(out, polling) || strings.Contains(out, efo) {
		t.Errorf("polling is chosen: want its hint only:\n%s", out)
	}
	h.press("tab", "right")
	if out := plain(h.m); !strings.Contains(out, efo) || strings.Contains(out, polling) {
		t.Errorf("EFO is chosen: want its hint only:\n%s", out)
	}
	h.press("left")
	if out := plain(h.m); !strings.Contains(out, polling) {
		t.Errorf("back to polling: want its hint:\n%s", out)
	}
}

func TestPickerEscBeforeStartGoesBack(t *testing.T) {
	h := newHarness(t, Deps{}, 100, 12)
	if _, ok := uitest.Find[screen.BackMsg](uitest.Msgs(h.press("esc"))); !ok {
		t.Error("esc on the first picker should go back")
	}
}

func TestExport(t *testing.T) {
	dir := t.TempDir()
	h := newHarness(t, Deps{ExportDir: dir}, 100, 12)
	h.start()
	agg := record(1, 2, "\xff\x00bin")
	agg.Aggregated, agg.SubSequence = true, 3
	h.deliver(batchOf(record(1, 1, `{"a":1}`), agg))
	msgs := uitest.Msgs(h.press("ctrl+s"))
	if len(msgs) != 1 {
		t.Fatalf("want one result, got %v", msgs)
	}
	info, ok := uitest.Find[screen.InfoMsg](uitest.Msgs(h.m.Update(msgs[0])))
	if !ok || !strings.Contains(info.Text, "exported 2 records to "+dir) {
		t.Fatalf("want where it went, got %v", info)
	}
	path := filepath.Join(dir, exportName("orders", t0, "jsonl"))
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var lines []map[string]any
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		var m map[string]any
		if err := json.Unmarshal(sc.Bytes(), &m); err != nil {
			t.Fatalf("line %q: %v", sc.Text(), err)
		}
		lines = append(lines, m)
	}
	if len(lines) != 2 {
		t.Fatalf("%d lines", len(lines))
	}
	if lines[0]["data"] != `{"a":1}` || lines[0]["encoding"] != "utf8" || lines[0]["subsequence"] != nil {
		t.Errorf("line 0: %v", lines[0])
	}
	if lines[1]["encoding"] != "base64" || lines[1]["data"] != "/wBiaW4=" || lines[1]["subsequence"] != float64(3) || lines[1]["aggregated"] != true {
		t.Errorf("line 1: %v", lines[1])
	}
	if lines[0]["arrival"] != "2026-11-26T07:30:00.001Z" {
		t.Errorf("arrival %v", lines[0]["arrival"])
	}
}

func TestExportCSV(t *testing.T) {
	dir := t.TempDir()
	h := newHarness(t, Deps{ExportDir: dir}, 100, 12)
	h.start()
	agg := record(1, 2, "\xff\x00bin")
	agg.Aggregated, agg.SubSequence = true, 3
	h.deliver(batchOf(record(1, 1, "a,\"b\"\nc"), agg))
	msgs := uitest.Msgs(h.press("ctrl+e"))
	if len(msgs) != 1 {
		t.Fatalf("want one result, got %v", msgs)
	}
	if info, ok := uitest.Find[screen.InfoMsg](uitest.Msgs(h.m.Update(msgs[0]))); !ok || !strings.Contains(info.Text, "exported 2 records to "+dir) {
		t.Fatalf("want where it went, got %v", info)
	}
	f, err := os.Open(filepath.Join(dir, exportName("orders", t0, "csv")))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	want := [][]string{
		{"arrival", "shard", "sequence", "subsequence", "partition_key", "explicit_hash_key", "encoding", "data"},
		{"2026-11-26T07:30:00.001Z", "shardId-000000000001", rows[1][2], "", "user-1", "", "utf8", "a,\"b\"\nc"},
		{rows[2][0], "shardId-000000000001", rows[2][2], "3", "user-2", "", "base64", "/wBiaW4="},
	}
	if fmt.Sprint(rows) != fmt.Sprint(want) {
		t.Errorf("csv\n got %q\nwant %q", rows, want)
	}
}

func TestDetailPaneAndWidths(t *testing.T) {
	for _, size := range [][2]int{{1, 1}, {20, 4}, {40, 7}, {80, 24}, {120, 40}, {200, 60}} {
		h := newHarness(t, Deps{}, size[0], size[1])
		h.start()
		h.deliver(batchOf(record(1, 1, `{"order":{"id":12345,"items":["a","b"]},"note":"`+strings.Repeat("long ", 60)+`"}`)))
		h.press("enter", "i")
		out := h.m.View()
		lines := strings.Split(out, "\n")
		if len(lines) != size[1] {
			t.Errorf("%v: %d lines", size, len(lines))
		}
		for _, l := range lines {
			if w := lipgloss.Width(l); w > size[0] {
				t.Errorf("%v: line %d cells wide: %q", size, w, ansi.Strip(l))
			}
		}
		if p := ansi.Strip(out); size[1] >= 24 && (!strings.Contains(p, `"order": {`) || !strings.Contains(p, "sequence")) {
			t.Errorf("%v: no detail pane:\n%s", size, p)
		}
	}
}

func TestShardStatsAndWheel(t *testing.T) {
	h := newHarness(t, Deps{}, 120, 20)
	h.start()
	for i := range 10 {
		h.deliver(batchOf(record(1, i, "x")))
	}
	h.press("i")
	if out := plain(h.m); !strings.Contains(out, "shardId-000000000001   lag 1.2s") {
		t.Errorf("i should list the shards:\n%s", out)
	}
	h.m.Update(tea.MouseWheelMsg{Button: tea.MouseWheelUp})
	if sel := h.m.Selected(); sel.PartitionKey != "user-6" || h.m.follow {
		t.Errorf("wheel up should scroll 3 rows and stop following, on %s", sel.PartitionKey)
	}
}

// TestFilterSaysWhatItSearched: with a filter set, records are filtered
// as they arrive (the buffer fills with matches), the status says how
// many were searched and how many went by unseen, and when some did, the
// screen offers the find command over the tail's window.
func TestFilterSaysWhatItSearched(t *testing.T) {
	h := newHarness(t, Deps{Capacity: 5}, 200, 20)
	h.start()
	h.m.setFilter("match")
	var recs []kinesisx.Record
	for i := 1; i <= 20; i++ {
		data := "noise"
		if i%7 == 0 {
			data = "a match"
		}
		recs = append(recs, record(1, i, data))
	}
	h.deliver(batchOf(recs...))
	out := plain(h.m)
	if h.m.rows() != 2 || !strings.Contains(out, "2 matches of 20 searched") || strings.Contains(out, "unseen") || strings.Contains(out, ":find") {
		t.Errorf("want the 2 matches of 20 searched, nothing unseen (%d rows):\n%s", h.m.rows(), out)
	}
	// Clear the filter: the buffer kept the matches only; 18 went by.
	h.m.setFilter("")
	if out := plain(h.m); !strings.Contains(out, "2 of 2 kept") || !strings.Contains(out, "18 dropped from view") {
		t.Errorf("without the filter:\n%s", out)
	}
	// Now 8 records arrive unfiltered into a buffer of 5, then a filter:
	// it searches the 5 kept and says the other 23 went by unseen.
	recs = recs[:0]
	for i := 21; i <= 28; i++ {
		recs = append(recs, record(1, i, fmt.Sprintf("banana %d", i)))
	}
	h.deliver(batchOf(recs...))
	h.m.setFilter("BANANA")
	out = plain(h.m)
	find := "find data:(?i)BANANA since:" + t0.UTC().Truncate(time.Second).Format(time.RFC3339) + " shard:shardId-000000000001"
	for _, want := range []string{"5 matches of 5 searched", "23 dropped unseen", "F runs :" + find} {
		if !strings.Contains(out, want) {
			t.Errorf("view lacks %q:\n%s", want, out)
		}
	}
	msgs := uitest.Msgs(h.press("F"))
	if run, ok := uitest.Find[screen.RunCommandMsg](msgs); !ok || run.Command != find {
		t.Errorf("F should open the find screen with %q: %v", find, msgs)
	}
	// An inverted filter has no find equivalent: the screen says so.
	h.m.setFilter("!banana")
	if out := plain(h.m); !strings.Contains(out, "find greps payloads (data:)") {
		t.Errorf("want the reason find cannot help:\n%s", out)
	}
}
