package metricsview

import (
	"cmp"
	"slices"
	"strings"

	"github.com/kinspect/kinspect/metrics"
	"github.com/kinspect/kinspect/ui/screen/list"
)

// The shards table's order (o, the sort picker): by the newest complete
// minute's incoming bytes, incoming records, outgoing bytes, iterator age,
// or the shard ID. Shards without the figure come last.

func newSort() list.Sort {
	return list.NewSort(
		list.SortOption{Key: "b", Name: "in bytes", Column: "IN/s", Desc: true},
		list.SortOption{Key: "r", Name: "in records", Column: "REC/s", Desc: true},
		list.SortOption{Key: "u", Name: "out bytes", Column: "OUT/s", Desc: true},
		list.SortOption{Key: "a", Name: "iterator age", Column: "AGE", Desc: true},
		list.SortOption{Key: "i", Name: "ID", Column: "SHARD"},
	)
}

// figure is the value a shard sorts by under key (nil: none).
func figure(key string, s metrics.ShardReport) *float64 {
	switch key {
	case "b":
		return s.IncomingBytesPerSec
	case "r":
		return s.IncomingRecordsPerSec
	case "u":
		return s.OutgoingBytesPerSec
	case "a":
		return s.IteratorAgeMs
	}
	return nil
}

// arrange puts the shown shards in the chosen order and keeps the cursor
// on its shard.
func (m *Model) arrange() {
	sel := ""
	if m.cur.Pos >= 0 && m.cur.Pos < len(m.rows) {
		sel = m.rows[m.cur.Pos].ID
	}
	m.rows = slices.Clone(m.listed)
	list.Apply(m.sort, m.rows, func(k string, a, b metrics.ShardReport) int {
		if k == "i" {
			return strings.Compare(a.ID, b.ID)
		}
		return cmp.Compare(*figure(k, a), *figure(k, b))
	}, func(k string, s metrics.ShardReport) bool { return k == "i" || figure(k, s) != nil })
	m.cur.SetLen(len(m.rows))
	for i, s := range m.rows {
		if s.ID == sel {
			m.cur.Set(i)
			break
		}
	}
}
