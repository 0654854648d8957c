package ui

import (
	"fmt"
	"strings"
	"testing"

	"github.com/kinspect/kinspect/kinesisx"
)

// TestReadOnlyKeyFlashesWhy: in read-only mode a dangerous key is not in
// help or the footer, but pressed it is not silent: the screen asks, the
// root's guard refuses and the status line says why, then clears.
func TestReadOnlyKeyFlashesWhy(t *testing.T) {
	why := "profile prod-eu is listed in KINSPECT_READ_ONLY_PROFILES"
	for _, size := range [][2]int{{120, 40}, {80, 24}} {
		t.Run(fmt.Sprint(size), func(t *testing.T) {
			fm := &fakeMonitor{guard: kinesisx.Guard{ReadOnly: true, Why: why}}
			d := newDriver(t, setup{Stream: "orders", ReadOnly: true, ReadOnlyWhy: why, Writer: fakeWriter{}, Consumers: fakeWriter{},
				Monitor: fm, StatusFor: 3e9}, size[0], size[1])
			if s := d.screen(); strings.Contains(s, "split") || strings.Contains(s, "put") {
				t.Errorf("the footer offers a dangerous key:\n%s", s)
			}
			for _, tc := range []struct{ key, want string }{
				{"s", "split shard: read-only mode refused it (" + why},
				{"p", "put records: read-only mode refused it ("},
				{"e", "enable enhanced monitoring: read-only mode refused it ("},
				{"b", ":bench: put records: read-only mode refused it ("},
			} {
				d.keys(tc.key)
				if s := d.screen(); !strings.Contains(strings.Join(strings.Fields(s), " "), tc.want) || d.a.overlay != nil {
					t.Errorf("%s: want %q:\n%s", tc.key, tc.want, s)
				}
				d.checkFits(size[0], size[1])
			}
			if fm.got() != "" {
				t.Errorf("nothing may change: %s", fm.got())
			}
			d.advance(3e9)
			if d.a.status != "" {
				t.Errorf("the flash should clear, still %q", d.a.status)
			}
			typeCommand(d, "consumers")
			d.keys("d")
			if s := d.screen(); !strings.Contains(s, "deregister consumer: read-only mode refused it") || strings.Contains(s, "Deregister consumer kinspect-x-1?") {
				t.Errorf("d on the consumers screen refuses before asking:\n%s", s)
			}
			d.keys("?")
			if s := strings.SplitN(d.screen(), "\n", 2)[1]; strings.Contains(s, "deregister") {
				t.Errorf("help lists a dangerous key:\n%s", s)
			}
		})
	}
}
