package tail

import (
	"fmt"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/kinspect/kinspect/ui/screen"
)

// colMode says which optional columns (SEQUENCE, SIZE) the list shows.
type colMode int

const (
	colsAuto    colMode = iota // shown from autoColsFrom cells of list width
	colsAll                    // always shown
	colsCompact                // always hidden
)

// autoColsFrom is the list width from which colsAuto shows SEQUENCE and
// SIZE: at 80 cells the payload needs the room more.
const autoColsFrom = 100

// hStep is how many cells left/right scroll the payload column.
const hStep = 16

// wrapMax is how many lines a record's payload takes at most when wrapped.
const wrapMax = 6

// rawMode is how the detail pane shows a payload.
type rawMode int

const (
	rawDecoded rawMode = iota // decoded: gzip inflated, JSON pretty and coloured
	rawText                   // the bytes as stored, as text
	rawHex                    // a hex dump of the bytes as stored
)

func (r rawMode) String() string {
	return [...]string{"decoded", "raw text", "hex"}[r]
}

// look is how the screen shows its records: wrapping and scrolling of the
// payload column, the optional columns, the time zone and the detail
// pane's view. It changes nothing that is tailed.
type look struct {
	wrap     bool
	hoff     int // cells the payload column is scrolled by (unwrapped)
	cols     colMode
	local    bool           // times in the local zone, else UTC
	localLoc *time.Location // the local zone; nil is time.Local
	raw      rawMode
	pkey     previewKey // what the cached previews were made for
	det      *detail    // the selected record's detail pane (detail.go)
}

// previewKey is what a cached preview depends on besides its record.
type previewKey struct {
	width, hoff int
	wrap        bool
}

// loc is the zone times are shown in.
func (l *look) loc() *time.Location {
	switch {
	case !l.local:
		return time.UTC
	case l.localLoc != nil:
		return l.localLoc
	}
	return time.Local
}

// zone is the name of the shown zone at t ("UTC", "CET").
func (l *look) zone(t time.Time) string {
	name, _ := t.In(l.loc()).Zone()
	return name
}

// rowLayout is the list's columns at a width.
func (m *Model) rowLayout(width int) rowLayout {
	show := m.look.cols == colsAll || (m.look.cols == colsAuto && width >= autoColsFrom)
	return rowLayout{seq: show, size: show, loc: m.look.loc(), zone: m.look.zone(m.now())}
}

// lookKey handles the keys that change how records are shown; ok is false
// for any other key.
func (m *Model) lookKey(msg tea.KeyPressMsg) (cmd tea.Cmd, ok bool) {
	k, l := m.keys, &m.look
	switch {
	case key.Matches(msg, k.Wrap):
		l.wrap = !l.wrap // the header says so
		l.hoff = 0
	case key.Matches(msg, k.Left):
		l.hoff = max(l.hoff-hStep, 0)
	case key.Matches(msg, k.Right):
		if !l.wrap {
			l.hoff += hStep
		}
	case key.Matches(msg, k.Columns):
		l.cols = (l.cols + 1) % 3
		return info("columns: " + [...]string{
			fmt.Sprintf("auto (SEQUENCE and SIZE from %d cells wide)", autoColsFrom),
			"all", "compact (no SEQUENCE, no SIZE)"}[l.cols]), true
	case key.Matches(msg, k.Zone):
		l.local = !l.local // the TIME column's title says which
	case key.Matches(msg, k.Raw):
		l.raw = (l.raw + 1) % 3
		m.detailOff = 0
		return info("detail: " + l.raw.String()), true
	default:
		return nil, false
	}
	return nil, true
}

func info(s string) tea.Cmd { return screen.Cmd(screen.InfoMsg{Text: s}) }
