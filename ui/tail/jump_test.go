package tail

import (
	"context"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/kinspect/kinspect/kinesisx"
	"github.com/kinspect/kinspect/ui/internal/uitest"
	"github.com/kinspect/kinspect/ui/screen"
	"github.com/kinspect/kinspect/ui/theme"
)

func TestParseJump(t *testing.T) {
	cet := time.FixedZone("CET", 3600)
	seq := "49630000000000000000000000000000000000000000000000000042"
	for _, tt := range []struct {
		in   string
		loc  *time.Location
		want string // StartPosition.String(), or "error"
	}{
		{"-15m", time.UTC, "2026-11-26T07:15:00Z"},
		{"2026-11-26T06:00:00Z", time.UTC, "2026-11-26T06:00:00Z"},
		{"07:10", time.UTC, "2026-11-26T07:10:00Z"},
		{"7:10:30", time.UTC, "2026-11-26T07:10:30Z"},
		{"10:42", time.UTC, "2026-11-25T10:42:00Z"}, // still to come today: yesterday
		{"08:10", cet, "2026-11-26T08:10:00+01:00"}, // 07:10 UTC
		{seq, time.UTC, "at:" + seq},
		{"at:" + seq, time.UTC, "at:" + seq},
		{"trim-horizon", time.UTC, "trim-horizon"},
		{"", time.UTC, "error"},
		{"soon", time.UTC, "error"},
		{"25:00", time.UTC, "error"},
		{"10:61", time.UTC, "error"},
		{"2027-01-01T00:00:00Z", time.UTC, "error"}, // the future
	} {
		pos, err := parseJump(tt.in, t0, tt.loc)
		got := pos.String()
		if err != nil {
			got = "error"
		}
		if got != tt.want {
			t.Errorf("parseJump(%q) = %s (%v), want %s", tt.in, got, err, tt.want)
		}
	}
}

func TestJumpRestartsTheTail(t *testing.T) {
	h := newHarness(t, Deps{}, 80, 24)
	h.start()
	h.deliver(batchOf(record(1, 1, "a"), record(1, 2, "b")))
	h.press("g")
	if !h.m.Capturing() || !strings.Contains(plain(h.m), "jump to") {
		t.Fatalf("g should open the jump input:\n%s", plain(h.m))
	}
	// Bad input: one clear line, the tail untouched.
	for _, k := range uitest.Type("soon") {
		h.m.Update(k)
	}
	h.press("enter")
	if v := plain(h.m); !strings.Contains(v, `"soon" is not a time (10:42, -15m, RFC 3339) nor a sequence number`) || len(h.tailer.opts) != 1 || h.m.rows() != 2 {
		t.Errorf("bad input should say why and change nothing (tails %d, rows %d):\n%s", len(h.tailer.opts), h.m.rows(), v)
	}
	// Typing clears the error.
	h.press("backspace", "backspace", "backspace", "backspace")
	if strings.Contains(plain(h.m), "is not a time") {
		t.Error("editing should clear the error")
	}
	for _, k := range uitest.Type("-15m") {
		h.m.Update(k)
	}
	cmd := h.press("enter")
	if h.m.Capturing() {
		t.Error("enter should close the jump input")
	}
	h.open(cmd)
	if len(h.tailer.opts) != 2 {
		t.Fatalf("the tail should restart: %d tails", len(h.tailer.opts))
	}
	o := h.tailer.opts[1]
	if o.From.Type != kinesisx.PositionAtTimestamp || !o.From.Timestamp.Equal(t0.Add(-15*time.Minute)) || o.Shards[0] != "shardId-000000000001" {
		t.Errorf("restarted with %+v", o)
	}
	if h.m.rows() != 0 || !h.tailer.streams[0].isClosed() {
		t.Errorf("the old tail should be closed and its records gone (%d rows)", h.m.rows())
	}
	// esc closes the input and changes nothing.
	h.press("g", "1", "esc")
	if h.m.Capturing() || len(h.tailer.opts) != 2 {
		t.Error("esc should cancel the jump")
	}
}

