package tail

import (
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"

	"github.com/kinspect/kinspect/kinesisx"
	"github.com/kinspect/kinspect/ui/theme"
)

// longRecord is a record whose payload is far wider than a row.
func longRecord(i int) kinesisx.Record {
	var b strings.Builder
	for j := range 40 {
		b.WriteString("w")
		b.WriteString(strings.Repeat(string(rune('a'+j%26)), 3))
		b.WriteString(" ")
	}
	return record(1, i, b.String())
}

// header is the list's column header line of a view.
func header(view string) string {
	for _, l := range strings.Split(view, "\n") {
		if strings.HasPrefix(l, "TIME") {
			return l
		}
	}
	return ""
}

func TestColumnsHideAtNarrowWidths(t *testing.T) {
	for _, tt := range []struct {
		width int
		keys  []string
		want  bool // SEQUENCE and SIZE shown
	}{
		{80, nil, false}, {99, nil, false}, {100, nil, true}, {120, nil, true},
		{80, []string{"c"}, true},        // all
		{120, []string{"c", "c"}, false}, // compact
		{120, []string{"c", "c", "c"}, true},
	} {
		h := newHarness(t, Deps{}, tt.width, 24)
		h.start()
		h.deliver(batchOf(record(1, 1, "hello")))
		h.press(tt.keys...)
		hd := header(plain(h.m))
		if got := strings.Contains(hd, "SEQUENCE") && strings.Contains(hd, "SIZE"); got != tt.want {
			t.Errorf("width %d after %v: header %q", tt.width, tt.keys, hd)
		}
		if got := strings.Contains(plain(h.m), "…00000001"); got != tt.want {
			t.Errorf("width %d after %v: sequence column shown %v, want %v", tt.width, tt.keys, got, tt.want)
		}
	}
	// At 80 cells the payload gets the room the hidden columns leave.
	h := newHarness(t, Deps{}, 80, 24)
	h.start()
	h.deliver(batchOf(longRecord(1)))
	if !strings.Contains(plain(h.m), "waaa wbbb wccc wddd weee wfff wggg whhh") {
		t.Errorf("80 cells should show 40 cells of payload:\n%s", plain(h.m))
	}
}

func TestPayloadScrollsAndWraps(t *testing.T) {
	h := newHarness(t, Deps{}, 80, 24)
	h.start()
	h.deliver(batchOf(longRecord(1), longRecord(2)))
	if v := plain(h.m); strings.Contains(v, "wnnn") {
		t.Fatalf("the start of the payload should fill the row:\n%s", v)
	}
	h.press("l", "l", "l") // 48 cells
	v := plain(h.m)
	if !strings.Contains(v, "wmmm wnnn") || strings.Contains(v, "waaa") {
		t.Errorf("after 3 scrolls right the payload should start 48 cells in:\n%s", v)
	}
	if !strings.Contains(header(v), "PAYLOAD from cell 49") {
		t.Errorf("the header should say the payload is scrolled: %q", header(v))
	}
	h.press("h", "left", "left", "left")
	if v := plain(h.m); !strings.Contains(v, "waaa") || strings.Contains(header(v), "from cell") {
		t.Errorf("left should scroll back to the start:\n%s", v)
	}

	h.press("w")
	v = plain(h.m)
	lines := strings.Split(v, "\n")
	var rows []string
	for _, l := range lines {
		if strings.Contains(l, "w") && (strings.Contains(l, "user-") || strings.HasPrefix(l, "      ")) {
			rows = append(rows, l)
		}
	}
	// 200 cells of payload in 42-cell pieces: 5 lines per record.
	if len(rows) != 10 || !strings.Contains(rows[1], "wjjj") || !strings.HasPrefix(rows[1], strings.Repeat(" ", 37)) {
		t.Errorf("wrapped rows should continue under the payload column, got %d:\n%s", len(rows), v)
	}
	if !strings.Contains(header(v), "wrapped") {
		t.Errorf("the header should say payloads are wrapped: %q", header(v))
	}
	if len(lines) != 24 {
		t.Errorf("wrapped view has %d lines", len(lines))
	}

	// Many wrapped records: the selected one stays on screen.
	var recs []kinesisx.Record
	for i := 3; i < 40; i++ {
		recs = append(recs, longRecord(i))
	}
	h.deliver(batchOf(recs...))
	if v := plain(h.m); !strings.Contains(v, "user-39 ") {
		t.Errorf("following, the newest wrapped record should show:\n%s", v)
	}
	h.press("home", "j", "j")
	if v := plain(h.m); !strings.Contains(v, "user-3 ") {
		t.Errorf("the selected wrapped record should show:\n%s", v)
	}
}

func TestTimeZoneToggle(t *testing.T) {
	h := newHarness(t, Deps{}, 120, 30)
	h.m.look.localLoc = time.FixedZone("CET", 3600)
	h.start()
	h.deliver(batchOf(record(1, 1, "hello")))
	h.press("enter")
	v := plain(h.m)
	if !strings.HasPrefix(header(v), "TIME UTC") || !strings.Contains(v, "07:30:00.001") || !strings.Contains(v, "2026-11-26 07:30:00.001 UTC") {
		t.Errorf("times should be in UTC by default:\n%s", v)
	}
	h.press("T")
	v = plain(h.m)
	if !strings.HasPrefix(header(v), "TIME CET") || !strings.Contains(v, "08:30:00.001") || !strings.Contains(v, "2026-11-26 08:30:00.001 CET") {
		t.Errorf("T should show local times, labelled:\n%s", v)
	}
	h.press("T")
	if v := plain(h.m); !strings.HasPrefix(header(v), "TIME UTC") {
		t.Errorf("T again should go back to UTC: %q", header(v))
	}
}

