package kinesisx

import (
	"io"
	"math/rand/v2"
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"pgregory.net/rapid"
)

func TestParseTemplateErrors(t *testing.T) {
	tests := []struct {
		text, wantErr string
	}{
		{`{"id": {{seq}`, "no closing }}"},
		{`{{}}`, "empty placeholder"},
		{`{{ nope }}`, `unknown placeholder "nope"`},
		{`{{seq 3}}`, "seq takes no argument"},
		{`{{rand}}`, "rand takes one number"},
		{`{{rand 0}}`, "not a positive integer"},
		{`{{rand -4}}`, "not a positive integer"},
		{`{{rand x}}`, "not a positive integer"},
		{`{{randstr 99999999}}`, "longer than the largest record"},
		{`{{pick}}`, "pick needs at least one word"},
		{`{{pick "open}}`, "bad quoted word"},
	}
	for _, tt := range tests {
		_, err := ParseTemplate(tt.text)
		if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
			t.Errorf("ParseTemplate(%q) = %v, want %q", tt.text, err, tt.wantErr)
		}
	}
}

func TestTemplateRenderFixedParts(t *testing.T) {
	now := time.Date(2026, 11, 26, 7, 30, 0, 123456789, time.FixedZone("CET", 3600))
	tests := []struct {
		text, want string
	}{
		{`plain text`, `plain text`},
		{``, ``},
		{`{"id":{{seq}},"ts":"{{now}}","u":{{ unix }},"k":"{{key}}"}`, `{"id":42,"ts":"2026-11-26T06:30:00.123456789Z","u":1795674600,"k":"user-7"}`},
		{`{{pick only}}-{{pick "two words"}}`, `only-two words`},
		{`a}}b{{seq}}{{seq}}`, `a}}b4242`},
	}
	rnd := rand.New(rand.NewPCG(1, 2))
	for _, tt := range tests {
		tm, err := ParseTemplate(tt.text)
		if err != nil {
			t.Fatalf("%q: %v", tt.text, err)
		}
		if got := string(tm.Render(RecordInfo{Seq: 42, Key: "user-7", Now: now}, rnd)); got != tt.want {
			t.Errorf("%q rendered %q, want %q", tt.text, got, tt.want)
		}
	}
}

var uuidRE = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)

func TestTemplateRandomParts(t *testing.T) {
	tm, err := ParseTemplate(`{{rand 7}}|{{randstr 12}}|{{pick red green "dark blue"}}|{{uuid}}`)
	if err != nil {
		t.Fatal(err)
	}
	src := tm.Source(rand.New(rand.NewPCG(7, 7)))
	seenRand, seenPick, seenUUID := map[string]bool{}, map[string]bool{}, map[string]bool{}
	for i := 1; i <= 500; i++ {
		b, err := src.Next(RecordInfo{Seq: i})
		if err != nil {
			t.Fatal(err)
		}
		f := strings.Split(string(b), "|")
		if len(f) != 4 {
			t.Fatalf("rendered %q", b)
		}
		if n, err := strconv.Atoi(f[0]); err != nil || n < 0 || n >= 7 {
			t.Errorf("rand 7 gave %q", f[0])
		}
		if !regexp.MustCompile(`^[a-zA-Z0-9]{12}$`).MatchString(f[1]) {
			t.Errorf("randstr 12 gave %q", f[1])
		}
		if f[2] != "red" && f[2] != "green" && f[2] != "dark blue" {
			t.Errorf("pick gave %q", f[2])
		}
		if !uuidRE.MatchString(f[3]) {
			t.Errorf("uuid gave %q", f[3])
		}
		seenRand[f[0]], seenPick[f[2]], seenUUID[f[3]] = true, true, true
	}
	if len(seenRand) != 7 || len(seenPick) != 3 || len(seenUUID) != 500 {
		t.Errorf("distinct values: rand %d/7, pick %d/3, uuid %d/500", len(seenRand), len(seenPick), len(seenUUID))
	}
	// A nil generator is seeded at random: two sources differ.
	a, _ := tm.Source(nil).Next(RecordInfo{})
	b, _ := tm.Source(nil).Next(RecordInfo{})
	if string(a) == string(b) {
		t.Errorf("two randomly seeded sources agree: %q", a)
	}
}

// Parsing never panics, and a template without "{{" renders as itself.
func TestTemplateProperties(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		text := rapid.String().Draw(t, "text")
		tm, err := ParseTemplate(text)
		if err != nil {
			return
		}
		out := tm.Render(RecordInfo{Seq: 1, Key: "k", Now: time.Unix(0, 0)}, rand.New(rand.NewPCG(1, 1)))
		if !strings.Contains(text, "{{") && string(out) != text {
			t.Fatalf("%q rendered %q", text, out)
		}
	})
}

func TestLinesSource(t *testing.T) {
	tests := []struct {
		in      string
		want    []string
		wantErr string
	}{
		{"a\n\nb\r\nc", []string{"a", "b", "c"}, ""},
		{"", nil, ""},
		{"\n\n", nil, ""},
		{"ok\n" + strings.Repeat("x", maxLine+1) + "\n", []string{"ok"}, "line 2 is longer than"},
		{"ok\n\n" + strings.Repeat("x", maxLine+5), []string{"ok"}, "line 3 is longer than"},
		{strings.Repeat("y", maxLine) + "\r\n", []string{strings.Repeat("y", maxLine)}, ""},
	}
	for _, tt := range tests {
		src := Lines(strings.NewReader(tt.in))
		var got []string
		var err error
		for {
			var b []byte
			b, err = src.Next(RecordInfo{})
			if err != nil {
				break
			}
			got = append(got, string(b))
		}
		if strings.Join(got, ",") != strings.Join(tt.want, ",") {
			t.Errorf("lines of %.20q: got %d lines, want %d", tt.in, len(got), len(tt.want))
		}
		if tt.wantErr == "" && err != io.EOF || tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)) {
			t.Errorf("lines of %.20q ended with %v, want %q", tt.in, err, tt.wantErr)
		}
	}
}

func TestFileSource(t *testing.T) {
	path := t.TempDir() + "/rec.json"
	if err := writeFile(path, "{\"a\": 1}\n{\"b\": 2}\n"); err != nil {
		t.Fatal(err)
	}
	src, err := FileSource(path)
	if err != nil {
		t.Fatal(err)
	}
	for range 2 {
		if b, err := src.Next(RecordInfo{}); err != nil || string(b) != "{\"a\": 1}\n{\"b\": 2}\n" {
			t.Errorf("FileSource gave %q, %v", b, err)
		}
	}
	if _, err := FileSource(path + ".missing"); err == nil || !strings.Contains(err.Error(), "read record file") {
		t.Errorf("missing file: %v", err)
	}
}

func writeFile(path, s string) error { return os.WriteFile(path, []byte(s), 0o600) }

// FuzzParseTemplate: parsing any text, and rendering what parses, never
// panics.
func FuzzParseTemplate(f *testing.F) {
	for _, s := range []string{`{"id":{{seq}}}`, `{{pick "a b" c}}`, `{{randstr 3}}{{rand 9}}`, `{{`, `}}{{ uuid }}`, `{{pick "\x"}}`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		tm, err := ParseTemplate(text)
		if err != nil {
			return
		}
		for _, p := range tm.parts {
			if p.fn == "randstr" && p.n > 1<<16 {
				return // valid, but too slow to render in a fuzz loop
			}
		}
		_ = tm.Render(RecordInfo{Seq: 3, Key: "k", Now: time.Unix(1, 0)}, rand.New(rand.NewPCG(1, 2)))
	})
}
