package hashkey

import (
	"math/big"
	"testing"

	"pgregory.net/rapid"
)

func TestFromPartitionKeyKnownValues(t *testing.T) {
	// MD5("") = d41d8cd98f00b204e9800998ecf8427e.
	want, _ := new(big.Int).SetString("d41d8cd98f00b204e9800998ecf8427e", 16)
	if got := FromPartitionKey("").Big(); got.Cmp(want) != 0 {
		t.Fatalf("FromPartitionKey(\"\") = %s, want %s", got, want)
	}
	// MD5("a") = 0cc175b9c0f1b6a831c399e269772661.
	want, _ = new(big.Int).SetString("0cc175b9c0f1b6a831c399e269772661", 16)
	if got := FromPartitionKey("a").Big(); got.Cmp(want) != 0 {
		t.Fatalf("FromPartitionKey(a) = %s, want %s", got, want)
	}
}

func TestParse(t *testing.T) {
	tests := []struct {
		in      string
		wantErr bool
	}{
		{"0", false},
		{"1", false},
		{"340282366920938463463374607431768211455", false},
		{"340282366920938463463374607431768211456", true},
		{"999999999999999999999999999999999999999", true},
		{"", true},
		{"01", true},
		{"-1", true},
		{"12a", true},
		{"1234567890123456789012345678901234567890", true},
	}
	for _, tt := range tests {
		k, err := Parse(tt.in)
		if (err != nil) != tt.wantErr {
			t.Errorf("Parse(%q) err = %v, wantErr %v", tt.in, err, tt.wantErr)
			continue
		}
		if err == nil && k.String() != tt.in {
			t.Errorf("Parse(%q).String() = %q", tt.in, k.String())
		}
	}
	if Max.String() != "340282366920938463463374607431768211455" {
		t.Fatalf("Max = %s", Max)
	}
}

func TestArithmeticMatchesBig(t *testing.T) {
	two128 := new(big.Int).Lsh(big.NewInt(1), 128)
	gen := rapid.Custom(func(t *rapid.T) Key {
		return Key{Hi: rapid.Uint64().Draw(t, "hi"), Lo: rapid.Uint64().Draw(t, "lo")}
	})
	rapid.Check(t, func(t *rapid.T) {
		a, b := gen.Draw(t, "a"), gen.Draw(t, "b")
		ab, bb := a.Big(), b.Big()
		if got, want := a.Cmp(b), ab.Cmp(bb); got != want {
			t.Fatalf("Cmp = %d, want %d", got, want)
		}
		sum, over := a.Add(b)
		wantSum := new(big.Int).Add(ab, bb)
		if over != (wantSum.Cmp(two128) >= 0) {
			t.Fatalf("Add overflow = %v for %s", over, wantSum)
		}
		if !over && sum.Big().Cmp(wantSum) != 0 {
			t.Fatalf("Add = %s, want %s", sum, wantSum)
		}
		mid := Mid(a, b)
		wantMid := new(big.Int).Rsh(wantSum, 1)
		if mid.Big().Cmp(wantMid) != 0 {
			t.Fatalf("Mid = %s, want %s", mid, wantMid)
		}
		p, err := Parse(a.String())
		if err != nil || p != a {
			t.Fatalf("Parse(String) = %v, %v; want %v", p, err, a)
		}
	})
}

func TestSplitCoversSpace(t *testing.T) {
	for _, n := range []int{1, 2, 3, 4, 7, 16, 4000} {
		rs := Split(n)
		if len(rs) != n {
			t.Fatalf("Split(%d) gave %d ranges", n, len(rs))
		}
		if rs[0].Start != (Key{}) || rs[n-1].End != Max {
			t.Fatalf("Split(%d) does not span the space", n)
		}
		for i := 1; i < n; i++ {
			if rs[i-1].End.Inc() != rs[i].Start {
				t.Fatalf("Split(%d): gap between %d and %d", n, i-1, i)
			}
		}
	}
	if got := Split(2)[0].End.String(); got != "170141183460469231731687303715884105727" {
		t.Fatalf("Split(2)[0].End = %s", got)
	}
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{"0", "1", "340282366920938463463374607431768211455", "01", "", "abc", "340282366920938463463374607431768211456"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		k, err := Parse(s)
		if err != nil {
			return
		}
		if k.String() != s {
			t.Fatalf("Parse(%q) round trip = %q", s, k.String())
		}
	})
}
