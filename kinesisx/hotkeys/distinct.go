package hotkeys

import (
	"math"
	"math/bits"
)

// hllBits is the precision of the distinct-key estimate: 2^10 registers
// (1 KiB per shard) give a standard error of about 1.04/sqrt(1024) ≈ 3%.
const hllBits = 10

// distinct estimates how many different partition keys a shard has seen
// (HyperLogLog, with linear counting for small counts). It is fed the
// 64-bit hashes the analyser already computes (MD5 of the key).
type distinct struct {
	reg [1 << hllBits]uint8
}

func (d *distinct) add(h uint64) {
	i := h >> (64 - hllBits)
	w := h<<hllBits | 1<<(hllBits-1) // guard bit bounds the rank
	rank := uint8(bits.LeadingZeros64(w) + 1)
	if rank > d.reg[i] {
		d.reg[i] = rank
	}
}

// estimate returns the estimated number of distinct keys.
func (d *distinct) estimate() int64 {
	const m = float64(1 << hllBits)
	sum, zeros := 0.0, 0
	for _, r := range d.reg {
		sum += 1 / float64(uint64(1)<<r)
		if r == 0 {
			zeros++
		}
	}
	alpha := 0.7213 / (1 + 1.079/m)
	e := alpha * m * m / sum
	if e <= 2.5*m && zeros > 0 {
		e = m * math.Log(m/float64(zeros))
	}
	return int64(e + 0.5)
}
