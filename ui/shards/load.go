package shards

import (
	"github.com/kinspect/kinspect/ui/screen"
)

// loads are the open shards' incoming traffic for a dialog (the merge
// preview): the live tail's minute average once it has run a minute
// (else its last whole second), or CloudWatch's newest complete minute;
// shards with neither are left out.
func (m *Model) loads() map[string]screen.ShardLoad {
	out := map[string]screen.ShardLoad{}
	for _, s := range m.shards {
		if !s.Open {
			continue
		}
		if p, ok := m.live[s.ID]; ok {
			if l, ok := m.liveLoad(p); ok {
				out[s.ID] = l
				continue
			}
		}
		if mt, ok := m.metric[s.ID]; ok && !mt.Minute.IsZero() {
			out[s.ID] = screen.ShardLoad{BytesPerSec: mt.InBytes, RecordsPerSec: mt.InRecords, Source: "CloudWatch " + mt.Minute.UTC().Format("15:04")}
		}
	}
	return out
}
