package shards

import (
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/kinspect/kinspect/kinesisx"
	"github.com/kinspect/kinspect/ui/screen"
	"github.com/kinspect/kinspect/ui/tail"
)

// The live-rates tail: the screen reads the whole stream from LATEST
// (tail.Live), keeps only the per-shard progress (rates, lag, latency)
// and lets the session take the batches (hot keys, the live fill), so the
// bars move while the screen is on top. It runs only while the screen is
// the top of the stack: Stop closes it, Start reopens it.
//
// The first screen answers: a stream small enough for the read budget
// (AutoLive) has its live rates on from its first load, instead of dashes
// until CloudWatch publishes; the header says so and L turns them off
// (and on again). A wider stream waits for L.

// LiveFillAfter is how long the live tail runs before the screen asks
// for metrics again, so that the minutes CloudWatch has not published yet
// are filled from it (the next regular poll is up to MetricsEvery away).
const LiveFillAfter = tail.FillAfter

// A tail from LATEST counts each second's records one poll interval
// (1 s) late, and the second it opened in only from when it opened: its
// one-second rates are whole 3 s after it opened, and its minute means
// (the 60 s divided by 60) 62 s after. Before, they read low: a shard at
// its limit shows 0% or 67%, and a minute's mean after 10 s a sixth.
const (
	liveSecondWhole = 3 * time.Second
	liveMinuteWhole = 62 * time.Second
)

// liveWhole reports whether the newest live batch was measured at least
// d after the live tail opened.
func (m *Model) liveWhole(d time.Duration) bool {
	return !m.liveAt.IsZero() && m.liveAt.Sub(m.liveFrom) >= d
}

// liveLoad is a shard's incoming traffic from the live tail: the minute's
// mean once the tail has run a whole minute, else its last whole second;
// ok is false before that.
func (m *Model) liveLoad(p kinesisx.ShardProgress) (l screen.ShardLoad, ok bool) {
	switch {
	case m.liveWhole(liveMinuteWhole) && (p.Rates.BytesPerSec60s > 0 || p.Rates.RecordsPerSec60s > 0):
		return screen.ShardLoad{BytesPerSec: p.Rates.BytesPerSec60s, RecordsPerSec: p.Rates.RecordsPerSec60s, Source: "live, last minute"}, true
	case m.liveWhole(liveSecondWhole):
		return screen.ShardLoad{BytesPerSec: p.Rates.BytesPerSec1s, RecordsPerSec: p.Rates.RecordsPerSec1s, Source: "live, last second"}, true
	}
	return screen.ShardLoad{}, false
}

// AutoLive reports whether live rates start on their own for a stream of
// open shards. A caught-up shard is read once a second, so the live rates
// of n shards take n GetRecords calls/s: they start when the default read
// budget of a tail of n shards (kinesisx.DefaultCallsPerSec: 50 + n/9)
// reads every shard each second, that is up to 56 open shards.
func AutoLive(open int) bool {
	return open > 0 && float64(open) <= kinesisx.DefaultCallsPerSec(open)
}

// autoLive turns the live rates on, once, after the first load, when the
// stream is small enough; the user's L decides from then on.
func (m *Model) autoLive() tea.Cmd {
	if m.liveDecided || m.tailer == nil {
		return nil
	}
	m.liveDecided = true
	open := 0
	for _, s := range m.shards {
		if s.Open {
			open++
		}
	}
	if m.autoMax < 0 || (m.autoMax > 0 && open > m.autoMax) || !AutoLive(open) {
		return nil
	}
	m.tail.SetOn(true)
	return m.startLive()
}

// startLive opens the live tail if it is wanted, not running, and the
// screen is on top. Its first second of rates counts less than a second of
// records (a tail from LATEST starts at zero): those samples are gaps, not
// a dip.
func (m *Model) startLive() tea.Cmd {
	if !m.onTop {
		return nil
	}
	cmd := m.tail.Start(m.Ctx(), m.tailer, m.name)
	if cmd != nil {
		m.liveFrom = m.now()
	}
	return cmd
}

// stopLive closes the live tail; its rates are dropped, as they would no
// longer be live.
func (m *Model) stopLive() {
	m.tail.Stop()
	clear(m.live)
}

// updateLive handles the live tail's messages (ok is false for others).
func (m *Model) updateLive(msg tea.Msg) (cmd tea.Cmd, ok bool) {
	ev, ok := m.tail.Update(msg, m.now())
	if !ok {
		return nil, false
	}
	if ev.Opened {
		m.liveFrom = m.now() // its rates count from the opening, not the asking
	}
	if ev.Shards != nil {
		m.observe(screen.ShardRatesMsg{Stream: m.name, Shards: ev.Shards, At: m.now()})
	}
	if ev.Fill {
		// The tail has fed the live fill for a while: ask once now, so
		// the unpublished minutes fill without waiting for the next poll.
		return tea.Batch(ev.Cmd, m.pollMetrics()), true
	}
	return ev.Cmd, true
}
