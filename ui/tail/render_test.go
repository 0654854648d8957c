package tail

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"strings"
	"testing"
	"time"

	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/golden"

	"github.com/kinspect/kinspect/kinesisx"
	"github.com/kinspect/kinspect/kinesisx/protodec"
	"github.com/kinspect/kinspect/kinesisx/protodec/prototest"
	"github.com/kinspect/kinspect/ui/internal/uitest"
	"github.com/kinspect/kinspect/ui/theme"
)

func gz(s string) []byte {
	var b bytes.Buffer
	w := gzip.NewWriter(&b)
	w.Write([]byte(s))
	w.Close()
	return b.Bytes()
}

// payloadSamples are payloads of every kind the screen decodes.
func payloadSamples() []kinesisx.Record {
	recs := []kinesisx.Record{
		record(1, 1, `{"user":"ann","n":1,"tags":["a","b"]}`),
		record(12, 22, "plain text line\nsecond line\twith tab"),
		record(3, 333, "\x1b[31mred?\x1b[0m \x07bell"),
		record(4, 4444, "\x00\x01\x02\xff\xfe binary"),
		record(5, 5, ""),
	}
	recs = append(recs, record(6, 6, ""))
	recs[5].Data = gz(`{"messageType":"DATA_MESSAGE","logEvents":[{"id":"1","message":"hello"}]}`)
	recs[5].Aggregated, recs[5].SubSequence = true, 2
	recs[5].ExplicitHashKey = "170141183460469231731687303715884105728"
	return recs
}

func TestRecordRowsGolden(t *testing.T) {
	st := theme.New(theme.Plain())
	var b strings.Builder
	for _, w := range []int{72, 110} {
		tb := allColumns.table("PAYLOAD")
		b.WriteString(tb.Header(w) + "|\n")
		for _, r := range payloadSamples() {
			line := tb.Line(recordCells(st, &r, payloadDecoder{}.Preview(r.Data, allColumns.previewWidth(w)), allColumns), w)
			if lw := lipgloss.Width(line); lw != w {
				t.Errorf("row is %d cells, want %d", lw, w)
			}
			b.WriteString(ansi.Strip(line) + "|\n")
		}
	}
	golden.RequireEqual(t, b.String())
}

func TestRecordDetailGolden(t *testing.T) {
	st := theme.New(theme.Plain())
	var b strings.Builder
	for i, r := range payloadSamples() {
		fmt.Fprintf(&b, "--- record %d\n", i)
		d := buildDetail(st, &r, payloadDecoder{}, 60, rawDecoded, time.UTC)
		for _, l := range d.view(st.JSON, 0, len(d.lines)) {
			if lw := lipgloss.Width(l); lw != 60 {
				t.Errorf("detail line is %d cells, want 60", lw)
			}
			b.WriteString(strings.TrimRight(ansi.Strip(l), " ") + "\n")
		}
	}
	golden.RequireEqual(t, b.String())
}

func TestNoControlCharactersReachTheScreen(t *testing.T) {
	st := theme.Styles{} // renders no escape sequences of its own
	for _, r := range payloadSamples() {
		r.PartitionKey = "k\x1b[2J\x07"
		var lines []string
		for _, raw := range []rawMode{rawDecoded, rawText, rawHex} {
			d := buildDetail(st, &r, payloadDecoder{}, 50, raw, time.UTC)
			lines = append(lines, d.view(st.JSON, 0, len(d.lines))...)
		}
		lines = append(lines, allColumns.table("PAYLOAD").Line(recordCells(st, &r, payloadDecoder{}.Preview(r.Data, 40), allColumns), 100))
		for _, l := range lines {
			for _, c := range l {
				if c < 0x20 || c == 0x7f {
					t.Errorf("control character %q in %q", c, l)
				}
			}
		}
	}
}

// BenchmarkTailView renders the tail screen with a full 10,000-record
// buffer at 200x60, the detail pane closed and then open.
func BenchmarkTailView(b *testing.B) {
	for _, detail := range []bool{false, true} {
		b.Run(fmt.Sprintf("detail=%v", detail), func(b *testing.B) {
			h := newHarness(b, Deps{}, 200, 60)
			h.start()
			recs := make([]kinesisx.Record, 0, 500)
			for i := range DefaultCapacity + 500 {
				recs = append(recs, record(i%8, i, fmt.Sprintf(`{"order":%d,"user":"u-%d","amount":%d.50,"items":["x","y"]}`, i, i%97, i%1000)))
				if len(recs) == cap(recs) {
					h.m.ingest(kinesisx.Batch{Records: recs, Shards: map[string]kinesisx.ShardProgress{"shardId-000000000001": {}}}, nil)
					recs = make([]kinesisx.Record, 0, 500)
				}
			}
			if detail {
				h.press("enter")
			}
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				// A new record each frame, as while tailing: previews of
				// the rows scrolled in are computed, the rest cached.
				h.m.ingest(kinesisx.Batch{Records: []kinesisx.Record{record(1, i, `{"k":1}`)}}, nil)
				h.m.Update(nil)
				_ = h.m.View()
				i++
			}
		})
	}
}

