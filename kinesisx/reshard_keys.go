package kinesisx

import (
	"fmt"
	"sort"

	"github.com/kinspect/kinspect/kinesisx/hashkey"
)

// KeySample is one observed record for choosing a split point: its
// effective hash key (the explicit hash key, or the MD5 of its partition
// key) and its size in bytes.
type KeySample struct {
	Key   hashkey.Key
	Bytes int
}

// MidpointKey returns the split key that halves a shard's range: keys from
// it upward go to the upper child.
func MidpointKey(r hashkey.Range) hashkey.Key {
	return hashkey.Mid(r.Start, r.End).Inc()
}

// ValidSplitKey checks the service's rule for NewStartingHashKey X of a
// shard [S, E]: S+1 < X < E.
func ValidSplitKey(r hashkey.Range, x hashkey.Key) error {
	lo := r.Start.Inc()
	if x.Cmp(lo) <= 0 || x.Cmp(r.End) >= 0 {
		return fmt.Errorf("hash key %s is outside the shard: a split key must be greater than %s and less than %s", x, lo, r.End)
	}
	return nil
}

// MedianHashKey returns the split key that divides the sampled traffic in
// two halves by bytes: records with hash keys below it carry about half
// the bytes, the rest the other half. It picks the side of the median
// sample that balances better and puts the key midway in the gap between
// neighbouring samples, so that keys not in the sample divide evenly too.
// ok is false when the samples carry no bytes.
func MedianHashKey(samples []KeySample) (hashkey.Key, bool) {
	s := make([]KeySample, 0, len(samples))
	total := 0
	for _, x := range samples {
		if x.Bytes > 0 {
			s = append(s, x)
			total += x.Bytes
		}
	}
	if total == 0 {
		return hashkey.Key{}, false
	}
	sort.Slice(s, func(i, j int) bool { return s[i].Key.Cmp(s[j].Key) < 0 })
	// Merge equal keys: a split cannot divide one key's records.
	keys := s[:0]
	for _, x := range s {
		if n := len(keys); n > 0 && keys[n-1].Key == x.Key {
			keys[n-1].Bytes += x.Bytes
			continue
		}
		keys = append(keys, x)
	}
	// i is the first key at which the running total reaches half.
	cum, i := 0, 0
	for ; i < len(keys); i++ {
		if 2*(cum+keys[i].Bytes) >= total {
			break
		}
		cum += keys[i].Bytes
	}
	// Split before key i (lower child gets cum bytes) or after it (lower
	// gets cum+keys[i].Bytes): whichever is closer to half.
	before := total - 2*cum
	after := 2*(cum+keys[i].Bytes) - total
	if (before <= after && i > 0) || i == len(keys)-1 {
		if i == 0 {
			return keys[0].Key, true
		}
		return hashkey.Mid(keys[i-1].Key, keys[i].Key).Inc(), true
	}
	return hashkey.Mid(keys[i].Key, keys[i+1].Key).Inc(), true
}

// MedianSplitKey is MedianHashKey over the samples inside the shard's
// range, moved into the range the service accepts (S+1 < X < E). ok is
// false with no usable samples, or for a shard too narrow to split.
func MedianSplitKey(r hashkey.Range, samples []KeySample) (hashkey.Key, bool) {
	in := make([]KeySample, 0, len(samples))
	for _, s := range samples {
		if r.Contains(s.Key) {
			in = append(in, s)
		}
	}
	x, ok := MedianHashKey(in)
	if !ok {
		return hashkey.Key{}, false
	}
	lo, hi := r.Start.Inc().Inc(), r.End.Dec()
	if lo.Cmp(hi) > 0 {
		return hashkey.Key{}, false
	}
	if x.Cmp(lo) < 0 {
		x = lo
	}
	if x.Cmp(hi) > 0 {
		x = hi
	}
	return x, true
}

// SplitShares returns the fraction of the samples' bytes that would go to
// the lower child (hash keys below x) and to the upper one, to preview a
// split.
func SplitShares(samples []KeySample, x hashkey.Key) (lower, upper float64) {
	var lo, total int
	for _, s := range samples {
		total += s.Bytes
		if s.Key.Cmp(x) < 0 {
			lo += s.Bytes
		}
	}
	if total == 0 {
		return 0, 0
	}
	return float64(lo) / float64(total), float64(total-lo) / float64(total)
}
