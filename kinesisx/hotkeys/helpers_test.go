package hotkeys

import (
	"math/big"

	"github.com/kinspect/kinspect/kinesisx/hashkey"
)

func hashOfString(s string) uint64 {
	k := hashkey.FromPartitionKey(s)
	return k.Hi ^ k.Lo
}

// bigFloat scales a key by a fraction, for placing test keys.
type bigFloat struct{}

func (bigFloat) mul(k hashkey.Key, f float64) *big.Int {
	x := new(big.Float).SetInt(k.Big())
	x.Mul(x, big.NewFloat(f))
	i, _ := x.Int(nil)
	return i
}
