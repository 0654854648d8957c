package consumers

import (
	"slices"
	"strings"

	"github.com/kinspect/kinspect/kinesisx"
	"github.com/kinspect/kinspect/ui/screen/list"
)

// The consumers table's order (o, the sort picker): by name, by age
// (oldest first, the stale ones a prune removes on top) and by status.

// The sort picker's keys.
const (
	sortName   = "n"
	sortAge    = "a"
	sortStatus = "s"
)

func newSort() list.Sort {
	return list.NewSort(
		list.SortOption{Key: sortName, Name: "name", Column: "NAME"},
		list.SortOption{Key: sortAge, Name: "age", Column: "AGE", Desc: true},
		list.SortOption{Key: sortStatus, Name: "status", Column: "STATUS"},
	)
}

// arrange puts the listed consumers in the chosen order and keeps the
// cursor on the consumer it was on.
func (m *Model) arrange() {
	sel, _ := m.Selected()
	m.list = slices.Clone(m.listed)
	list.Apply(m.sort, m.list, func(k string, a, b kinesisx.Consumer) int {
		switch k {
		case sortName:
			return strings.Compare(a.Name, b.Name)
		case sortStatus:
			return strings.Compare(a.Status, b.Status)
		}
		return b.CreatedAt.Compare(a.CreatedAt) // older is more age
	}, func(k string, c kinesisx.Consumer) bool { return k != sortAge || !c.CreatedAt.IsZero() })
	m.cur.SetLen(len(m.list))
	for i, c := range m.list {
		if c.ARN == sel.ARN && sel.ARN != "" {
			m.cur.Set(i)
			break
		}
	}
}
