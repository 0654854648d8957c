package tail

import (
	"errors"
	"fmt"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/kinspect/kinspect/kinesisx"
	"github.com/kinspect/kinspect/ui/keys"
	"github.com/kinspect/kinspect/ui/screen"
)

// Update implements screen.Model.
func (m *Model) Update(msg tea.Msg) tea.Cmd {
	if !m.Mine(msg) {
		return nil
	}
	if ev, ok := m.sub.Update(msg); ok {
		return m.tailEvent(ev)
	}
	switch msg := msg.(type) {
	case filteredMsg:
		return m.filtered(msg)
	case exportedMsg:
		if msg.err != nil {
			return screen.Error(msg.err)
		}
		return screen.Cmd(screen.InfoMsg{Text: fmt.Sprintf("exported %d records to %s", msg.n, msg.path)})
	case tea.KeyPressMsg:
		if m.picker.open {
			return m.pickerKey(msg)
		}
		if m.typing {
			return m.filterKey(msg)
		}
		if m.ux.jumping {
			return m.jumpKey(msg)
		}
		if m.ux.copying {
			return m.copyKey(msg)
		}
		return m.key(msg)
	case tea.ClipboardMsg:
		return m.clipboardRead(msg)
	case tea.MouseWheelMsg:
		if d := keys.Wheel(msg); d != 0 {
			m.move(d)
		}
	}
	return nil
}

// tailEvent takes in what the tail's subscription reports.
func (m *Model) tailEvent(ev SubEvent) tea.Cmd {
	switch {
	case ev.Opened && ev.Err != nil:
		m.running, m.ended = false, ev.Err
		return screen.Error(ev.Err)
	case ev.Batch != nil:
		m.ingest(*ev.Batch, ev.Inner)
		if cmd := m.leadIn(); cmd != nil {
			return cmd // the focused record came: restart a little before it
		}
		return tea.Batch(ev.Cmd, m.ratesCmd(), m.missedCmd())
	case ev.Ended:
		m.running, m.ended = false, ev.Err
		if ev.Err != nil && !errors.Is(ev.Err, m.Ctx().Err()) {
			return screen.Error(fmt.Errorf("tail %s ended: %w", m.opts.Stream, ev.Err))
		}
		return screen.Cmd(screen.InfoMsg{Text: "tail ended"})
	}
	return ev.Cmd
}

// ratesCmd tells the screens below (the stream screen) what the tail sees.
func (m *Model) ratesCmd() tea.Cmd {
	cp := make(map[string]kinesisx.ShardProgress, len(m.progress))
	for k, v := range m.progress {
		cp[k] = v
	}
	return screen.Cmd(screen.ShardRatesMsg{Stream: m.opts.Stream, Shards: cp, At: m.now()})
}

// ingest takes a batch in: progress always, records into the buffer (or
// into pending while paused); inner are their payloads unwrapped, for the
// filter (pending records do not keep them: a search inflates those).
func (m *Model) ingest(b kinesisx.Batch, inner [][]byte) {
	for id, p := range b.Shards {
		m.progress[id] = p
	}
	if b.Cost.Shards > 0 {
		m.cost = b.Cost
	}
	m.arrived += b.Dropped + len(b.Records)
	if m.filterRe != nil {
		m.unseen += b.Dropped
	}
	if m.paused {
		room := m.deps.Capacity - len(m.pending)
		take := min(room, len(b.Records))
		m.pending = append(m.pending, b.Records[:take]...)
		if m.filterRe != nil {
			m.unseen += len(b.Records) - take
		}
		return
	}
	m.append(b.Records, inner)
}

// append pushes records, keeps the filter index and the cursor in step
// with what dropped out, and follows the newest record when following.
// With a filter set, only the matches are kept: the buffer fills with
// what the user is looking for.
func (m *Model) append(recs []kinesisx.Record, inner [][]byte) {
	before := m.rows()
	for i, r := range recs {
		var in []byte
		if i < len(inner) {
			in = inner[i]
		}
		if m.filterRe != nil {
			m.searched++
			if !m.spec().match(&r, in) {
				continue
			}
			m.matches = append(m.matches, m.buf.next())
		}
		m.buf.push(r, in)
	}
	gone := 0
	if m.filterRe != nil {
		for gone < len(m.matches) && m.matches[gone] < m.buf.first {
			gone++
		}
		m.matches = m.matches[gone:]
	} else {
		gone = max(before+len(recs)-m.buf.len(), 0)
	}
	for abs := range m.previews {
		if abs < m.buf.first {
			delete(m.previews, abs)
		}
	}
	m.cur.SetLen(m.rows() + gone)
	m.cur.Shift(gone)
	m.cur.SetLen(m.rows())
	if m.follow {
		m.cur.Bottom()
	}
	m.focusArrived(m.rows()-before+gone, recs)
}

