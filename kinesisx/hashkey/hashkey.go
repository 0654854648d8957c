// Package hashkey does the 128-bit hash-key arithmetic of Kinesis: a
// partition key is routed by the MD5 of its UTF-8 bytes, read as an unsigned
// big-endian 128-bit integer, and each shard owns an inclusive range of that
// space. Keys are small values (two uint64 words), so they compare and copy
// cheaply; they parse from and print to the decimal strings of the API.
package hashkey

import (
	"crypto/md5"
	"encoding/binary"
	"errors"
	"fmt"
	"math/big"
	"math/bits"
)

// Key is an unsigned 128-bit hash key.
type Key struct {
	Hi, Lo uint64
}

// Max is the largest hash key, 2^128 - 1.
var Max = Key{Hi: ^uint64(0), Lo: ^uint64(0)}

// ErrSyntax is returned for a string that is not a decimal hash key.
var ErrSyntax = errors.New("not a decimal number between 0 and 2^128-1")

// FromPartitionKey returns the hash key Kinesis routes a partition key to.
func FromPartitionKey(partitionKey string) Key {
	sum := md5.Sum([]byte(partitionKey))
	return FromBytes(sum)
}

// FromBytes reads 16 big-endian bytes.
func FromBytes(b [16]byte) Key {
	return Key{Hi: binary.BigEndian.Uint64(b[:8]), Lo: binary.BigEndian.Uint64(b[8:])}
}

// Parse reads a decimal hash key as the API spells it ("0" or no leading
// zeros, at most 39 digits, at most 2^128-1).
func Parse(s string) (Key, error) {
	if s == "" || len(s) > 39 || (len(s) > 1 && s[0] == '0') {
		return Key{}, fmt.Errorf("hash key %q: %w", s, ErrSyntax)
	}
	var k Key
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return Key{}, fmt.Errorf("hash key %q: %w", s, ErrSyntax)
		}
		// k = k*10 + d, checking for overflow.
		hi1, lo1 := bits.Mul64(k.Lo, 10)
		hiHi, hi2 := bits.Mul64(k.Hi, 10)
		if hiHi != 0 {
			return Key{}, fmt.Errorf("hash key %q: %w", s, ErrSyntax)
		}
		hi, carry := bits.Add64(hi1, hi2, 0)
		if carry != 0 {
			return Key{}, fmt.Errorf("hash key %q: %w", s, ErrSyntax)
		}
		lo, c2 := bits.Add64(lo1, uint64(c-'0'), 0)
		hi, carry = bits.Add64(hi, 0, c2)
		if carry != 0 {
			return Key{}, fmt.Errorf("hash key %q: %w", s, ErrSyntax)
		}
		k = Key{Hi: hi, Lo: lo}
	}
	return k, nil
}

// MustParse is Parse for constants in tests and tables; it panics on error.
func MustParse(s string) Key {
	k, err := Parse(s)
	if err != nil {
		panic(err)
	}
	return k
}

// String prints the key in decimal.
func (k Key) String() string {
	return k.Big().String()
}

// Big returns the key as a new big.Int.
func (k Key) Big() *big.Int {
	var b [16]byte
	binary.BigEndian.PutUint64(b[:8], k.Hi)
	binary.BigEndian.PutUint64(b[8:], k.Lo)
	return new(big.Int).SetBytes(b[:])
}

// FromBig converts a big.Int in [0, 2^128-1]; ok is false outside it.
func FromBig(b *big.Int) (k Key, ok bool) {
	if b.Sign() < 0 || b.BitLen() > 128 {
		return Key{}, false
	}
	var buf [16]byte
	b.FillBytes(buf[:])
	return FromBytes(buf), true
}

// Cmp returns -1, 0 or +1 as k is less than, equal to or greater than o.
func (k Key) Cmp(o Key) int {
	switch {
	case k.Hi < o.Hi:
		return -1
	case k.Hi > o.Hi:
		return 1
	case k.Lo < o.Lo:
		return -1
	case k.Lo > o.Lo:
		return 1
	}
	return 0
}

// Add returns k+o and whether it overflowed.
func (k Key) Add(o Key) (Key, bool) {
	lo, c := bits.Add64(k.Lo, o.Lo, 0)
	hi, c := bits.Add64(k.Hi, o.Hi, c)
	return Key{Hi: hi, Lo: lo}, c != 0
}

// Sub returns k-o and whether it underflowed.
func (k Key) Sub(o Key) (Key, bool) {
	lo, b := bits.Sub64(k.Lo, o.Lo, 0)
	hi, b := bits.Sub64(k.Hi, o.Hi, b)
	return Key{Hi: hi, Lo: lo}, b != 0
}

// Inc returns k+1, saturating at Max.
func (k Key) Inc() Key {
	r, over := k.Add(Key{Lo: 1})
	if over {
		return Max
	}
	return r
}

// Dec returns k-1, saturating at zero.
func (k Key) Dec() Key {
	r, under := k.Sub(Key{Lo: 1})
	if under {
		return Key{}
	}
	return r
}

// Mid returns floor((a+b)/2) without overflow.
func Mid(a, b Key) Key {
	sum, carry := a.Add(b)
	// Shift the 129-bit value (carry:sum) right by one.
	lo := sum.Lo>>1 | sum.Hi<<63
	hi := sum.Hi>>1 | boolBit(carry)<<63
	return Key{Hi: hi, Lo: lo}
}

func boolBit(b bool) uint64 {
	if b {
		return 1
	}
	return 0
}

// Float returns the key as a float64 (for shares and plots).
func (k Key) Float() float64 {
	return float64(k.Hi)*(1<<64) + float64(k.Lo)
}

// Range is an inclusive range of hash keys, as a shard owns it.
type Range struct {
	Start, End Key
}

// Contains reports whether k lies in r.
func (r Range) Contains(k Key) bool {
	return k.Cmp(r.Start) >= 0 && k.Cmp(r.End) <= 0
}

// Share returns the fraction of the whole key space that r covers.
func (r Range) Share() float64 {
	width, _ := r.End.Sub(r.Start)
	return (width.Float() + 1) / Max.Float()
}

// Split divides [0, 2^128-1] into n contiguous ranges of near-equal width,
// as CreateStream and UpdateShardCount lay shards out.
func Split(n int) []Range {
	if n <= 0 {
		return nil
	}
	out := make([]Range, n)
	total := new(big.Int).Lsh(big.NewInt(1), 128)
	step := new(big.Int).Div(total, big.NewInt(int64(n)))
	start := new(big.Int)
	for i := 0; i < n; i++ {
		s, _ := FromBig(start)
		end := new(big.Int).Add(start, step)
		end.Sub(end, big.NewInt(1))
		e, _ := FromBig(end)
		if i == n-1 {
			e = Max
		}
		out[i] = Range{Start: s, End: e}
		start.Add(start, step)
	}
	return out
}
