package tail

import (
	"regexp"
	"testing"

	"pgregory.net/rapid"
)

// The plain-text search finds what the case-insensitive regex finds.
func TestIndexFoldAgreesWithRegex(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		alphabet := rapid.SampledFrom([]byte("aAbBzZ=-. 0\x80"))
		hay := rapid.SliceOfN(alphabet, 0, 40).Draw(t, "hay")
		needle := rapid.SliceOfN(rapid.SampledFrom([]byte("aAbBzZ=-0")), 1, 4).Draw(t, "needle")
		want := regexp.MustCompile("(?i)" + regexp.QuoteMeta(string(needle))).Match(hay)
		if got := indexFold(hay, needle) >= 0; got != want {
			t.Fatalf("indexFold(%q, %q) found %v, the regex %v", hay, needle, got, want)
		}
	})
}

func TestParseFilterPlainText(t *testing.T) {
	for q, lit := range map[string]bool{"error": true, "key:user-1": true, "err.r": false, "é": false, "!warn": true} {
		f, err := parseFilter(q, nil)
		if err != nil || (f.lit != nil) != lit {
			t.Errorf("%q: plain text %v (err %v), want %v", q, f.lit != nil, err, lit)
		}
	}
}

// A regex is only run where the text it needs is; it finds the same.
func TestRequiredText(t *testing.T) {
	for q, want := range map[string]string{"level=ERR.": "level=ERR", "a.*order-[0-9]+ paid": "order-", "x|y": "", "(ab)+": "", "é.": ""} {
		if got := string(requiredText(q)); got != want {
			t.Errorf("requiredText(%q) = %q, want %q", q, got, want)
		}
	}
	f, _ := parseFilter("level=err.r", nil)
	for hay, want := range map[string]bool{`"LEVEL=ERROR"`: true, "level=warn": false, "level=err-r": true} {
		if got := f.has([]byte(hay)); got != want {
			t.Errorf("%q: %v, want %v", hay, got, want)
		}
	}
}
