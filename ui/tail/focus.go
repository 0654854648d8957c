package tail

import (
	"fmt"

	tea "charm.land/bubbletea/v2"

	"github.com/kinspect/kinspect/kinesisx"
)

// passedFocus reports whether recs hold a record of the focused record's
// shard after it: a tail started at (or before) the focused record has
// gone past it without it. It was trimmed by the stream's retention since
// the search found it (AT_SEQUENCE_NUMBER then starts at the oldest
// record there is), or the filter hides it.
func (m *Model) passedFocus(recs []kinesisx.Record) bool {
	if m.ux.focus == "" || len(m.opts.Shards) != 1 {
		return false
	}
	for _, r := range recs {
		if r.ShardID == m.opts.Shards[0] && kinesisx.CompareSequence(r.SequenceNumber, m.ux.focus) > 0 {
			return true
		}
	}
	return false
}

// missFocus gives up on the focused record: the tail pauses on the first
// record after it (row first), so that what it shows is not taken for
// the record asked for, and the status line says why.
func (m *Model) missFocus(first int) {
	m.ux.missed = m.ux.focus
	m.ux.focus, m.ux.lead, m.ux.before = "", false, nil
	m.cur.Center(min(first, max(m.rows()-1, 0)))
	m.follow, m.paused = false, true
}

// missedCmd says, once, that the focused record did not come.
func (m *Model) missedCmd() tea.Cmd {
	seq := m.ux.missed
	if seq == "" {
		return nil
	}
	m.ux.missed = ""
	if len(seq) > 12 {
		seq = "…" + seq[len(seq)-12:] // as the SEQUENCE column shows it
	}
	return info(fmt.Sprintf("record %s is no longer in the shard (trimmed since it was found?) or the filter hides it: paused on the first record after it", seq))
}
