package kinesisx

import (
	"math"
	"math/rand/v2"
	"testing"

	"pgregory.net/rapid"

	"github.com/kinspect/kinspect/kinesisx/hashkey"
)

func k(s string) hashkey.Key { return hashkey.MustParse(s) }

func TestValidSplitKeyAndMidpoint(t *testing.T) {
	r := hashkey.Range{Start: k("100"), End: k("200")}
	tests := []struct {
		x  string
		ok bool
	}{
		{"100", false}, {"101", false}, {"102", true}, {"150", true}, {"199", true}, {"200", false}, {"201", false}, {"0", false},
	}
	for _, tt := range tests {
		if err := ValidSplitKey(r, k(tt.x)); (err == nil) != tt.ok {
			t.Errorf("ValidSplitKey(100..200, %s) = %v", tt.x, err)
		}
	}
	if got := MidpointKey(r); got != k("151") {
		t.Errorf("MidpointKey(100..200) = %v", got)
	}
	for _, full := range append(hashkey.Split(3), hashkey.Range{Start: hashkey.Key{}, End: hashkey.Max}) {
		m := MidpointKey(full)
		if ValidSplitKey(full, m) != nil {
			t.Errorf("midpoint %v of %v..%v is not a valid split key", m, full.Start, full.End)
		}
		lo, hi := (hashkey.Range{Start: full.Start, End: m.Dec()}), (hashkey.Range{Start: m, End: full.End})
		if d := lo.Share() - hi.Share(); math.Abs(d) > 1e-12 {
			t.Errorf("midpoint children differ in share by %g", d)
		}
	}
}

func TestMedianHashKey(t *testing.T) {
	tests := []struct {
		name    string
		samples []KeySample
		want    string
		ok      bool
	}{
		{name: "no samples"},
		{name: "no bytes", samples: []KeySample{{k("5"), 0}}},
		{name: "one key", samples: []KeySample{{k("500"), 10}}, want: "500", ok: true},
		{name: "two equal keys split between them", samples: []KeySample{{k("100"), 10}, {k("300"), 10}}, want: "201", ok: true},
		{name: "weighted by bytes", samples: []KeySample{{k("100"), 1}, {k("200"), 1}, {k("300"), 1}, {k("400"), 3}}, want: "351", ok: true},
		{name: "duplicates merged", samples: []KeySample{{k("100"), 2}, {k("100"), 2}, {k("900"), 4}}, want: "501", ok: true},
		{name: "unsorted input", samples: []KeySample{{k("900"), 1}, {k("100"), 1}, {k("500"), 1}, {k("700"), 1}}, want: "601", ok: true},
	}
	for _, tt := range tests {
		got, ok := MedianHashKey(tt.samples)
		if ok != tt.ok || (ok && got != k(tt.want)) {
			t.Errorf("%s: MedianHashKey = %v, %v; want %s, %v", tt.name, got, ok, tt.want, tt.ok)
		}
	}
}

// The median key balances the sampled bytes to within the weight of one key.
func TestMedianHashKeyBalances(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		n := rapid.IntRange(1, 60).Draw(t, "n")
		var samples []KeySample
		for i := range n {
			hi := rapid.Uint64Range(0, 8).Draw(t, "hi")
			samples = append(samples, KeySample{Key: hashkey.Key{Hi: hi, Lo: rapid.Uint64().Draw(t, "lo")}, Bytes: rapid.IntRange(0, 1000).Draw(t, "bytes")})
			_ = i
		}
		x, ok := MedianHashKey(samples)
		total, heaviest := 0, 0
		perKey := map[hashkey.Key]int{}
		for _, s := range samples {
			total += s.Bytes
			perKey[s.Key] += s.Bytes
			heaviest = max(heaviest, perKey[s.Key])
		}
		if !ok {
			if total != 0 {
				t.Fatalf("no key for %d bytes", total)
			}
			return
		}
		lo, hi := SplitShares(samples, x)
		if diff := math.Abs(lo-hi) * float64(total); diff > float64(heaviest)+1e-6 {
			t.Fatalf("split at %v leaves %.3f/%.3f, off by %.0f bytes > heaviest key %d", x, lo, hi, diff, heaviest)
		}
	})
}

// On skewed traffic, a median split divides fresh traffic of the same shape
// in about half, where the midpoint does not. The draws are seeded, so the
// shares are the same on every run.
func TestMedianSplitOnSkewedTraffic(t *testing.T) {
	shard := hashkey.Split(4)[1]
	rnd := rand.New(rand.NewPCG(3, 4))
	tenth := hashkey.Range{Start: shard.Start}
	w, _ := shard.End.Sub(shard.Start)
	tenth.End, _ = shard.Start.Add(hashkey.Key{Hi: w.Hi / 10})
	draw := func(n int) []KeySample {
		var out []KeySample
		for range n {
			r := shard
			if rnd.IntN(10) < 8 { // 80% of the traffic on 10% of the keys
				r = tenth
			}
			out = append(out, KeySample{Key: randomHashKeyFrom(r, rnd.Uint64), Bytes: 100 + rnd.IntN(900)})
		}
		return out
	}
	sample, fresh := draw(4000), draw(20000)
	x, ok := MedianSplitKey(shard, sample)
	if !ok || ValidSplitKey(shard, x) != nil {
		t.Fatalf("median split key %v, %v", x, ok)
	}
	lo, hi := SplitShares(fresh, x)
	if math.Abs(lo-hi) > 0.05 {
		t.Errorf("median split gives %.3f / %.3f of fresh traffic", lo, hi)
	}
	mlo, _ := SplitShares(fresh, MidpointKey(shard))
	t.Logf("median split %.3f / %.3f, midpoint %.3f / %.3f", lo, hi, mlo, 1-mlo)
	if mlo < 0.85 {
		t.Errorf("midpoint gives the lower child only %.3f: the sample is not skewed", mlo)
	}
}

func TestMedianSplitKeyStaysInRange(t *testing.T) {
	r := hashkey.Range{Start: k("1000"), End: k("2000")}
	tests := []struct {
		name    string
		samples []KeySample
		r       hashkey.Range
		want    string
		ok      bool
	}{
		{"all at the start", []KeySample{{k("1000"), 5}}, r, "1002", true},
		{"all at the end", []KeySample{{k("2000"), 5}}, r, "1999", true},
		{"outside samples ignored", []KeySample{{k("10"), 500}, {k("1200"), 1}, {k("1400"), 1}}, r, "1301", true},
		{"only outside samples", []KeySample{{k("10"), 5}}, r, "", false},
		{"too narrow to split", []KeySample{{k("5"), 5}}, hashkey.Range{Start: k("5"), End: k("7")}, "", false},
		{"narrowest splittable", []KeySample{{k("5"), 5}}, hashkey.Range{Start: k("5"), End: k("8")}, "7", true},
	}
	for _, tt := range tests {
		got, ok := MedianSplitKey(tt.r, tt.samples)
		if ok != tt.ok || (ok && (got != k(tt.want) || ValidSplitKey(tt.r, got) != nil)) {
			t.Errorf("%s: got %v, %v; want %s, %v", tt.name, got, ok, tt.want, tt.ok)
		}
	}
}
