// Package session holds what outlives a screen of the terminal UI: the
// traffic seen of each stream (hot keys, split points), the live counts
// that fill the minutes CloudWatch has not published yet, the auto-off
// timers of shard-level metrics, and the CloudWatch adapter that reads
// metrics for the screens and fills them from those counts.
//
// Ownership: one Session per UI run, held by the root model. Its state
// changes in one place, on the event loop: a tail's batch arrives as a
// message, and the Update that receives it calls Observe; the auto-off
// timers change by Auto's methods, called from Update too. No Cmd
// goroutine writes to it. The CloudWatch adapter's loads run in Cmds and
// read the live counts, which therefore keep a lock; nothing else does.
//
// The package draws nothing and imports no screen: the screens and the
// root read it.
package session

import (
	"time"

	"github.com/kinspect/kinspect/kinesisx"
	"github.com/kinspect/kinspect/kinesisx/hotkeys"
)

// Session is what the UI keeps across screens.
type Session struct {
	// Traffic analyses what the tails see: hot keys, split points.
	Traffic *Traffic
	// Live counts the tails' batches per shard and minute, for the live
	// fill of the CloudWatch adapter built on it.
	Live *Live
	// Auto holds the auto-off timers of shard-level metrics.
	Auto *Auto
}

// New builds a Session; now is the clock of the live counts and the
// timers (nil: time.Now), opts the hot-key analysers'.
func New(now func() time.Time, opts hotkeys.Options) *Session {
	if now == nil {
		now = time.Now
	}
	return &Session{Traffic: NewTraffic(0, opts), Live: NewLive(now), Auto: NewAuto()}
}

// Observe takes a tail's batch of stream in: the traffic analysis and the
// live counts. Call it from the event loop only (the Update that
// received the batch). Safe on a nil Session.
func (s *Session) Observe(stream string, b kinesisx.Batch) {
	if s == nil {
		return
	}
	s.Traffic.AddBatch(stream, b)
	s.Live.Observe(stream, b)
}
