package e2e

import (
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"
)

// rowTime takes the TIME column of the tail's record rows.
var rowTime = regexp.MustCompile(`(?m)^(\d\d):(\d\d):(\d\d)\.(\d{3}) `)

// watermark is kinesisx.DefaultWatermark, the TUI's.
const watermark = time.Second

// TestTUIMergedTailTimeOrder: in `kinspect demo`, a whole-stream tail of
// orders (4 shards, one of them hot) from the trim horizon, whose first
// reads bring each shard's backlog in one block, shows its rows in arrival
// order: paging through the first records, the TIME column never goes
// back by more than the watermark.
func TestTUIMergedTailTimeOrder(t *testing.T) {
	needTmux(t)
	for _, size := range [][2]int{{120, 40}, {80, 24}} {
		t.Run(fmt.Sprintf("%dx%d", size[0], size[1]), func(t *testing.T) {
			tm := newTerm(t, size[0], size[1])
			tm.startDemo()
			tm.openOrders("SHARD")
			time.Sleep(3 * time.Second) // a backlog on every shard
			tm.keys("t")
			tm.wait("tail picker", "Start a tail of orders")
			tm.keys("Right")
			tm.wait("from the trim horizon", "[trim-horizon]")
			tm.keys("Enter")
			tm.wait("tail", "● live")
			tm.waitRe("records arrive", rowTime)
			time.Sleep(2 * time.Second) // the backlog is read
			// Pause (the buffer holds still), go to the first record and
			// page through the first 40 pages: the backlog, where each
			// shard's first read brought a block.
			tm.keys("Space")
			tm.wait("paused", "paused")
			tm.keys("Home")
			var prev time.Duration
			rows, last := 0, ""
			for page := 0; page < 40; page++ {
				s := settled(tm)
				if rowsOf(s) == last {
					break // the last page
				}
				last = rowsOf(s)
				n := 0
				prev, n = checkTimeOrder(t, s, prev)
				rows += n
				tm.keys("NPage")
			}
			if rows < 100 {
				t.Fatalf("only %d record rows seen: the check saw too little", rows)
			}
			t.Logf("%d rows checked", rows)
			tm.checkFrame("tail")
			tm.keys("q")
			tm.wait("quit", "EXIT=0")
		})
	}
}

// checkTimeOrder checks one screen's rows, top to bottom, after prev (the
// latest time on the screens before), and returns the latest time and how
// many rows it saw.
func checkTimeOrder(t *testing.T, s string, prev time.Duration) (time.Duration, int) {
	t.Helper()
	rows := rowTime.FindAllStringSubmatch(s, -1)
	for i, m := range rows {
		var h, mi, sec, ms int
		if _, err := fmt.Sscanf(m[1]+" "+m[2]+" "+m[3]+" "+m[4], "%d %d %d %d", &h, &mi, &sec, &ms); err != nil {
			t.Fatalf("row %d: %q: %v", i, m[0], err)
		}
		at := time.Duration(h)*time.Hour + time.Duration(mi)*time.Minute + time.Duration(sec)*time.Second + time.Duration(ms)*time.Millisecond
		if prev > 0 && at < prev-watermark && prev-at < 12*time.Hour { // not midnight
			t.Fatalf("row %d at %s comes after one at %s: back by more than %v\n%s", i, strings.TrimSpace(m[0]), fmtClock(prev), watermark, s)
		}
		prev = max(prev, at)
	}
	return prev, len(rows)
}

// settled captures the screen until its record rows hold still (the
// header's count of records that came while paused may move).
func settled(tm *term) string {
	tm.t.Helper()
	last := ""
	for deadline := time.Now().Add(waitFor); time.Now().Before(deadline); {
		time.Sleep(100 * time.Millisecond)
		s := tm.screen()
		tm.check("tail", s)
		rows := rowsOf(s)
		if rows == last && rows != "" {
			return s
		}
		last = rows
	}
	tm.t.Fatalf("the tail's rows did not hold still within %s", waitFor)
	return ""
}

// rowsOf returns the record rows of a screen.
func rowsOf(s string) string {
	var rows []string
	for _, l := range strings.Split(s, "\n") {
		if rowTime.MatchString(l) {
			rows = append(rows, l)
		}
	}
	return strings.Join(rows, "\n")
}

func fmtClock(d time.Duration) string {
	return fmt.Sprintf("%02d:%02d:%06.3f", int(d.Hours()), int(d.Minutes())%60, (d % time.Minute).Seconds())
}
