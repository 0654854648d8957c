package keys

import (
	"testing"

	"charm.land/bubbles/v2/key"
)

func TestReadOnlyDisablesDangerous(t *testing.T) {
	tests := []struct {
		dangerous, readOnly, offered bool
	}{
		{false, false, true},
		{false, true, true},
		{true, false, true},
		{true, true, false},
	}
	for _, tt := range tests {
		// Not offered in help, a dangerous key stays bound in read-only
		// mode: pressed, it asks the root, whose guard says why not.
		a := NewAction("x", "do x", tt.dangerous, tt.readOnly)
		if Offered(a.Binding) != tt.offered || !a.Enabled() || a.Dangerous != tt.dangerous {
			t.Errorf("dangerous=%v readOnly=%v: offered %v enabled %v", tt.dangerous, tt.readOnly, Offered(a.Binding), a.Enabled())
		}
	}
	if n := len(NewWrite(true).Bindings()); n != 0 {
		t.Errorf("read-only write bindings: %d, want none", n)
	}
	w := NewWrite(false)
	if n := len(w.Bindings()); n != 4 {
		t.Errorf("write bindings: %d, want 4", n)
	}
	for _, a := range []Action{w.Put, w.Split, w.Merge, w.Scale} {
		if !a.Dangerous {
			t.Errorf("%s should be dangerous", a.Help().Desc)
		}
	}
}

func TestHelpSpellsKeysOut(t *testing.T) {
	var all []key.Binding
	g := NewGlobal()
	all = append(all, g.ShortHelp()...)
	all = append(all, NewNav().Bindings()...)
	for _, b := range all {
		h := b.Help().Key
		if h == "" || len(h) > 1 && h[0] == 'C' && h[1] == '-' {
			t.Errorf("help key %q is not spelled out", h)
		}
	}
}
