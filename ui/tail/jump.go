package tail

import (
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"

	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"

	"github.com/kinspect/kinspect/kinesisx"
	"github.com/kinspect/kinspect/ui/screen"
)

// prompts are the one-line inputs of the running tail besides the filter:
// the jump (g) and the copy chooser (Y). At most one is open.
type prompts struct {
	jumping bool
	jump    textinput.Model
	jumpErr error
	copying bool
	// focus is the sequence number of the record to select when it
	// arrives (OpenTailMsg.Focus); "" once found.
	focus string
	// lead says the tail started at the focused record's sequence number
	// and restarts a little before it once it knows its time (leadIn).
	lead bool
	// before is where the restart goes, once the focused record came.
	before *kinesisx.StartPosition
	// missed is the focused record the tail went past without it, until
	// the status line says so (focus.go).
	missed string
	// clip is what was last sent to the clipboard, until the terminal
	// says what its clipboard holds (copy.go).
	clip, clipWhat string
}

func (p *prompts) open() bool { return p.jumping || p.copying }

// leadTime is how far before the focused record the tail restarts.
const leadTime = 5 * time.Second

// StartAt starts the tail at from (the CLI's --from syntax; "" keeps the
// start picker open) and selects the record whose sequence number is focus
// when it arrives, without following past it. When from is at:FOCUS (the
// find screen's "open at this record"), the tail starts AT_SEQUENCE_NUMBER
// and, once the record came and its arrival time is known, restarts
// AT_TIMESTAMP leadTime earlier on the same shard: the record shows with
// the records around it, before and after (Kinesis cannot start before a
// sequence number without a time). A bad from, or a sequence number on a
// tail of several shards, leaves the picker open with the text and the
// reason.
func (m *Model) StartAt(from, focus string) tea.Cmd {
	m.ux.focus = focus
	if from == "" {
		return nil
	}
	pos, err := m.checkPosition(kinesisx.ParseStartPosition(from, m.now()))
	if err != nil {
		p := &m.picker
		p.from, p.row, p.err = len(fromChoices)-1, 0, err
		p.custom.SetValue(from)
		return p.custom.Focus()
	}
	m.picker.open = false
	m.ux.lead = focus != "" && pos.Type == kinesisx.PositionAtSequence && pos.Sequence == focus
	opts := m.opts
	opts.From, opts.Mode = pos, kinesisx.ModePolling
	return m.begin(opts)
}

// checkPosition refuses a sequence number on a tail of several shards: a
// sequence number belongs to one shard, the others would refuse it.
func (m *Model) checkPosition(pos kinesisx.StartPosition, err error) (kinesisx.StartPosition, error) {
	if err != nil {
		return pos, err
	}
	seq := pos.Type == kinesisx.PositionAtSequence || pos.Type == kinesisx.PositionAfterSequence
	if seq && len(m.opts.Shards) != 1 {
		return pos, errors.New("a sequence number belongs to one shard: tail that shard, or give a time")
	}
	return pos, nil
}

// clockTime is a time of day: 10:42 or 10:42:05.
var clockTime = regexp.MustCompile(`^([0-9]{1,2}):([0-9]{2})(?::([0-9]{2}))?$`)

// parseJump reads where to jump: a time of day in the zone shown (today,
// or yesterday when that is still to come), a bare sequence number, or
// anything --from takes (RFC 3339, -15m, at:SEQ, latest, trim-horizon).
func parseJump(s string, now time.Time, loc *time.Location) (kinesisx.StartPosition, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return kinesisx.StartPosition{}, errors.New("type a time (RFC 3339, -15m, 10:42) or a sequence number")
	}
	if strings.Trim(s, "0123456789") == "" {
		return kinesisx.ParseStartPosition("at:"+s, now)
	}
	if c := clockTime.FindStringSubmatch(s); c != nil {
		h, _ := strconv.Atoi(c[1])
		mi, _ := strconv.Atoi(c[2])
		sec := 0
		if c[3] != "" {
			sec, _ = strconv.Atoi(c[3])
		}
		if h > 23 || mi > 59 || sec > 59 {
			return kinesisx.StartPosition{}, fmt.Errorf("%q is not a time of day", s)
		}
		n := now.In(loc)
		t := time.Date(n.Year(), n.Month(), n.Day(), h, mi, sec, 0, loc)
		if t.After(now) {
			t = t.AddDate(0, 0, -1)
		}
		return kinesisx.StartPosition{Type: kinesisx.PositionAtTimestamp, Timestamp: t}, nil
	}
	pos, err := kinesisx.ParseStartPosition(s, now)
	if err != nil && !strings.Contains(s, ":") { // at:/after: errors say what is wrong with the number
		return pos, fmt.Errorf("%q is not a time (10:42, -15m, RFC 3339) nor a sequence number", s)
	}
	return pos, err
}

