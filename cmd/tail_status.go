package cmd

import (
	"fmt"
	"io"
	"os"
	"time"

	"golang.org/x/term"

	"github.com/kinspect/kinspect/kinesisx"
)

// costStatus is tail -v's status line on stderr: what kinspect's reads
// take from each shard's shared read limits (5 GetRecords calls/s and
// 2 MiB/s, shared with every polling consumer), so that an on-call person
// can tell kinspect is not what throttles production consumers.
type costStatus struct {
	w    io.Writer
	live bool // one line rewritten in place, not a line every few seconds
	efo  bool
	cost kinesisx.TailCost
	// shards holds each shard's latest cost, for the busiest one.
	shards map[string]kinesisx.ReadCost
	shown  bool
}

// Status line intervals: a live line is redrawn every second; otherwise a
// line is written every 5 s.
const (
	statusLiveEvery = time.Second
	statusLineEvery = 5 * time.Second
)

// newCostStatus writes to errw; live when errw is a terminal and out is
// not (records on the terminal would break a line rewritten in place).
func newCostStatus(errw, out io.Writer, efo bool) *costStatus {
	return &costStatus{w: errw, live: isTerminal(errw) && !isTerminal(out), efo: efo, shards: map[string]kinesisx.ReadCost{}}
}

func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

// every is how often show should be called.
func (s *costStatus) every() time.Duration {
	if s.live {
		return statusLiveEvery
	}
	return statusLineEvery
}

// update takes a batch's cost figures.
func (s *costStatus) update(b kinesisx.Batch) {
	if b.Cost.Shards > 0 || s.efo {
		s.cost = b.Cost
	}
	for id, p := range b.Shards {
		if p.Closed {
			delete(s.shards, id)
			continue
		}
		s.shards[id] = p.Cost
	}
}

// show writes the status: in place when live, else as a line.
func (s *costStatus) show() {
	if s.live {
		fmt.Fprintf(s.w, "\r\x1b[K%s", s.line())
	} else {
		fmt.Fprintln(s.w, s.line())
	}
	s.shown = true
}

// done ends the live line (the last figures stay on screen), or writes a
// last line.
func (s *costStatus) done() {
	if s.live && s.shown {
		fmt.Fprintf(s.w, "\r\x1b[K%s\n", s.line())
		return
	}
	if !s.live {
		fmt.Fprintln(s.w, s.line())
	}
}

// line says what the tail's reads cost over the last seconds.
func (s *costStatus) line() string {
	if s.efo {
		return fmt.Sprintf("kinspect reads with enhanced fan-out over %d shards: its own 2 MiB/s per shard, nothing from the shared 5 reads/s and 2 MiB/s", len(s.shards))
	}
	c := s.cost
	line := "kinspect reads " + c.String()
	var busiest kinesisx.ReadCost
	least := -1.0
	for _, rc := range s.shards {
		if rc.CallsPerSec > busiest.CallsPerSec || (rc.CallsPerSec == busiest.CallsPerSec && rc.BytesPerSec > busiest.BytesPerSec) {
			busiest = rc
		}
		if least < 0 || rc.CallsPerSec < least {
			least = rc.CallsPerSec
		}
	}
	if c.Shards > 1 {
		// The least-read shard's calls over the window: 0.1 calls/s is
		// once in the last 10 s.
		line += fmt.Sprintf("; busiest shard %.1f calls/s, %s; least read %.1f calls/s", busiest.CallsPerSec, kinesisx.BytesPerSec(busiest.BytesPerSec), least)
	}
	if c.Budget > 0 {
		line += fmt.Sprintf("; budget %.0f calls/s", c.Budget)
	}
	return line + fmt.Sprintf(" (last %.0f s)", kinesisx.CostWindow.Seconds())
}