func TestJumpToASequenceNeedsOneShard(t *testing.T) {
	ft := &fakeTailer{}
	st := theme.New(theme.Plain())
	m := New(context.Background(), 5, screen.Common{Styles: &st}, "orders", nil, Deps{Tailer: ft, Now: func() time.Time { return t0 }})
	t.Cleanup(m.Close)
	m.SetSize(100, 20)
	cmd := m.StartAt("at:4963", "")
	_ = cmd // the custom field's cursor blink, if any
	if !m.picker.open || ft.opts != nil {
		t.Fatal("a sequence number on the whole stream should leave the picker open")
	}
	if v := plain(m); !strings.Contains(v, "a sequence number belongs to one shard") || !strings.Contains(v, "at:4963") {
		t.Errorf("the picker should show the text and why:\n%s", v)
	}
}

func TestStartAtFocusesTheRecord(t *testing.T) {
	h := newHarness(t, Deps{}, 100, 12)
	focus := record(1, 3, "c").SequenceNumber
	h.open(h.m.StartAt("at:"+focus, focus))
	if h.m.picker.open || !h.m.sub.Open() {
		t.Fatal("StartAt should start the tail without the picker")
	}
	if o := h.tailer.opts[0]; o.From.Type != kinesisx.PositionAtSequence || o.From.Sequence != focus {
		t.Errorf("started from %v", o.From)
	}
	// AT_SEQUENCE_NUMBER: the record comes first; its time known, the
	// tail restarts 5 s before it, on the same shard.
	first := h.tailer.last()
	first.ch <- batchOf(record(1, 3, "c"), record(1, 4, "d"))
	h.open(h.m.Update(h.m.sub.Wait()()))
	if len(h.tailer.opts) != 2 || !first.isClosed() {
		t.Fatalf("the tail should restart before the record (%d tails)", len(h.tailer.opts))
	}
	if o := h.tailer.opts[1]; o.From.Type != kinesisx.PositionAtTimestamp || !o.From.Timestamp.Equal(record(1, 3, "").ArrivedAt.Add(-5*time.Second)) ||
		len(o.Shards) != 1 || o.Shards[0] != "shardId-000000000001" {
		t.Errorf("restarted with %+v", o)
	}
	h.deliver(batchOf(record(1, 1, "a"), record(1, 2, "b")))
	h.deliver(batchOf(record(1, 3, "c"), record(1, 4, "d")))
	var more []kinesisx.Record
	for i := 5; i < 40; i++ {
		more = append(more, record(1, i, "x"))
	}
	h.deliver(batchOf(more...))
	if r := h.m.Selected(); r == nil || r.SequenceNumber != focus {
		t.Fatalf("the focused record should stay selected, got %v", r)
	}
	if h.m.follow {
		t.Errorf("the tail should stop following")
	}
	if len(h.tailer.opts) != 2 {
		t.Errorf("one restart only: %d tails", len(h.tailer.opts))
	}
	// Far more records than the buffer holds come after it: the tail is
	// paused on the record, so they wait instead of pushing it out.
	if !h.m.paused {
		t.Errorf("the tail should pause on the focused record")
	}
	more = more[:0]
	for i := 40; i < 40+3*h.m.deps.Capacity; i++ {
		more = append(more, record(1, i, "x"))
	}
	h.deliver(batchOf(more...))
	if r := h.m.Selected(); r == nil || r.SequenceNumber != focus {
		t.Fatalf("the focused record should survive a flood after it, got %v", r)
	}
	if v := plain(h.m); !strings.Contains(v, "user-1 ") || !strings.Contains(v, "user-3 ") {
		t.Errorf("the record should show with those before it:\n%s", v)
	}

	// Bad from: the picker says why, with the text to fix.
	h2 := newHarness(t, Deps{}, 100, 12)
	h2.m.StartAt("yesterday", "")
	if v := plain(h2.m); !h2.m.picker.open || !strings.Contains(v, `"yesterday"`) || len(h2.tailer.opts) != 0 {
		t.Errorf("a bad from should leave the picker open with the reason:\n%s", v)
	}
	// No from: the picker as before.
	h3 := newHarness(t, Deps{}, 100, 12)
	if h3.m.StartAt("", "") != nil || !h3.m.picker.open {
		t.Error("no from should keep the picker")
	}
}

