package tail

import (
	"fmt"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"github.com/kinspect/kinspect/kinesisx"
	"github.com/kinspect/kinspect/kinesisx/hotkeys"
	"github.com/kinspect/kinspect/ui/help"
	"github.com/kinspect/kinspect/ui/internal/uitest"
	"github.com/kinspect/kinspect/ui/screen"
	"github.com/kinspect/kinspect/ui/traffic"
)

func TestPutKeyAndSampling(t *testing.T) {
	store := traffic.New(0, hotkeys.Options{})
	var fed []string
	h := newHarness(t, Deps{Traffic: store, Feed: func(stream string, b kinesisx.Batch) {
		fed = append(fed, fmt.Sprintf("%s:%d", stream, len(b.Records)))
	}}, 120, 20)
	h.start()
	h.deliver(batchOf(record(1, 1, "abc"), record(1, 2, "defg")))
	a, _ := store.Lookup("orders")
	if got := a.Samples("shardId-000000000001"); len(got) != 2 {
		t.Errorf("the tail should sample what it reads: %v", got)
	}
	if st, ok := a.Shard("shardId-000000000001", 1); !ok || st.Records != 2 {
		t.Errorf("the tail should feed the hot-key analyser: %+v", st)
	}
	if strings.Join(fed, ",") != "orders:2" {
		t.Errorf("the tail should feed the live fill every batch: %v", fed)
	}
	msgs := uitest.Msgs(h.press("p"))
	req, ok := uitest.Find[screen.ActionRequestedMsg](msgs)
	if !ok || req.Action != kinesisx.ActionPut || req.Stream != "orders" {
		t.Errorf("p should ask for the put dialog, got %v", msgs)
	}
}

func TestPutHiddenReadOnly(t *testing.T) {
	h := newHarnessC(t, screen.Common{ReadOnly: true}, Deps{}, 120, 20)
	h.start()
	// p still asks: the root's guard refuses it and says why.
	if _, ok := uitest.Find[screen.ActionRequestedMsg](uitest.Msgs(h.press("p"))); !ok {
		t.Error("p should ask the root in read-only mode too")
	}
	st := *h.m.st
	text := ansi.Strip(strings.Join(help.Render(st, h.m.KeyMap().FullHelp()), "\n"))
	if strings.Contains(text, "put records") {
		t.Errorf("help lists put in read-only mode:\n%s", text)
	}
}
