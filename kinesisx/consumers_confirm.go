package kinesisx

import (
	"context"
	"fmt"
	"time"
)

// A heartbeat holds its writer's wall clock, and a writer's clock may be
// behind ours: a heartbeat that looks stale but is younger than
// HeartbeatConfirmWithin (by our clock) is confirmed by watching it for
// HeartbeatConfirmWait, one beat and a margin. One that changed meanwhile
// is live, whatever its time says. Older ones are stale at once.
const (
	HeartbeatConfirmWithin = 15 * time.Minute
	HeartbeatConfirmWait   = HeartbeatEvery + 15*time.Second
)

// confirmStale watches the consumers of p.Prune whose heartbeat looks
// stale but recent (see HeartbeatConfirmWithin): it reads their heartbeat
// tags, waits HeartbeatConfirmWait once for all of them (saying so through
// note, if not nil), and reads them again. Those whose tag changed, or
// could not be read, move to p.Kept. It returns ctx's error if the wait
// was cut short.
func (c *Client) confirmStale(ctx context.Context, p *PrunePlan, note func(string)) error {
	tg := c.tagging()
	if tg == nil {
		return nil
	}
	now := c.now()
	var watch []int
	for i, cons := range p.Prune {
		if !cons.Heartbeat.IsZero() && now.Sub(cons.Heartbeat) < HeartbeatConfirmWithin {
			watch = append(watch, i)
		}
	}
	if len(watch) == 0 {
		return nil
	}
	before := map[int]string{}
	failed := map[int]error{}
	for _, i := range watch {
		v, err := c.readHeartbeatTag(ctx, tg, p.Prune[i].ARN)
		if err != nil {
			failed[i] = err
		}
		before[i] = v
	}
	if note != nil {
		note(fmt.Sprintf("waiting %.0fs to confirm that %d consumer(s) stopped beating", HeartbeatConfirmWait.Seconds(), len(watch)))
	}
	if err := c.wait(ctx, HeartbeatConfirmWait); err != nil {
		return err
	}
	why := map[int]string{}
	for _, i := range watch {
		if err := failed[i]; err != nil {
			why[i] = fmt.Sprintf("heartbeat could not be read to confirm it stopped: %v", err)
			continue
		}
		after, err := c.readHeartbeatTag(ctx, tg, p.Prune[i].ARN)
		switch {
		case err != nil:
			why[i] = fmt.Sprintf("heartbeat could not be read to confirm it stopped: %v", err)
		case after != before[i]:
			why[i] = "live: heartbeat changed while we watched"
		}
	}
	var prune []Consumer
	var reasons []string
	for i, cons := range p.Prune {
		if w, kept := why[i]; kept {
			p.Kept = append(p.Kept, KeptConsumer{cons, w})
			continue
		}
		prune = append(prune, cons)
		r := p.Reasons[i]
		if _, watched := before[i]; watched {
			r += fmt.Sprintf(", unchanged over %.0fs", HeartbeatConfirmWait.Seconds())
		}
		reasons = append(reasons, r)
	}
	p.Prune, p.Reasons = prune, reasons
	return nil
}
