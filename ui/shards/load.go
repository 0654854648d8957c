package shards

import (
	"github.com/kinspect/kinspect/ui/screen"
)

// loads are the open shards' incoming traffic for a dialog (the merge
// preview): the live tail's minute average when it has one (else its last
// second), or CloudWatch's newest complete minute; shards with neither
// are left out.
func (m *Model) loads() map[string]screen.ShardLoad {
	out := map[string]screen.ShardLoad{}
	for _, s := range m.shards {
		if !s.Open {
			continue
		}
		if p, ok := m.live[s.ID]; ok {
			l := screen.ShardLoad{BytesPerSec: p.Rates.BytesPerSec60s, RecordsPerSec: p.Rates.RecordsPerSec60s, Source: "live, last minute"}
			if l.BytesPerSec <= 0 && l.RecordsPerSec <= 0 {
				l = screen.ShardLoad{BytesPerSec: p.Rates.BytesPerSec1s, RecordsPerSec: p.Rates.RecordsPerSec1s, Source: "live, last second"}
			}
			out[s.ID] = l
			continue
		}
		if mt, ok := m.metric[s.ID]; ok && !mt.Minute.IsZero() {
			out[s.ID] = screen.ShardLoad{BytesPerSec: mt.InBytes, RecordsPerSec: mt.InRecords, Source: "CloudWatch " + mt.Minute.UTC().Format("15:04")}
		}
	}
	return out
}
