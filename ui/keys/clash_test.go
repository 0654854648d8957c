package keys_test

import (
	"testing"

	"charm.land/bubbles/v2/help"

	"github.com/kinspect/kinspect/ui/consumers"
	"github.com/kinspect/kinspect/ui/keys"
	"github.com/kinspect/kinspect/ui/metricsview"
	"github.com/kinspect/kinspect/ui/shards"
	"github.com/kinspect/kinspect/ui/streams"
)

// TestListKeysDoNotClash: on every sortable table, the sort picker (o)
// and the closed-shards toggle (c) are keys no other binding of the
// screen, nor a global one, uses; and the picker is in each screen's help.
func TestListKeysDoNotClash(t *testing.T) {
	for name, km := range map[string]help.KeyMap{
		"shards":    shards.NewKeyMap(false),
		"streams":   streams.NewKeyMap(false),
		"consumers": consumers.NewKeyMap(false),
		"metrics":   metricsview.NewKeyMap(false),
	} {
		seen := map[string]string{}
		for _, b := range keys.NewGlobal().FullHelp()[0] {
			for _, k := range b.Keys() {
				seen[k] = "global " + b.Help().Desc
			}
		}
		sort := false
		for _, group := range km.FullHelp() {
			for _, b := range group {
				sort = sort || b.Help().Key == "o"
				for _, k := range b.Keys() {
					if other, ok := seen[k]; ok {
						t.Errorf("%s: %q is both %q and %q", name, k, other, b.Help().Desc)
					}
					seen[k] = b.Help().Desc
				}
			}
		}
		if !sort {
			t.Errorf("%s: the help lacks the sort picker", name)
		}
	}
}
