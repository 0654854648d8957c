package kinesisx

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"
)

// KeptConsumer is a consumer a prune leaves alone, and why.
type KeptConsumer struct {
	Consumer
	Why string
}

// PrunePlan is what a prune of one stream would do.
type PrunePlan struct {
	StreamARN string
	Prune     []Consumer     // stale kinspect consumers, each with Why in Reasons
	Reasons   []string       // why each of Prune is stale, in order
	Kept      []KeptConsumer // every other consumer of the stream
}

// PlanPrune sorts consumers (with heartbeats read, see ReadHeartbeats) into
// those a prune removes and those it keeps:
//
//   - only ACTIVE consumers with kinspect's name prefix are ever removed;
//   - one whose heartbeat is fresh (at most HeartbeatStale old) is used by
//     a live kinspect and is kept, whatever olderThan says, and so is one
//     this process uses (mine);
//   - one whose heartbeat is stale is removed, whatever olderThan says;
//   - one with no heartbeat (an older kinspect, or another tool using the
//     prefix) is removed only when olderThan is positive and it is older
//     than that; olderThan 0 keeps them all.
func PlanPrune(cs []Consumer, mine map[string]bool, now time.Time, olderThan time.Duration) PrunePlan {
	var p PrunePlan
	keep := func(cons Consumer, why string) { p.Kept = append(p.Kept, KeptConsumer{cons, why}) }
	for _, cons := range cs {
		hb := now.Sub(cons.Heartbeat)
		switch {
		case !cons.Kinspect:
			keep(cons, "not a kinspect consumer")
		case cons.Status != ConsumerActive:
			keep(cons, cons.Status)
		case mine[cons.ARN]:
			keep(cons, "this kinspect is using it")
		case !cons.Heartbeat.IsZero() && hb <= HeartbeatStale:
			keep(cons, fmt.Sprintf("live: heartbeat %s ago", roundAge(hb)))
		case !cons.Heartbeat.IsZero():
			p.Prune = append(p.Prune, cons)
			p.Reasons = append(p.Reasons, fmt.Sprintf("heartbeat %s ago (stale after %s)", roundAge(hb), HeartbeatStale))
		case olderThan <= 0:
			keep(cons, "no heartbeat (an older kinspect or another tool): prune it with --older-than")
		case now.Sub(cons.CreatedAt) > olderThan:
			p.Prune = append(p.Prune, cons)
			p.Reasons = append(p.Reasons, fmt.Sprintf("no heartbeat, created %s ago (over --older-than %s)", roundAge(now.Sub(cons.CreatedAt)), olderThan))
		default:
			keep(cons, fmt.Sprintf("no heartbeat, created %s ago (under --older-than %s)", roundAge(now.Sub(cons.CreatedAt)), olderThan))
		}
	}
	return p
}

// roundAge rounds an age to the second for messages.
func roundAge(d time.Duration) time.Duration { return max(d, 0).Round(time.Second) }

// StaleConsumers picks from cs the consumers a prune removes (see
// PlanPrune, with no consumer in use by this process).
func StaleConsumers(cs []Consumer, now time.Time, olderThan time.Duration) []Consumer {
	return PlanPrune(cs, nil, now, olderThan).Prune
}

// mine returns the consumers this process uses: those it registered and
// those it heartbeats.
func (c *Client) mine(cs []Consumer) map[string]bool {
	reg := c.consumer.all()
	out := map[string]bool{}
	for _, cons := range cs {
		if _, ok := reg[cons.ARN]; ok || c.consumer.beating(cons.ARN) {
			out[cons.ARN] = true
		}
	}
	return out
}

// PlanStreamPrune lists a stream's consumers, reads the heartbeats of
// kinspect's, and plans a prune (see PlanPrune). A stale heartbeat that is
// recent may come from a writer whose clock is behind: it is confirmed by
// watching the tag for one beat (see HeartbeatConfirmWait; note, if not
// nil, is told of the wait), and kept when it changed.
func (c *Client) PlanStreamPrune(ctx context.Context, streamARN string, olderThan time.Duration, note func(string)) (PrunePlan, error) {
	all, err := c.ListConsumers(ctx, streamARN)
	if err != nil {
		return PrunePlan{}, err
	}
	all = c.ReadHeartbeats(ctx, all)
	p := PlanPrune(all, c.mine(all), c.now(), olderThan)
	p.StreamARN = streamARN
	if err := c.confirmStale(ctx, &p, note); err != nil {
		return PrunePlan{}, err
	}
	return p, nil
}

