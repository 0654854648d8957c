package consumers

import (
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/kinspect/kinspect/kinesisx"
)

// mixed adds a creating consumer, a deleting one and one with no
// creation time to the sample.
func mixed() *fakeSource {
	f := sample()
	f.list = append(f.list,
		kinesisx.Consumer{Name: "billing", ARN: "arn:c/billing", Status: "CREATING", CreatedAt: now.Add(-time.Minute)},
		kinesisx.Consumer{Name: "zeta", ARN: "arn:c/zeta", Status: "DELETING"},
		kinesisx.Consumer{Name: "audit", ARN: "arn:c/audit", Status: "ACTIVE", CreatedAt: now.Add(-100 * time.Hour)},
	)
	return f
}

func order(m *Model) string {
	var out []string
	for _, c := range m.list {
		out = append(out, strings.TrimPrefix(c.ARN, "arn:c/"))
	}
	return strings.Join(out, " ")
}

func TestConsumersSort(t *testing.T) {
	for _, w := range []int{80, 120} {
		m := newModel(t, mixed(), false, w, 12)
		press(m, "down") // old
		press(m, "o")
		if !m.Capturing() || !strings.Contains(plain(m), "a age") {
			t.Fatalf("%d: o should open the picker:\n%s", w, plain(m))
		}
		for _, c := range []struct {
			keys         []string
			want, header string
		}{
			// Oldest first; no creation time, last.
			{[]string{"a"}, "audit analytics old new billing zeta", "AGE ↓"},
			{[]string{"o", "a"}, "billing new old analytics audit zeta", "AGE ↑"},
			// Stable: the listed order within a status.
			{[]string{"o", "s"}, "analytics old new audit billing zeta", "STATUS ↑"},
			{[]string{"o", "n"}, "analytics audit billing old new zeta", "NAME ↑"},
			{[]string{"o", "-"}, "analytics old new billing zeta audit", ""},
		} {
			press(m, c.keys...)
			if got := order(m); got != c.want {
				t.Errorf("%d: after %v: %s, want %s", w, c.keys, got, c.want)
			}
			header := strings.Split(plain(m), "\n")[2]
			if c.header != "" && !strings.Contains(header, c.header) || c.header == "" && strings.ContainsAny(header, "↑↓") {
				t.Errorf("%d: header %q, want %q", w, header, c.header)
			}
			if sel, _ := m.Selected(); sel.ARN != "arn:c/old" {
				t.Errorf("%d: after %v the cursor is on %s", w, c.keys, sel.ARN)
			}
		}
		// A reload keeps the order and the cursor.
		press(m, "o", "a", "r")
		if sel, _ := m.Selected(); order(m)[:5] != "audit" || sel.ARN != "arn:c/old" {
			t.Errorf("%d: after a reload: %s, cursor on %s", w, order(m), sel.ARN)
		}
	}
}

func TestConsumersClick(t *testing.T) {
	m := newModel(t, mixed(), false, 100, 12)
	m.Update(tea.MouseClickMsg{Button: tea.MouseLeft, Y: 5}) // title, confirm line, header, rows from 3
	if sel, _ := m.Selected(); sel.Name != "kinspect-host-12345678" {
		t.Errorf("a click on the third row selected %q", sel.Name)
	}
	m.Update(tea.MouseClickMsg{Button: tea.MouseLeft, Y: 2})
	if sel, _ := m.Selected(); sel.Name != "kinspect-host-12345678" {
		t.Errorf("a click on the header selected %q", sel.Name)
	}
}
