// Package latency is kinspect's latency lab: it puts timestamped probe
// records into a stream and reads them back through a polling tail and an
// enhanced fan-out tail at the same time, then reports per read mode how
// long the whole run took to arrive and the delivery latency of each
// probe (put to receipt), so that polling and EFO can be compared on one's
// own stream.
//
// Run owns every goroutine it starts (one per tail to drain it, one per
// probed shard to put) and waits for all of them before it returns; the
// EFO tail registers a fresh kinspect consumer and deregisters it when it
// closes. Run puts records, so it goes through the client's mutation guard
// and fails in read-only mode.
package latency

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"time"

	"github.com/kinspect/kinspect/kinesisx"
)

// Defaults of Options.
const (
	DefaultRecords = 4000
	// ShardRate is the default rate per probed shard: a shard's write
	// limit in records/s, so by default the probes come at what the probed
	// shards take (2 shards: 2,000 records/s, the article's setup).
	ShardRate      = 1000
	DefaultTimeout = 30 * time.Second
	// MaxShards bounds the shards one run probes: every probed shard gets a
	// reader per mode (and an EFO subscription).
	MaxShards = 16
)

// Options configure a run. Only Stream is required.
type Options struct {
	Stream string
	// Shards are the shards to probe and read; empty means every open
	// shard, when there are at most MaxShards.
	Shards []string
	// Records is the number of probes (default 4000); Rate the probes per
	// second over all probed shards (default ShardRate per probed shard).
	Records int
	Rate    float64
	// Modes to compare (default polling and EFO), each read by its own tail
	// from LATEST.
	Modes []kinesisx.Mode
	// Timeout is how long to wait for the tails to start reading, and for
	// the last probes after the last put (default 30 s each).
	Timeout time.Duration
	// Progress, if set, is called about five times a second from Run's
	// goroutine while the run is in flight.
	Progress func(Progress)
}

// Progress is the state of a run in flight.
type Progress struct {
	Phase string // "starting", "putting", "draining"
	Put   int    // probes put so far (approximate while putting)
	Seen  map[kinesisx.Mode]int
}

// Report is the result of a run.
type Report struct {
	Stream  string
	RunID   string
	Shards  []string
	Records int
	Rate    float64
	// Started is the first probe's put time; PutDuration from it to the
	// last probe's put.
	Started     time.Time
	PutDuration time.Duration
	Sent        int // probes the stream accepted
	PutFailed   int // probes that failed after every retry
	Modes       []ModeReport
}

func (o *Options) defaults() error {
	if o.Stream == "" {
		return errors.New("latency lab: no stream")
	}
	if o.Records < 0 || o.Rate < 0 || o.Timeout < 0 {
		return errors.New("latency lab: records, rate and timeout cannot be negative")
	}
	if o.Records == 0 {
		o.Records = DefaultRecords
	}
	if len(o.Modes) == 0 {
		o.Modes = []kinesisx.Mode{kinesisx.ModePolling, kinesisx.ModeEFO}
	}
	if o.Timeout == 0 {
		o.Timeout = DefaultTimeout
	}
	seen := map[kinesisx.Mode]bool{}
	for _, m := range o.Modes {
		if seen[m] {
			return fmt.Errorf("latency lab: mode %s named twice", m)
		}
		seen[m] = true
	}
	return nil
}

// Run runs the lab on a stream and returns its report. It fails before
// putting anything when the options are wrong, the client is read-only,
// the shards cannot be found, or a tail cannot start reading within the
// timeout; once probes are out, a tail that stops early is reported in its
// ModeReport.Err.
func Run(ctx context.Context, c *kinesisx.Client, opts Options) (Report, error) {
	if err := opts.defaults(); err != nil {
		return Report{}, err
	}
	rep := Report{Stream: opts.Stream, RunID: newRunID(), Records: opts.Records, Rate: opts.Rate}
	if c.ReadOnly() {
		return rep, fmt.Errorf("latency lab: %w", (kinesisx.Guard{ReadOnly: true}).Allow(kinesisx.ActionPut))
	}
	shards, err := targetShards(ctx, c, opts)
	if err != nil {
		return rep, err
	}
	rep.Shards = shards
	opts.Rate = rateFor(opts.Rate, len(shards))
	rep.Rate = opts.Rate
	r := &run{c: c, opts: opts, rep: &rep}
	defer r.close()
	if err := r.startTails(ctx); err != nil {
		return rep, err
	}
	if err := r.put(ctx); err != nil {
		return rep, err
	}
	r.drain(ctx)
	r.close()
	first, last := r.sched.span()
	rep.Started, rep.PutDuration = first, last.Sub(first)
	for i, col := range r.cols {
		m := col.report(rep.Sent, first)
		m.Consumer = r.tails[i].ConsumerARN()
		if err := r.tails[i].Err(); err != nil {
			m.Err = err.Error()
		}
		rep.Modes = append(rep.Modes, m)
	}
	return rep, nil
}

// rateFor is the rate of a run on n probed shards: the one asked for, or
// ShardRate per shard.
func rateFor(asked float64, n int) float64 {
	if asked > 0 {
		return asked
	}
	return float64(ShardRate * n)
}

// targetShards checks the shards to probe, or picks every open one.
func targetShards(ctx context.Context, c *kinesisx.Client, opts Options) ([]string, error) {
	all, err := c.ListShards(ctx, opts.Stream)
	if err != nil {
		return nil, fmt.Errorf("latency lab: %w", err)
	}
	var out []string
	if len(opts.Shards) == 0 {
		for _, s := range all {
			if s.Open {
				out = append(out, s.ID)
			}
		}
		if len(out) > MaxShards {
			return nil, fmt.Errorf("latency lab: stream %s has %d open shards: name at most %d to probe (--shard)", opts.Stream, len(out), MaxShards)
		}
		return out, nil
	}
	if len(opts.Shards) > MaxShards {
		return nil, fmt.Errorf("latency lab: %d shards named: probe at most %d", len(opts.Shards), MaxShards)
	}
	for _, id := range opts.Shards {
		s, ok := kinesisx.FindShard(all, id)
		switch {
		case !ok:
			return nil, fmt.Errorf("latency lab: stream %s has no shard %s", opts.Stream, id)
		case !s.Open:
			return nil, fmt.Errorf("latency lab: shard %s is closed: probe an open shard", id)
		}
		out = append(out, id)
	}
	return out, nil
}

func newRunID() string {
	var b [4]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read does not fail
	return hex.EncodeToString(b[:])
}
