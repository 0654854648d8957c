package hotkeys

import (
	"fmt"
	"testing"

	"pgregory.net/rapid"
)

func TestTopKExactWhenRoomy(t *testing.T) {
	tests := []struct {
		name string
		adds []struct {
			key string
			w   int64
		}
		want []KeyCount
	}{
		{name: "empty"},
		{name: "one key", adds: []struct {
			key string
			w   int64
		}{{"a", 3}, {"a", 4}}, want: []KeyCount{{Key: "a", Count: 7}}},
		{name: "ordered by weight then key", adds: []struct {
			key string
			w   int64
		}{{"b", 2}, {"a", 2}, {"c", 9}}, want: []KeyCount{{Key: "c", Count: 9}, {Key: "a", Count: 2}, {Key: "b", Count: 2}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tk := newTopK(4)
			for _, a := range tt.adds {
				tk.add(a.key, a.w)
			}
			got := tk.top(-1)
			if fmt.Sprint(got) != fmt.Sprint(tt.want) && !(len(got) == 0 && len(tt.want) == 0) {
				t.Errorf("top = %v, want %v", got, tt.want)
			}
		})
	}
}

// The Space-Saving guarantees hold for any weighted stream: each count
// brackets the true weight, the error is at most total/k, and every key
// heavier than total/k is listed.
func TestTopKGuarantees(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		k := rapid.IntRange(1, 16).Draw(t, "k")
		keys := rapid.IntRange(1, 60).Draw(t, "keys")
		n := rapid.IntRange(0, 400).Draw(t, "n")
		tk := newTopK(k)
		truth := map[string]int64{}
		var total int64
		for i := 0; i < n; i++ {
			// Skewed draws: low indices are likelier.
			a := rapid.IntRange(0, keys-1).Draw(t, "a")
			b := rapid.IntRange(0, keys-1).Draw(t, "b")
			key := fmt.Sprintf("k%d", min(a, b))
			w := int64(rapid.IntRange(1, 100).Draw(t, "w"))
			tk.add(key, w)
			truth[key] += w
			total += w
		}
		if len(tk.heap) > k {
			t.Fatalf("%d counters for k=%d", len(tk.heap), k)
		}
		listed := map[string]bool{}
		for _, c := range tk.top(-1) {
			listed[c.Key] = true
			if tv := truth[c.Key]; tv > c.Count || tv < c.Guaranteed() {
				t.Fatalf("%s: true %d outside [%d, %d]", c.Key, tv, c.Guaranteed(), c.Count)
			}
			if c.Error*int64(k) > total {
				t.Fatalf("%s: error %d above total/k = %d/%d", c.Key, c.Error, total, k)
			}
		}
		for key, w := range truth {
			if w*int64(k) > total && !listed[key] {
				t.Fatalf("%s carries %d of %d (> 1/%d) but is not listed", key, w, total, k)
			}
		}
	})
}

func TestDistinctEstimate(t *testing.T) {
	for _, n := range []int{1, 10, 100, 1000, 20000} {
		var d distinct
		for i := 0; i < n; i++ {
			for rep := 0; rep < 2; rep++ { // duplicates must not count
				h := hashOfString(fmt.Sprintf("key-%d", i))
				d.add(h)
			}
		}
		got := float64(d.estimate())
		if got < 0.9*float64(n) || got > 1.1*float64(n) {
			t.Errorf("n=%d: estimate %.0f, want within 10%%", n, got)
		}
	}
}

func TestSkew(t *testing.T) {
	tests := []struct {
		share    float64
		distinct int64
		want     float64
	}{
		{0, 0, 0},
		{1, 1, 1},
		{0.5, 2, 0},
		{0.01, 100, 0},
		{0.005, 100, 0}, // below uniform: clamped
		{1, 100, 1},
		{0.6, 1000, (0.6 - 0.001) / 0.999},
	}
	for _, tt := range tests {
		if got := Skew(tt.share, tt.distinct); got < tt.want-1e-9 || got > tt.want+1e-9 {
			t.Errorf("Skew(%v, %d) = %v, want %v", tt.share, tt.distinct, got, tt.want)
		}
	}
}
