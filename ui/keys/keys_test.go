package keys

import (
	"testing"

	"charm.land/bubbles/v2/key"
)

func TestReadOnlyDisablesDangerous(t *testing.T) {
	tests := []struct {
		dangerous, readOnly, enabled bool
	}{
		{false, false, true},
		{false, true, true},
		{true, false, true},
		{true, true, false},
	}
	for _, tt := range tests {
		a := NewAction("x", "do x", tt.dangerous, tt.readOnly)
		if a.Enabled() != tt.enabled || a.Dangerous != tt.dangerous {
			t.Errorf("dangerous=%v readOnly=%v: enabled %v", tt.dangerous, tt.readOnly, a.Enabled())
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