// clipboardWrites returns what a Cmd would write to the clipboard with
// OSC 52 (bubbletea's message is unexported: it is found by its type name),
// and whether it asks the terminal to read it back after.
func clipboardWrites(t *testing.T, cmd tea.Cmd) (writes []string, reads bool) {
	t.Helper()
	var walk func(msg tea.Msg)
	walk = func(msg tea.Msg) {
		switch v := reflect.ValueOf(msg); {
		case msg == nil:
		case fmt.Sprintf("%T", msg) == "tea.setClipboardMsg":
			writes = append(writes, v.String())
		case fmt.Sprintf("%T", msg) == "tea.readClipboardMsg":
			reads = len(writes) > 0 // after the write
		case v.Kind() == reflect.Slice:
			for i := range v.Len() {
				if c, ok := v.Index(i).Interface().(tea.Cmd); ok && c != nil {
					walk(c())
				}
			}
		}
	}
	walk(cmd())
	return writes, reads
}

func TestCopyVariants(t *testing.T) {
	h := newHarness(t, Deps{}, 100, 12)
	h.start()
	r := record(1, 1, "hello")
	h.deliver(batchOf(r))

	cmd := h.press("y")
	info, _ := uitest.Find[screen.InfoMsg](uitest.Msgs(cmd))
	if !strings.Contains(info.Text, "sent the payload (5 bytes) to the clipboard with OSC 52: your terminal may ignore it") || strings.Contains(info.Text, "copied") {
		t.Errorf("before the terminal answers, only say what was sent: %q", info.Text)
	}
	if w, reads := clipboardWrites(t, cmd); len(w) != 1 || w[0] != "hello" || !reads {
		t.Errorf("y wrote %q (read back after: %v)", w, reads)
	}
	// The terminal's answer decides "copied".
	info, _ = uitest.Find[screen.InfoMsg](uitest.Msgs(h.m.Update(tea.ClipboardMsg{Content: "hello"})))
	if !strings.Contains(info.Text, "copied the payload (5 bytes)") {
		t.Errorf("a matching answer should say copied: %q", info.Text)
	}
	h.press("y")
	info, _ = uitest.Find[screen.InfoMsg](uitest.Msgs(h.m.Update(tea.ClipboardMsg{Content: "old"})))
	if !strings.Contains(info.Text, "was not copied") {
		t.Errorf("another answer should say it was not copied: %q", info.Text)
	}
	if h.m.Update(tea.ClipboardMsg{Content: "late"}) != nil {
		t.Error("an answer nobody asked for should be ignored")
	}

	line := `{"stream":"orders","shard":"shardId-000000000001","sequence":"` + r.SequenceNumber +
		`","partitionKey":"user-1","arrival":"2026-11-26T07:30:00.001Z","data":"hello","encoding":"utf8","aggregated":false}`
	for k, want := range map[string]string{"j": line, "k": "user-1", "s": r.SequenceNumber, "p": "hello"} {
		h.press("Y")
		if !h.m.Capturing() || !strings.Contains(plain(h.m), "j JSON line") {
			t.Fatalf("Y should open the copy chooser:\n%s", plain(h.m))
		}
		w, _ := clipboardWrites(t, h.press(k))
		if len(w) != 1 || w[0] != want {
			t.Errorf("Y %s copied %q, want %q", k, w, want)
		}
		if h.m.Capturing() {
			t.Errorf("Y %s should close the chooser", k)
		}
	}
	h.press("Y", "esc")
	if h.m.Capturing() {
		t.Error("esc should close the chooser")
	}
}

func TestHelpListsTheNewKeys(t *testing.T) {
	var all []string
	for _, col := range NewKeyMap(false).FullHelp() {
		for _, b := range col {
			all = append(all, b.Help().Key)
		}
	}
	for _, k := range []string{"g", "w", "h/left", "l/right", "c", "T", "x", "Y", "home"} {
		found := false
		for _, a := range all {
			found = found || a == k
		}
		if !found {
			t.Errorf("help lacks %q: %v", k, all)
		}
	}
	if key.Matches(uitest.Key("g"), NewKeyMap(false).Nav.Top) {
		t.Error("g jumps in the tail; it should not also go to the top")
	}
}

// open runs a Cmd that starts a tail: the screen takes the started tail
// (the wait it returns is run by deliver); other messages are kept.
func (h *harness) open(cmd tea.Cmd) {
	h.t.Helper()
	for _, msg := range uitest.Msgs(cmd) {
		if st, ok := msg.(subStartedMsg); ok {
			h.m.Update(st)
			continue
		}
		h.out = append(h.out, msg)
	}
}