// openJump opens the jump input.
func (m *Model) openJump() tea.Cmd {
	if m.ux.jump.Prompt == "" {
		m.ux.jump = screen.Input("jump to ", "10:42, -15m, 2026-12-05T10:42:00Z or a sequence number")
		m.ux.jump.SetWidth(max(m.width-12, 1))
	}
	m.ux.jumping, m.ux.jumpErr = true, nil
	m.ux.jump.SetValue("")
	return m.ux.jump.Focus()
}

// jumpKey edits the jump; enter restarts the tail there, keeping its
// mode and shards. Bad input says why and changes nothing.
func (m *Model) jumpKey(msg tea.KeyPressMsg) tea.Cmd {
	switch msg.String() {
	case "esc":
		m.ux.jumping, m.ux.jumpErr = false, nil
		m.ux.jump.Blur()
		return nil
	case "enter":
		pos, err := m.checkPosition(parseJump(m.ux.jump.Value(), m.now(), m.look.loc()))
		if err != nil {
			m.ux.jumpErr = err
			return nil
		}
		m.ux.jumping, m.ux.jumpErr = false, nil
		m.ux.jump.Blur()
		opts := m.opts
		opts.From = pos
		m.paused = false // show where it jumped
		m.ux.focus, m.ux.lead, m.ux.before = "", false, nil
		return tea.Batch(m.begin(opts), info("tail restarted from "+pos.String()))
	}
	m.ux.jumpErr = nil
	var cmd tea.Cmd
	m.ux.jump, cmd = m.ux.jump.Update(msg)
	return cmd
}

// focusArrived selects the focused record if it is among the last n rows
// (recs the records that came): the tail stops following and pauses so
// that it stays in sight. When the tail went past it, it gives up on it
// (missFocus).
func (m *Model) focusArrived(n int, recs []kinesisx.Record) {
	if m.ux.focus == "" {
		return
	}
	for i := max(m.rows()-n, 0); i < m.rows(); i++ {
		if r := m.record(i); r.SequenceNumber == m.ux.focus {
			if m.ux.lead {
				m.ux.lead = false
				m.ux.before = &kinesisx.StartPosition{Type: kinesisx.PositionAtTimestamp, Timestamp: r.ArrivedAt.Add(-leadTime)}
				return
			}
			m.ux.focus = ""
			m.cur.Center(i)
			m.follow = false
			// Paused, so that what comes after it (a find's match may be
			// followed by far more records than the buffer holds) waits
			// in pending instead of pushing it out; space resumes.
			m.paused = true
			return
		}
	}
	if m.passedFocus(recs) {
		m.missFocus(m.rows() - n)
	}
}

// leadIn restarts the tail before the focused record once it came.
func (m *Model) leadIn() tea.Cmd {
	pos := m.ux.before
	if pos == nil {
		return nil
	}
	m.ux.before = nil
	opts := m.opts
	opts.From = *pos
	return m.begin(opts)
}

// promptLine is the open prompt, in place of the rates line.
func (m *Model) promptLine() (string, bool) {
	switch {
	case m.ux.jumping:
		if m.ux.jumpErr != nil { // first, so that a narrow screen shows it
			return m.st.Error.Render(m.ux.jumpErr.Error()) + "  " + m.ux.jump.View(), true
		}
		return m.ux.jump.View(), true
	case m.ux.copying:
		return m.st.Accent.Render("copy: ") + "p payload  j JSON line (as tail -o json)  k key  s sequence number" +
			m.st.Muted.Render("  esc cancels"), true
	}
	return "", false
}
