package shards

import (
	"strings"

	"github.com/kinspect/kinspect/ui/screen/list"
)

// The flat table's order (o, the sort picker) and the closed shards it
// hides (c). The lineage tree (l) keeps its own order and shows every
// shard: a closed parent is part of the tree.

// The sort picker's keys.
const (
	sortLoad    = "b"
	sortRecords = "r"
	sortLag     = "l"
	sortID      = "i"
	sortState   = "s"
)

// newSort is the stream screen's sort: the loads and the lag heaviest
// first, the ID and the state (open first) ascending.
func newSort() list.Sort {
	return list.NewSort(
		list.SortOption{Key: sortLoad, Name: "bytes %", Column: "IN B/s", Desc: true},
		list.SortOption{Key: sortRecords, Name: "records %", Column: "IN REC/s", Desc: true},
		list.SortOption{Key: sortLag, Name: "lag", Column: "LAG", Desc: true},
		list.SortOption{Key: sortID, Name: "ID", Column: "SHARD"},
		list.SortOption{Key: sortState, Name: "state", Column: "STATE"},
	)
}

// sortRow is one shard of the flat table with the figure it sorts by.
type sortRow struct {
	idx   int
	value float64
	known bool
}

// arrange rebuilds the flat table's rows (closed shards hidden when asked,
// then in the chosen order) and keeps the cursor on the shard it was on.
func (m *Model) arrange() { m.arrangeFrom(m.Selected().ID) }

// arrangeFrom is arrange with the cursor put on shard sel (the shard list
// may have changed since the cursor was on it).
func (m *Model) arrangeFrom(sel string) {
	rows := make([]sortRow, 0, len(m.shards))
	key := ""
	if o, ok := m.sort.Active(); ok {
		key = o.Key
	}
	for i, s := range m.shards {
		if m.hideClosed && !s.Open {
			continue
		}
		r := sortRow{idx: i}
		r.value, r.known = m.sortValue(i, key)
		rows = append(rows, r)
	}
	list.Apply(m.sort, rows, func(k string, a, b sortRow) int {
		sa, sb := m.shards[a.idx], m.shards[b.idx]
		switch k {
		case sortID:
			return strings.Compare(sa.ID, sb.ID)
		case sortState:
			return boolRank(sa.Open) - boolRank(sb.Open)
		}
		switch {
		case a.value < b.value:
			return -1
		case a.value > b.value:
			return 1
		}
		return 0
	}, func(_ string, r sortRow) bool { return r.known })
	m.view = m.view[:0]
	for _, r := range rows {
		m.view = append(m.view, r.idx)
	}
	m.cur.SetLen(m.rowCount())
	m.selectID(sel)
}

// boolRank puts open shards before closed ones.
func boolRank(open bool) int {
	if open {
		return 0
	}
	return 1
}

// sortValue is the figure shard i sorts by under key: its incoming bytes
// or records a second as the bars show them (live or CloudWatch), or its
// lag; known is false where the table shows "–".
func (m *Model) sortValue(i int, key string) (v float64, known bool) {
	s := m.shards[i]
	liveOn := m.tail.Open()
	d := cellData{shard: s, liveOn: liveOn, warm: liveOn && m.liveWhole(liveSecondWhole)}
	if p, ok := m.live[s.ID]; ok {
		d.live = &p
	}
	if mt, ok := m.metric[s.ID]; ok {
		d.metric = &mt
	}
	switch key {
	case sortLoad, sortRecords:
		inB, inR, _, haveIn, _ := rates(d)
		if key == sortLoad {
			return inB, haveIn
		}
		return inR, haveIn
	case sortLag:
		switch {
		case d.live != nil:
			return float64(d.live.MillisBehindLatest), true
		case d.metric != nil:
			return float64(d.metric.IteratorAgeMs), true
		}
		return 0, false
	}
	return 0, true
}

// sortsByRates reports whether the order follows figures that change with
// every batch or poll (the loads, the lag).
func (m *Model) sortsByRates() bool {
	o, ok := m.sort.Active()
	return ok && (o.Key == sortLoad || o.Key == sortRecords || o.Key == sortLag)
}

// rowCount is the number of rows on screen: the tree's or the flat
// table's.
func (m *Model) rowCount() int {
	if m.lineage {
		return len(m.tree)
	}
	return len(m.view)
}

// hiddenClosed is how many closed shards the flat table hides.
func (m *Model) hiddenClosed() int {
	if !m.hideClosed || m.lineage {
		return 0
	}
	return len(m.shards) - len(m.view)
}
