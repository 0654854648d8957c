package tail

import (
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"

	"github.com/kinspect/kinspect/kinesisx"
	"github.com/kinspect/kinspect/kinesisx/hotkeys"
	"github.com/kinspect/kinspect/metrics"
	"github.com/kinspect/kinspect/session"
	"github.com/kinspect/kinspect/ui/help"
	"github.com/kinspect/kinspect/ui/internal/uitest"
	"github.com/kinspect/kinspect/ui/screen"
)

func TestPutKeyAndSampling(t *testing.T) {
	sess := session.New(func() time.Time { return t0 }, hotkeys.Options{})
	h := newHarness(t, Deps{Session: sess}, 120, 20)
	h.start()
	h.deliver(batchOf(record(1, 1, "abc"), record(1, 2, "defg")))
	a, _ := sess.Traffic.Lookup("orders")
	if got := a.Samples("shardId-000000000001"); len(got) != 2 {
		t.Errorf("the tail should sample what it reads: %v", got)
	}
	if st, ok := a.Shard("shardId-000000000001", 1); !ok || st.Records != 2 {
		t.Errorf("the tail should feed the hot-key analyser: %+v", st)
	}
	var r metrics.Report
	r.Shards = []metrics.ShardReport{{ID: "shardId-000000000001"}}
	if sess.Live.Nowcast("orders", &r, []string{"shardId-000000000001"}, t0, time.Minute).IsZero() {
		t.Error("the tail should feed the live fill every batch")
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
