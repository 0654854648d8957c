package hotkeys

import (
	"github.com/kinspect/kinspect/kinesisx"
	"github.com/kinspect/kinspect/kinesisx/hashkey"
)

// SplitPreview compares the traffic-weighted split of a shard with the
// midpoint split, for the split dialog: each child's expected share of the
// shard's bytes, estimated from the analyser's samples.
type SplitPreview struct {
	ShardID string
	Samples int
	// Median is kinesisx.MedianSplitKey of the samples: the new starting
	// hash key that divides the observed bytes in half.
	Median                   hashkey.Key
	MedianLower, MedianUpper float64
	// Midpoint is kinesisx.MidpointKey of the shard's range.
	Midpoint                     hashkey.Key
	MidpointLower, MidpointUpper float64
}

// SplitPreview returns the preview for a shard. ok is false when the
// shard's range is not known (SetShards), it has no samples, or it is too
// narrow to split.
func (a *Analyser) SplitPreview(id string) (SplitPreview, bool) {
	a.mu.Lock()
	st, found := a.shards[id]
	var samples []kinesisx.KeySample
	var r hashkey.Range
	known := false
	if found {
		samples, r, known = st.sampleCopy(), st.hashRange, st.rangeKnown
	}
	a.mu.Unlock()
	if !known {
		return SplitPreview{}, false
	}
	at, ok := kinesisx.MedianSplitKey(r, samples)
	if !ok {
		return SplitPreview{}, false
	}
	p := SplitPreview{ShardID: id, Samples: len(samples), Median: at, Midpoint: kinesisx.MidpointKey(r)}
	p.MedianLower, p.MedianUpper = kinesisx.SplitShares(samples, p.Median)
	p.MidpointLower, p.MidpointUpper = kinesisx.SplitShares(samples, p.Midpoint)
	return p, true
}
