package streams

import (
	"cmp"
	"strings"

	"github.com/kinspect/kinspect/ui/screen/list"
)

// The streams table's order (o, the sort picker): by name, by open shards,
// by utilisation (the stream's incoming bytes against its limit, from
// CloudWatch's newest complete minute).

// The sort picker's keys.
const (
	sortName  = "n"
	sortCount = "s"
	sortUtil  = "u"
)

// utilTitle is the title of the throughput column drawn beside the table.
const utilTitle = "IN (CloudWatch)"

func newSort() list.Sort {
	return list.NewSort(
		list.SortOption{Key: sortName, Name: "name", Column: "NAME"},
		list.SortOption{Key: sortCount, Name: "shards", Column: "SHARDS", Desc: true},
		list.SortOption{Key: sortUtil, Name: "utilisation", Column: utilTitle, Desc: true},
	)
}

// utilisation is the stream's incoming bytes as a fraction of its limit
// (1 MiB/s per open shard); ok is false when it is not known.
func utilisation(r row) (float64, bool) {
	if !r.in.OK || !r.described || r.detail.OpenShards == 0 {
		return 0, false
	}
	return r.in.BytesPerSec / (float64(r.detail.OpenShards) * (1 << 20)), true
}

// order sorts the shown rows in the chosen order (the rows are listed by
// name).
func (m *Model) order() {
	list.Apply(m.sort, m.shown, func(k string, a, b int) int {
		ra, rb := m.rows[a], m.rows[b]
		switch k {
		case sortName:
			return strings.Compare(ra.sum.Name, rb.sum.Name)
		case sortCount:
			return cmp.Compare(ra.detail.OpenShards, rb.detail.OpenShards)
		}
		ua, _ := utilisation(ra)
		ub, _ := utilisation(rb)
		return cmp.Compare(ua, ub)
	}, func(k string, i int) bool {
		switch k {
		case sortCount:
			return m.rows[i].described
		case sortUtil:
			_, ok := utilisation(m.rows[i])
			return ok
		}
		return true
	})
}
