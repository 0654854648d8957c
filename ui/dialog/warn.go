package dialog

import (
	"fmt"

	"github.com/charmbracelet/x/ansi"

	"github.com/kinspect/kinspect/kinesisx/hotkeys"
	"github.com/kinspect/kinspect/ui/cell"
	"github.com/kinspect/kinspect/ui/screen"
)

// The warnings of the split and merge dialogs: what the user is about to
// be surprised by.

// Per-shard write limits of Kinesis (provisioned mode).
const (
	limitInBytes   = 1 << 20 // 1 MiB/s
	limitInRecords = 1000    // records/s
)

// hotKeyShare is the share of a shard's bytes from which one key carries
// most of them: no split can divide one key, so that share lands on one
// child whatever the split point.
const hotKeyShare = 0.5

// nearLimit is the fraction of a limit from which the merge preview warns
// that the merged shard would run close to it.
const nearLimit = 0.8

// hotKeyWarning says when one key carries most of the selected shard's
// bytes, from the traffic kinspect's tails have seen ("" otherwise).
func (r *Reshard) hotKeyWarning() string {
	s := r.top
	if s.Bytes <= 0 || len(s.TopByBytes) == 0 || s.TopShare < hotKeyShare {
		return ""
	}
	k := s.TopByBytes[0]
	return r.st.Warn.Render(fmt.Sprintf("⚠ key %q carries %.0f%% of %s's bytes (of %s records kinspect's tails have seen): a key hashes to one point, so whatever the split point, that share lands on one child. A split cannot cool it; a new key scheme (or a random suffix) can.",
		ansi.Truncate(k.Key, 40, "…"), s.TopShare*100, r.sel.ID, cell.Count(int(s.Records))))
}

// topKey reads the selected shard's heaviest key from the analyser.
func topKey(a *hotkeys.Analyser, shardID string) hotkeys.ShardStats {
	if a == nil {
		return hotkeys.ShardStats{}
	}
	s, _ := a.Shard(shardID, 1)
	return s
}

// mergePreview adds the two shards' incoming traffic and sets it against
// a shard's limits, saying where the figures come from.
func (r *Reshard) mergePreview(adjacent string) string {
	st := r.st
	a, okA := r.loads[r.sel.ID]
	b, okB := r.loads[adjacent]
	if !okA || !okB {
		return st.Muted.Render("merged load unknown: no live rates or CloudWatch minute for both shards yet (L on the stream screen reads them live)")
	}
	bytes, recs := a.BytesPerSec+b.BytesPerSec, a.RecordsPerSec+b.RecordsPerSec
	fb, fr := bytes/limitInBytes, recs/limitInRecords
	text := fmt.Sprintf("merged: %s/s of 1 MiB/s (%.0f%%) · %s of 1,000 rec/s (%.0f%%)", cell.Bytes(bytes), fb*100, cell.Rate(recs), fr*100)
	text += " · " + sourceOf(a, b)
	switch top := max(fb, fr); {
	case top > 1:
		return st.Error.Render("⚠ " + text + ": over a shard's limit, the merged shard would be throttled")
	case top > nearLimit:
		return st.Warn.Render("⚠ " + text + ": near a shard's limit, little room for a burst")
	}
	return st.Muted.Render(text)
}

// sourceOf names where two loads come from.
func sourceOf(a, b screen.ShardLoad) string {
	if a.Source == b.Source {
		return a.Source
	}
	return a.Source + " + " + b.Source
}
