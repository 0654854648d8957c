package ui

import (
	"errors"
	"fmt"
	"image/color"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/kinspect/kinspect/ui/screen"
)

// statusText is the status area of the screen: the lines above the body,
// which starts with the home screen's table header.
func statusArea(d *driver) []string {
	lines := strings.Split(d.screen(), "\n")
	n := d.a.statusHeight()
	return lines[:n]
}

// TestStatusKeepsItsPoint: a message too long for the line beside the
// breadcrumbs and labels takes the line alone, then wraps; the file name
// and the clipboard's caveat are never cut, and the screen keeps its size.
func TestStatusKeepsItsPoint(t *testing.T) {
	const file = "kinspect-o-20260105T073500.000Z.jsonl"
	path := "/home/someone/exports/kinesis/" + file
	msgs := []string{
		"exported 12,345 records to " + path,
		"sent 5 bytes (text) to the clipboard (OSC 52; your terminal may ignore it)",
	}
	for _, w := range []int{40, 80, 120} {
		for _, msg := range msgs {
			t.Run(fmt.Sprint(w, msg[:4]), func(t *testing.T) {
				d := newDriver(t, setup{Profile: "prod", Region: "eu-west-1", Endpoint: "http://127.0.0.1:4567"}, w, 24)
				d.send(screen.InfoMsg{Text: msg})
				area := statusArea(d)
				joined := ""
				for _, l := range area {
					joined += strings.TrimRight(l, " ")
				}
				if !strings.Contains(strings.ReplaceAll(joined, " ", ""), strings.ReplaceAll(msg, " ", "")) {
					t.Errorf("width %d: the message is cut:\n%s", w, strings.Join(area, "\n"))
				}
				if strings.Contains(msg, file) && !strings.Contains(strings.Join(area, "\n"), file) {
					t.Errorf("width %d: the file name is broken:\n%s", w, strings.Join(area, "\n"))
				}
				if !strings.Contains(d.screen(), "q quit") {
					t.Errorf("width %d: the footer is gone:\n%s", w, d.screen())
				}
				d.checkFits(w, 24)
			})
		}
	}
}

// TestStatusClears: as in k9s, a message clears after a delay (3 s by
// default), and a newer message is not cleared by an older one's timer.
func TestStatusClears(t *testing.T) {
	d := newDriver(t, setup{StatusFor: time.Second}, 100, 12)
	typeCommand(d, "nope")
	if first := strings.SplitN(d.screen(), "\n", 2)[0]; !strings.Contains(first, "unknown command :nope") {
		t.Fatalf("the error should show:\n%s", first)
	}
	d.advance(500 * time.Millisecond)
	d.send(screen.InfoMsg{Text: "tail ended"})
	d.advance(500 * time.Millisecond) // the error's timer
	if first := strings.SplitN(d.screen(), "\n", 2)[0]; !strings.Contains(first, "tail ended") {
		t.Errorf("an older timer cleared a newer message:\n%s", first)
	}
	d.advance(500 * time.Millisecond)
	if d.a.status != "" || strings.Contains(d.screen(), "tail ended") {
		t.Errorf("the message should clear:\n%s", d.screen())
	}
	d.send(screen.ErrorMsg{Err: errors.New("x")})
	d.checkFits(100, 12)
}

// TestReadOnlyBadgeAlwaysShows: under a read-only profile the RO badge is
// on the status line at every width, with or without a message; the
// labels (the endpoint last) give way, never the badge. It used to be cut
// off below about 200 columns behind a long endpoint.
func TestReadOnlyBadgeAlwaysShows(t *testing.T) {
	for _, w := range []int{40, 80, 120, 200} {
		d := newDriver(t, setup{Profile: "prod-eu", Region: "eu-west-1", Endpoint: "https://kinesis.eu-west-1.vpce-0a1b2c3d4e5f.amazonaws.com", ReadOnly: true}, w, 24)
		line, _ := d.a.statusLine()
		if plain := ansi.Strip(line); !strings.Contains(plain, " RO ") || lipgloss.Width(line) > w {
			t.Errorf("width %d: the RO badge is missing or the line overflows:\n%q", w, plain)
		}
		d.a.status = "exported 1,234 records to /tmp/kinspect-orders-20261205T090000Z.jsonl"
		if line, _ = d.a.statusLine(); !strings.Contains(ansi.Strip(line), " RO ") {
			t.Errorf("width %d: a message hides the RO badge:\n%q", w, ansi.Strip(line))
		}
	}
}

// TestProfileColor: a profile with a colour has its label drawn in it,
// the same words; without colour (NO_COLOR) nothing changes.
func TestProfileColor(t *testing.T) {
	plain := newDriver(t, setup{Profile: "prod-eu", Region: "eu-west-1"}, 120, 10)
	colored := newDriver(t, setup{Profile: "prod-eu", Region: "eu-west-1", Color: "1"}, 120, 10)
	if a, b := plain.a.View().Content, colored.a.View().Content; a != b {
		t.Error("without colour the label is drawn alike")
	}
	for _, d := range []*driver{plain, colored} {
		d.a.cfg.NoColor = false
		d.send(tea.BackgroundColorMsg{Color: color.Black})
	}
	a, b := plain.a.View().Content, colored.a.View().Content
	if a == b || ansi.Strip(a) != ansi.Strip(b) || !strings.Contains(ansi.Strip(b), "profile prod-eu · region eu-west-1") {
		t.Errorf("the profile's colour should change the drawing, not the words:\n%q\n%q", a, b)
	}
}
