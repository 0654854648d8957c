package e2e

import (
	"fmt"
	"regexp"
	"strings"
	"testing"
)

// TestTailTimeZoneAndWrap: in `kinspect demo` (its local endpoint) with
// TZ=Europe/Paris, the tail's TIME column is labelled UTC, T turns it to
// the local zone (CET in December, CEST in summer) and back; at 80 cells
// the SEQUENCE and SIZE columns give their room to the payload; w wraps
// the payloads under their column and unwraps them.
func TestTailTimeZoneAndWrap(t *testing.T) {
	needTmux(t)
	for _, size := range [][2]int{{120, 40}, {80, 24}} {
		t.Run(fmt.Sprintf("%dx%d", size[0], size[1]), func(t *testing.T) {
			tailLook(t, size[0], size[1])
		})
	}
}

func tailLook(t *testing.T, w, h int) {
	tm := demoOrders(t, w, h, "TZ=Europe/Paris")
	tm.keys("t")
	tm.wait("tail picker", "Start a tail of orders")
	tm.keys("Enter")
	s := tm.waitRe("records arrive", recordRow)
	if !strings.Contains(s, "TIME UTC") {
		t.Errorf("the TIME column should say UTC:\n%s", s)
	}
	if wide := strings.Contains(s, "SEQUENCE") && strings.Contains(s, " SIZE "); wide != (w >= 100) {
		t.Errorf("at %d cells SEQUENCE and SIZE shown: %v:\n%s", w, wide, s)
	}
	tm.checkFrame("tail")

	tm.keys("T")
	tm.waitRe("local time", regexp.MustCompile(`TIME CES?T`))
	tm.checkFrame("local time")
	tm.keys("T")
	tm.wait("UTC again", "TIME UTC")

	// Wrapped: an order (about 130 bytes of JSON) continues on the next
	// lines, under the payload column.
	tm.keys("Space")
	tm.wait("paused", "paused")
	tm.keys("w")
	cont := regexp.MustCompile(fmt.Sprintf(`(?m)^\d\d:\d\d:\d\d\.\d{3} .*\{"orderId".*\n {%d}\S`, payloadColumn(w)))
	tm.waitRe("wrapped", cont)
	tm.wait("wrapped header", "PAYLOAD (wrapped: w)")
	tm.checkFrame("wrapped")
	tm.keys("w")
	s = tm.waitMatch("unwrapped", func(s string) bool { return !strings.Contains(s, "wrapped: w") })
	if cont.MatchString(s) {
		t.Errorf("w again should put each payload on one line:\n%s", s)
	}
	tm.checkFrame("unwrapped")

	tm.keys("q")
	tm.wait("quit", "EXIT=0")
}

// payloadColumn is where the tail's payload column starts at a width: the
// TIME, SHARD and KEY columns, with SEQUENCE and SIZE from 100 cells.
func payloadColumn(w int) int {
	if w >= 100 {
		return 12 + 6 + 12 + 16 + 8 + 5
	}
	return 12 + 6 + 16 + 3
}

// demoOrders runs `kinspect demo` with env (VAR=value words before the
// command) in a w x h terminal and opens the orders stream.
func demoOrders(t *testing.T, w, h int, env string) *term {
	tm := newTerm(t, w, h)
	tm.text(env + " " + kinspect + " demo; echo EXIT=$?")
	tm.keys("Enter")
	tm.wait("home", "streams (3)", "orders")
	tm.keys("/")
	tm.text("orders")
	for _, want := range []string{"filter: orders", "4 open / 4 shards"} { // filter, then open
		tm.keys("Enter")
		tm.wait("open orders", want)
	}
	return tm
}