// rows is the number of records in the list (after the filter).
func (m *Model) rows() int {
	if m.filterRe != nil {
		return len(m.matches)
	}
	return m.buf.len()
}

// record returns the record at list row i.
func (m *Model) record(i int) *kinesisx.Record {
	if i < 0 || i >= m.rows() {
		return nil
	}
	if m.filterRe != nil {
		return m.buf.at(m.matches[i])
	}
	return m.buf.at(m.buf.first + uint64(i))
}

// rowAbs returns the absolute index of list row i.
func (m *Model) rowAbs(i int) uint64 {
	if m.filterRe != nil {
		return m.matches[i]
	}
	return m.buf.first + uint64(i)
}

// Selected returns the record under the cursor (nil if none).
func (m *Model) Selected() *kinesisx.Record { return m.record(m.cur.Pos) }

func (m *Model) move(delta int) {
	m.cur.Move(delta)
	m.follow = m.cur.AtBottom() && delta > 0
	m.detailOff = 0
}

func (m *Model) key(msg tea.KeyPressMsg) tea.Cmd {
	k := m.keys
	switch {
	case key.Matches(msg, k.Nav.Up):
		m.move(-1)
	case key.Matches(msg, k.Nav.Down):
		m.move(1)
	case key.Matches(msg, k.Nav.PageUp):
		m.move(-max(m.cur.Height, 1))
	case key.Matches(msg, k.Nav.PageDown):
		m.move(max(m.cur.Height, 1))
	case key.Matches(msg, k.Nav.Top):
		m.cur.Top()
		m.follow = false
	case key.Matches(msg, k.Nav.Bottom), key.Matches(msg, k.Follow):
		m.follow = true
		m.cur.Bottom()
	case key.Matches(msg, k.Pause):
		m.paused = !m.paused
		if !m.paused {
			p := m.pending
			m.pending = nil
			m.append(p, nil)
		}
	case key.Matches(msg, k.Detail):
		m.detail = !m.detail
		m.detailOff = 0
		m.layout()
	case key.Matches(msg, k.DetailDown):
		m.detailOff++
	case key.Matches(msg, k.DetailUp):
		m.detailOff = max(m.detailOff-1, 0)
	case key.Matches(msg, k.ShardStats):
		m.showShards = !m.showShards
		m.layout()
	case key.Matches(msg, k.Filter):
		m.typing = true
		return m.filter.Focus()
	case key.Matches(msg, k.Options):
		m.picker.open = true
	case key.Matches(msg, k.Find):
		return m.openFind()
	case key.Matches(msg, k.Copy):
		return m.copySelected()
	case key.Matches(msg, k.Export):
		return m.export(exportJSONL)
	case key.Matches(msg, k.ExportCSV):
		return m.export(exportCSV)
	case key.Matches(msg, k.Put.Binding):
		return screen.Cmd(screen.ActionRequestedMsg{Action: kinesisx.ActionPut, Stream: m.opts.Stream})
	case key.Matches(msg, k.Jump):
		return m.openJump()
	case key.Matches(msg, k.CopyAs):
		m.ux.copying = m.Selected() != nil
	default:
		cmd, _ := m.lookKey(msg)
		return cmd
	}
	return nil
}

// filterKey edits the filter; the list follows as it is typed.
func (m *Model) filterKey(msg tea.KeyPressMsg) tea.Cmd {
	switch msg.String() {
	case "enter":
		m.typing = false
		m.filter.Blur()
		return screen.Error(m.filterErr)
	case "esc":
		m.typing = false
		m.filter.Blur()
		m.filter.SetValue("")
		m.setFilter("")
		return nil
	}
	var cmd tea.Cmd
	m.filter, cmd = m.filter.Update(msg)
	return tea.Batch(cmd, m.queueFilter(m.filter.Value()))
}
