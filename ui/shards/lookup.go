package shards

import (
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/kinspect/kinspect/kinesisx"
	"github.com/kinspect/kinspect/kinesisx/hashkey"
	"github.com/kinspect/kinspect/ui/screen"
)

// lookupResult is where a typed partition key lands.
type lookupResult struct {
	query   string
	hash    hashkey.Key
	shardID string // "" when no open shard owns the key
}

// lookupKey routes a partition key to the open shard owning its MD5.
func lookupKey(shards []kinesisx.Shard, partitionKey string) lookupResult {
	r := lookupResult{query: partitionKey, hash: hashkey.FromPartitionKey(partitionKey)}
	for _, s := range shards {
		if s.Open && s.HashRange.Contains(r.hash) {
			r.shardID = s.ID
			break
		}
	}
	return r
}

func (m *Model) key(msg tea.KeyPressMsg) tea.Cmd {
	if m.typing {
		return m.typeLookup(msg)
	}
	k := m.keys
	sel := m.Selected()
	if handled, changed := m.sort.Key(msg); handled {
		if changed {
			// The tree has its own order: a chosen order shows the table.
			m.lineage = false
			m.arrangeFrom(sel.ID)
		}
		return nil
	}
	if k.Nav.Move(msg, &m.cur) {
		return nil
	}
	switch {
	case key.Matches(msg, k.Lineage):
		m.lineage = !m.lineage
		m.arrangeFrom(sel.ID)
	case key.Matches(msg, k.Closed):
		m.hideClosed = !m.hideClosed
		m.lineage = false
		m.arrangeFrom(sel.ID)
	case key.Matches(msg, k.Lookup):
		// A new lookup starts empty: the last key is still on the info
		// line until then, but typing after it would make another key.
		m.typing = true
		m.lookup.SetValue("")
		m.found = lookupResult{}
		return m.lookup.Focus()
	case key.Matches(msg, k.HotKeys):
		m.hot = !m.hot
		if m.hot && !m.tail.On() && m.tailer != nil && m.traffic != nil {
			// The panel needs traffic: read the stream live while it shows.
			m.tail.SetOn(true)
			return m.startLive()
		}
	case key.Matches(msg, k.Bench.Binding):
		return screen.Cmd(screen.RunCommandMsg{Command: "bench"})
	case key.Matches(msg, k.Find):
		return screen.Cmd(screen.RunCommandMsg{Command: "find"})
	case key.Matches(msg, k.MetricsOn.Binding):
		return screen.Cmd(screen.MonitoringRequestedMsg{Stream: m.name, Enable: true})
	case key.Matches(msg, k.MetricsOff.Binding):
		return screen.Cmd(screen.MonitoringRequestedMsg{Stream: m.name, Enable: false})
	case key.Matches(msg, k.Live):
		m.liveDecided = true // the user's choice: the first load keeps it
		m.tail.SetOn(!m.tail.On())
		if !m.tail.On() {
			m.stopLive()
			return nil
		}
		return m.startLive()
	case key.Matches(msg, k.Refresh):
		return tea.Batch(m.reload(), m.pollMetrics())
	case key.Matches(msg, k.Tail):
		if sel.ID != "" {
			return screen.Cmd(screen.OpenTailMsg{Stream: m.name, Shards: []string{sel.ID}})
		}
	case key.Matches(msg, k.TailAll):
		return screen.Cmd(screen.OpenTailMsg{Stream: m.name})
	case key.Matches(msg, k.Write.Put.Binding):
		return m.request(kinesisx.ActionPut, sel.ID)
	case key.Matches(msg, k.Write.Split.Binding):
		return m.request(kinesisx.ActionSplit, sel.ID)
	case key.Matches(msg, k.Write.Merge.Binding):
		return m.request(kinesisx.ActionMerge, sel.ID)
	case key.Matches(msg, k.Write.Scale.Binding):
		return m.request(kinesisx.ActionScale, "")
	}
	return nil
}

func (m *Model) request(a kinesisx.Action, shardID string) tea.Cmd {
	return screen.Cmd(screen.ActionRequestedMsg{Action: a, Stream: m.name, ShardID: shardID, InBytesPerSec: m.inRate(shardID), Loads: m.loads()})
}

// inRate is a shard's incoming bytes/s: the live tail's (liveLoad), else
// CloudWatch's newest minute; 0 when unknown.
func (m *Model) inRate(shardID string) float64 {
	if p, ok := m.live[shardID]; ok {
		if l, ok := m.liveLoad(p); ok {
			return l.BytesPerSec
		}
	}
	if mt, ok := m.metric[shardID]; ok {
		return mt.InBytes
	}
	return 0
}

// typeLookup edits the key and follows it live: the cursor jumps to the
// shard the key lands on as it is typed.
func (m *Model) typeLookup(msg tea.KeyPressMsg) tea.Cmd {
	switch msg.String() {
	case "enter":
		m.typing = false
		m.lookup.Blur()
		return nil
	case "esc":
		m.typing = false
		m.lookup.Blur()
		m.lookup.SetValue("")
		m.found = lookupResult{}
		return nil
	}
	var cmd tea.Cmd
	m.lookup, cmd = m.lookup.Update(msg)
	if q := m.lookup.Value(); q != "" {
		m.found = lookupKey(m.shards, q)
		m.selectID(m.found.shardID)
	} else {
		m.found = lookupResult{}
	}
	return cmd
}