func TestDetailRawAndHex(t *testing.T) {
	h := newHarness(t, Deps{}, 100, 30)
	h.start()
	h.deliver(batchOf(record(1, 1, ""), record(1, 2, "")))
	h.m.buf.at(h.m.buf.first + 1).Data = gz(`{"a":1}`)
	h.press("enter")
	if v := plain(h.m); !strings.Contains(v, `"a": 1`) || !strings.Contains(v, "gzip:") {
		t.Fatalf("decoded view should inflate and pretty-print:\n%s", v)
	}
	h.press("x")
	if v := plain(h.m); !strings.Contains(v, "raw, as stored (") || strings.Contains(v, `"a": 1`) {
		t.Errorf("x should show the bytes as stored:\n%s", v)
	}
	h.press("x")
	if v := plain(h.m); !strings.Contains(v, "hex, as stored (") || !strings.Contains(v, "00000000  1f 8b") {
		t.Errorf("x again should show a hex dump:\n%s", v)
	}
	h.press("x")
	if v := plain(h.m); !strings.Contains(v, `"a": 1`) {
		t.Errorf("x a third time should go back to decoded:\n%s", v)
	}
}

func TestClassifyJSON(t *testing.T) {
	line := `  "a\"b": "x: y", "n": -1.5e3, "t": true, "z": null, "l": [1]`
	cls := classifyJSON(line)
	at := func(sub string) jsonClass { return cls[strings.Index(line, sub)] }
	for sub, want := range map[string]jsonClass{
		`"a\"b"`: jsonKey, `"x: y"`: jsonString, `-1.5e3`: jsonNumber, `true`: jsonLiteral,
		`null`: jsonLiteral, `[`: jsonPunct, `, "n"`: jsonPunct, `y"`: jsonString,
	} {
		if got := at(sub); got != want {
			t.Errorf("%s: class %d, want %d", sub, got, want)
		}
	}
	if cls[0] != jsonNone {
		t.Errorf("indent should not be coloured")
	}
}

func TestJSONColouredOnlyWhereVisible(t *testing.T) {
	h := newHarness(t, Deps{}, 100, 20)
	st := *h.m.st
	var doc strings.Builder
	doc.WriteString(`{"head":"` + strings.Repeat("long ", 50) + `"`)
	for i := range 500 {
		doc.WriteString(`,"k` + strings.Repeat("x", i%5) + `":` + "123")
	}
	doc.WriteString("}")
	r := record(1, 1, doc.String())
	d := buildDetail(st, &r, payloadDecoder{}, 40, rawDecoded, time.UTC)
	if len(d.logical) < 500 {
		t.Fatalf("%d JSON lines", len(d.logical))
	}
	d.view(st.JSON, 12, 10) // from a piece of the wrapped "head" line
	if len(d.classes) > 10 {
		t.Errorf("%d lines classified for 10 on screen", len(d.classes))
	}
	// The pieces of a wrapped line keep their colours: the string's
	// continuation is a string.
	js := theme.New(theme.Dark()).JSON
	d = buildDetail(st, &r, payloadDecoder{}, 40, rawDecoded, time.UTC)
	out := strings.Join(d.view(js, 0, len(d.lines)), "\n")
	for _, want := range []string{js.Key.Paint(`"head"`) + js.Punct.Paint(":"), js.Number.Paint("123"), js.Key.Paint(`"kxx"`)} {
		if !strings.Contains(out, want) {
			t.Errorf("missing %q", want)
		}
	}
	cont := 0
	for i, l := range d.lines {
		if l.lg >= 0 && l.off > 0 && !strings.Contains(l.text, `"`) {
			cont++
			if got := d.view(js, i, 1)[0]; !strings.HasPrefix(got, js.String.Paint(l.text)) {
				t.Errorf("continuation %q painted %q", l.text, got)
			}
		}
	}
	if cont < 3 {
		t.Errorf("%d continuation pieces of the long string", cont)
	}
	// A text payload is not coloured, nor is metadata.
	r = record(1, 2, `[INFO] "quoted": 12 true`)
	d = buildDetail(st, &r, payloadDecoder{}, 40, rawDecoded, time.UTC)
	for _, l := range d.lines {
		if l.lg >= 0 {
			t.Errorf("text taken for JSON: %q", l.text)
		}
	}
}

// TestEveryLookFits: whatever the look (wrapped, scrolled, columns, raw or
// hex detail, local time), the view has the screen's height and no line
// is wider than the screen, from 1x1 to 200x60.
func TestEveryLookFits(t *testing.T) {
	looks := [][]string{{"w"}, {"l", "l", "l"}, {"c"}, {"c", "c"}, {"x"}, {"x", "x"}, {"T", "w", "x"}, {"g"}, {"Y"}}
	for _, size := range [][2]int{{1, 1}, {20, 4}, {40, 7}, {80, 24}, {120, 40}, {200, 60}} {
		for _, keys := range looks {
			h := newHarness(t, Deps{}, size[0], size[1])
			h.start()
			h.deliver(batchOf(longRecord(1), record(1, 2, `{"order":{"id":12345},"note":"`+strings.Repeat("long ", 60)+`"}`), longRecord(3)))
			h.press("enter", "k")
			h.press(keys...)
			lines := strings.Split(h.m.View(), "\n")
			if len(lines) != size[1] {
				t.Errorf("%v %v: %d lines", size, keys, len(lines))
			}
			for _, l := range lines {
				if w := ansi.StringWidth(l); w > size[0] {
					t.Errorf("%v %v: line %d cells wide: %q", size, keys, w, ansi.Strip(l))
				}
			}
		}
	}
}