// BenchmarkTailFilter applies a filter to a full 10,000-record buffer, as
// each key typed after / does: JSON payloads, and gzip CloudWatch Logs-like
// payloads that the filter inflates.
func BenchmarkTailFilter(b *testing.B) {
	for _, kind := range []string{"json", "gzip"} {
		b.Run(kind, func(b *testing.B) {
			h := newHarness(b, Deps{}, 200, 60)
			h.start()
			recs := make([]kinesisx.Record, 0, DefaultCapacity)
			for i := range DefaultCapacity {
				doc := fmt.Sprintf(`{"messageType":"DATA_MESSAGE","logGroup":"/aws/lambda/orders","logEvents":[{"id":"%d","timestamp":%d,"message":"INFO order %d paid by u-%d"}]}`, i, 1764150000000+i, i, i%97)
				data := []byte(doc)
				if kind == "gzip" {
					data = gz(doc)
				}
				recs = append(recs, record(i%8, i, string(data)))
			}
			h.m.ingest(kinesisx.Batch{Records: recs}, nil)
			b.ReportAllocs()
			for b.Loop() {
				h.m.setFilter("level=ERROR")
			}
		})
	}
}

// BenchmarkTailFilterKey is one key typed in the filter over a full
// 10,000-record buffer of gzip payloads: "update" is the Update call the
// event loop makes (it parses the filter, copies the buffer and returns
// the search), "search" is that search (a Cmd, off the loop) plus the
// Update that shows its answer: the time until the filtered view arrives
// ("search-regex": the same for a query that needs the regex engine).
func BenchmarkTailFilterKey(b *testing.B) {
	h := newHarness(b, Deps{}, 200, 60)
	h.start()
	recs := make([]kinesisx.Record, 0, DefaultCapacity)
	for i := range DefaultCapacity {
		doc := fmt.Sprintf(`{"messageType":"DATA_MESSAGE","logGroup":"/aws/lambda/orders","logEvents":[{"id":"%d","timestamp":%d,"message":"INFO order %d paid by u-%d"}]}`, i, 1764150000000+i, i, i%97)
		recs = append(recs, record(i%8, i, string(gz(doc))))
	}
	h.m.ingest(kinesisx.Batch{Records: recs}, unwrapAll(recs)) // as the batch's Cmd unwraps them
	h.press("/")
	key := uitest.Key("R")
	for _, phase := range []string{"update", "search", "search-regex"} {
		typed := "level=ERRO" // plain text: no regex engine
		if phase == "search-regex" {
			typed = "level=ERR." // a regex over the kept unwrapped payloads
		}
		b.Run(phase, func(b *testing.B) {
			b.ReportAllocs()
			for range b.N {
				h.m.filter.SetValue(typed)
				if phase != "update" {
					b.StopTimer()
				}
				cmd := h.m.Update(key)
				if phase == "update" {
					b.StopTimer()
				} else {
					b.StartTimer()
				}
				if cmd == nil {
					b.Fatal("no search")
				}
				h.m.Update(cmd())
				if phase == "update" {
					b.StartTimer()
				}
			}
		})
	}
}

func TestProtoDecoder(t *testing.T) {
	set := prototest.OrderSet(t)
	d, err := protodec.New(set, "shop.v1.Order")
	if err != nil {
		t.Fatal(err)
	}
	dec := ProtoDecoder(d)
	data := prototest.Order(t, set, "o-7", 250, "tea")
	if got := dec.Preview(data, 80); got != `{"id":"o-7","amountCents":"250","items":["tea"]}` {
		t.Errorf("Preview = %q", got)
	}
	if got := dec.Detail(data); !strings.HasPrefix(got, "protobuf shop.v1.Order, ") || !strings.Contains(got, `"id": "o-7"`) {
		t.Errorf("Detail =\n%s", got)
	}
	// Not an order: said so, then shown as the built-in decoder shows it.
	if got := dec.Detail([]byte(`{"x":1}`)); !strings.HasPrefix(got, "not a shop.v1.Order") || !strings.Contains(got, `"x": 1`) {
		t.Errorf("Detail of JSON =\n%s", got)
	}
	if got := dec.Preview([]byte("hello"), 80); got != "hello" {
		t.Errorf("Preview of text = %q", got)
	}

	// The filter looks into the decoded message.
	h := newHarness(t, Deps{Decoder: dec}, 100, 20)
	h.start()
	h.deliver(batchOf(record(1, 1, string(data)), record(1, 2, string(prototest.Order(t, set, "o-8", 10, "cake")))))
	h.m.setFilter(`"items":\["cake"`)
	if h.m.rows() != 1 || h.m.record(0).PartitionKey != "user-2" {
		t.Errorf("filter into protobuf shows %d rows", h.m.rows())
	}
}

// TestTailShowsWhatItsReadsCost: the tail says what its reads take from
// the shards' shared read limits (issue 11), so kinspect is never mistaken
// for what throttles production consumers.
func TestTailShowsWhatItsReadsCost(t *testing.T) {
	h := newHarness(t, Deps{}, 200, 20)
	h.start()
	cost := kinesisx.TailCost{ReadCost: kinesisx.ReadCost{CallsPerSec: 12, BytesPerSec: 1 << 20}, Shards: 4, Budget: 50}
	small := cost
	small.BytesPerSec = 1200
	h.m.ingest(kinesisx.Batch{Shards: map[string]kinesisx.ShardProgress{"shardId-000000000001": {}}, Cost: cost}, nil)
	if v := ansi.Strip(h.m.View()); !strings.Contains(v, "kinspect reads 12.0 calls/s (60% of 5/s per shard), 1.00 MiB/s (12% of 2 MiB/s per shard) over 4 shards") {
		t.Errorf("the tail should say what its reads cost:\n%s", v)
	}
	// A small rate is spelled in KiB/s, never as 0.00 MiB/s.
	h.m.ingest(kinesisx.Batch{Cost: small}, nil)
	if v := ansi.Strip(h.m.View()); !strings.Contains(v, "1.2 KiB/s (0% of 2 MiB/s per shard)") {
		t.Errorf("a small read rate should read in KiB/s:\n%s", v)
	}
}