// ApplyPrune deregisters the consumers of a plan. Just before each, it
// reads the consumer's heartbeat again: one that a kinspect started using
// since the plan (a fresh heartbeat) is kept, and returned in kept.
func (c *Client) ApplyPrune(ctx context.Context, p PrunePlan) (done []Consumer, kept []KeptConsumer, err error) {
	if err := c.guard.Allow(ActionDeregisterConsumer); err != nil {
		return nil, nil, err
	}
	var errs []error
	for _, cons := range p.Prune {
		if tg := c.tagging(); tg != nil {
			if hb, err := c.readHeartbeat(ctx, tg, cons.ARN); err == nil && !hb.IsZero() && c.now().Sub(hb) <= HeartbeatStale {
				kept = append(kept, KeptConsumer{cons, fmt.Sprintf("live: heartbeat %s ago", roundAge(c.now().Sub(hb)))})
				continue
			}
		}
		if err := c.DeregisterConsumer(ctx, cons.ARN); err != nil {
			errs = append(errs, err)
			continue
		}
		done = append(done, cons)
	}
	return done, kept, errors.Join(errs...)
}

// PruneConsumers deregisters the stale kinspect consumers of a stream (see
// PlanPrune), never one this process or another live kinspect uses, and
// returns the ones it deregistered with the joined errors of those it
// could not.
func (c *Client) PruneConsumers(ctx context.Context, streamARN string, olderThan time.Duration) ([]Consumer, error) {
	if err := c.guard.Allow(ActionDeregisterConsumer); err != nil {
		return nil, err
	}
	p, err := c.PlanStreamPrune(ctx, streamARN, olderThan, nil)
	if err != nil {
		return nil, err
	}
	done, _, err := c.ApplyPrune(ctx, p)
	return done, err
}

// StaleHint looks at a stream's consumers (one ListStreamConsumers and the
// heartbeats of kinspect's, bounded) and returns StaleHintFor's line, or ""
// when there are no stale kinspect consumers. except is a consumer ARN to
// leave out (the caller's own); so are those this process uses.
func (c *Client) StaleHint(ctx context.Context, stream, streamARN, except string, noHeartbeatAge time.Duration) (string, error) {
	all, err := c.ListConsumers(ctx, streamARN)
	if err != nil {
		return "", err
	}
	var kinspect []Consumer
	for _, cons := range all {
		if cons.Kinspect && cons.ARN != except {
			kinspect = append(kinspect, cons)
		}
	}
	if len(kinspect) == 0 {
		return "", nil
	}
	kinspect = c.ReadHeartbeats(ctx, kinspect)
	mine := c.mine(kinspect)
	others := kinspect[:0]
	for _, cons := range kinspect {
		if !mine[cons.ARN] {
			others = append(others, cons)
		}
	}
	return StaleHintFor(stream, others, c.now(), noHeartbeatAge), nil
}

// StaleHintFor is the one line that says how many stale kinspect
// consumers cs (heartbeats read) holds, counting those without heartbeat
// when older than noHeartbeatAge, with the command that prunes them; ""
// when there are none.
func StaleHintFor(stream string, cs []Consumer, now time.Time, noHeartbeatAge time.Duration) string {
	stale := StaleConsumers(cs, now, noHeartbeatAge)
	if len(stale) == 0 {
		return ""
	}
	cmd := "kinspect consumers " + stream + " --prune"
	for _, cons := range stale {
		if cons.Heartbeat.IsZero() {
			cmd += " --older-than " + shortDuration(noHeartbeatAge)
			break
		}
	}
	return fmt.Sprintf("%d stale kinspect consumer(s) on %s, billed while registered; prune with: %s", len(stale), stream, cmd)
}

// shortDuration spells a whole duration without its zero parts: 24h, 90m.
func shortDuration(d time.Duration) string {
	s := d.String()
	s = strings.TrimSuffix(s, "0s")
	if strings.HasSuffix(s, "h0m") {
		s = strings.TrimSuffix(s, "0m")
	}
	if s == "" {
		return "0s"
	}
	return s
}
