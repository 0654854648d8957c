package kinesisx

import (
	"context"
	"fmt"
	"maps"
	"math/bits"
	"math/rand/v2"
	"strings"
	"unicode/utf8"

	"github.com/kinspect/kinspect/kinesisx/hashkey"
)

// KeyMode says how Put chooses each record's partition key or hash key.
type KeyMode int

// Key modes.
const (
	KeyFixed  KeyMode = iota // PutOptions.Key for every record
	KeyRandom                // a fresh random partition key per record
	KeyHash                  // ExplicitHashKey PutOptions.HashKey for every record
	KeyShard                 // a random explicit hash key inside PutOptions.ShardID's range
)

// String names the mode for messages.
func (m KeyMode) String() string {
	switch m {
	case KeyFixed:
		return "fixed key"
	case KeyRandom:
		return "random keys"
	case KeyHash:
		return "explicit hash key"
	case KeyShard:
		return "target shard"
	}
	return fmt.Sprintf("KeyMode(%d)", int(m))
}

// Limits of PutRecords (KINESIS.md §1).
const (
	MaxPutRecordsEntries = 500
	MaxPutRecordsBytes   = 10 << 20
	maxPartitionKeyRunes = 256
)

// defaultMaxAttempts is how many times Put sends one record before it
// counts it as failed: enough to ride out minutes of throttling at the
// 5-second backoff cap.
const defaultMaxAttempts = 50

// PutOptions describe a put. Only Stream is required; the zero KeyMode is
// KeyFixed, which needs Key.
type PutOptions struct {
	Stream string
	Keys   KeyMode
	// Key is the partition key of KeyFixed. With KeyHash and KeyShard it is
	// the partition key sent alongside the explicit hash key (routing
	// ignores it); empty means a random key per record.
	Key     string
	HashKey string // KeyHash: a decimal hash key
	ShardID string // KeyShard: an open shard of the stream
	// Count is how many records to send; 0 means until the source ends (or
	// ctx is cancelled, for a source that never ends).
	Count int
	// Rate is the target in records per second; 0 means as fast as the
	// stream accepts them.
	Rate float64
	// MaxAttempts bounds the sends of one record (throttled or failed
	// entries are retried); 0 means 50.
	MaxAttempts int
	// ReadAhead makes Run draw and check records before its first call,
	// up to ReadAheadRecords records or ReadAheadBytes bytes: an input that
	// ends within that is all or nothing. Without it (a source whose
	// records must be made when they leave, such as latency probes) each
	// batch is checked just before it is sent.
	ReadAhead bool
}

// The bounds of PutOptions.ReadAhead: how much input Run holds and checks
// before it sends anything.
const (
	ReadAheadRecords = 10_000
	ReadAheadBytes   = 64 << 20
)

// PutResult summarises a put.
type PutResult struct {
	Sent    int            // records accepted by the stream
	Failed  int            // records that failed after every attempt
	Retries int            // re-sends of records after a throttle or a failure
	Shards  map[string]int // accepted records per shard ID
	Errors  map[string]int // failed attempts per error code (retried ones included)
}

func (r PutResult) clone() PutResult {
	r.Shards = maps.Clone(r.Shards)
	r.Errors = maps.Clone(r.Errors)
	return r
}

// PutPlan is a validated put: what PlanPut learned about the stream, what
// it warns about, and where the records go. Run sends the records.
type PutPlan struct {
	Stream Stream
	// Target is the open shard every record lands on, for KeyFixed,
	// KeyHash and KeyShard (nil for KeyRandom, or when the stream
	// distributes records itself).
	Target *Shard
	// Warnings are things the user should know but that do not stop the
	// put (keys ignored by an AUTO stream).
	Warnings []string

	c          *Client
	opts       PutOptions
	hashKey    hashkey.Key   // KeyHash
	shardRange hashkey.Range // KeyShard
	maxSize    int           // bytes per record, data + partition key
}

// Put validates the options, then sends Count records from src (see
// PlanPut and PutPlan.Run).
func (c *Client) Put(ctx context.Context, opts PutOptions, src RecordSource, progress func(PutResult)) (PutResult, error) {
	plan, err := c.PlanPut(ctx, opts)
	if err != nil {
		return PutResult{}, err
	}
	return plan.Run(ctx, src, progress)
}

// PlanPut checks a put before anything is sent: the guard, the key
// (1–256 characters), the hash key's syntax, that the stream exists and
// takes writes, and for KeyShard that the shard exists and is open. On an
// AUTO stream, keys are ignored by the service: PlanPut warns.
func (c *Client) PlanPut(ctx context.Context, opts PutOptions) (*PutPlan, error) {
	if err := c.guard.Allow(ActionPut); err != nil {
		return nil, err
	}
	if opts.Count < 0 || opts.Rate < 0 || opts.MaxAttempts < 0 {
		return nil, fmt.Errorf("put: count, rate and attempts cannot be negative")
	}
	if opts.MaxAttempts == 0 {
		opts.MaxAttempts = defaultMaxAttempts
	}
	p := &PutPlan{c: c, opts: opts}
	switch opts.Keys {
	case KeyFixed:
		if err := ValidatePartitionKey(opts.Key); err != nil {
			return nil, err
		}
	case KeyRandom:
	case KeyHash, KeyShard:
		if opts.Key != "" {
			if err := ValidatePartitionKey(opts.Key); err != nil {
				return nil, err
			}
		}
		if opts.Keys == KeyHash {
			k, err := hashkey.Parse(opts.HashKey)
			if err != nil {
				return nil, fmt.Errorf("put: %w", err)
			}
			p.hashKey = k
		}
	default:
		return nil, fmt.Errorf("put: unknown key mode %d", int(opts.Keys))
	}
	st, err := c.DescribeStream(ctx, opts.Stream)
	if err != nil {
		return nil, fmt.Errorf("put: %w", err)
	}
	if st.Status != "ACTIVE" && st.Status != "UPDATING" {
		return nil, fmt.Errorf("put: stream %s is %s: it takes records once it is ACTIVE", st.Name, st.Status)
	}
	p.Stream = st
	p.maxSize = st.MaxRecordSizeKiB << 10
	if err := p.findTarget(ctx); err != nil {
		return nil, err
	}
	if st.RecordDistribution == "AUTO" && opts.Keys != KeyRandom {
		p.Target = nil
		p.Warnings = append(p.Warnings, fmt.Sprintf("stream %s distributes records itself (RecordDistributionStrategy AUTO): the %s is ignored", st.Name, opts.Keys))
	}
	return p, nil
}

// findTarget lists the shards once to name where the records land and, for
// KeyShard, to check that the shard exists and is open.
func (p *PutPlan) findTarget(ctx context.Context) error {
	o := p.opts
	if o.Keys == KeyRandom {
		return nil
	}
	shards, err := p.c.ListShards(ctx, o.Stream)
	if err != nil {
		return fmt.Errorf("put: %w", err)
	}
	var sh Shard
	var ok bool
	switch o.Keys {
	case KeyFixed:
		sh, ok = ShardForKey(shards, o.Key)
	case KeyHash:
		sh, ok = ShardForHashKey(shards, p.hashKey)
	case KeyShard:
		sh, ok = FindShard(shards, o.ShardID)
		if !ok {
			return fmt.Errorf("put: stream %s has no shard %s (open shards: %s)", o.Stream, o.ShardID, openIDs(shards))
		}
		if !sh.Open {
			return fmt.Errorf("put: shard %s is closed (split or merged); it takes no records (open shards: %s)", o.ShardID, openIDs(shards))
		}
		p.shardRange = sh.HashRange
	}
	if ok {
		p.Target = &sh
	}
	return nil
}

func openIDs(shards []Shard) string {
	var ids []string
	for _, s := range shards {
		if s.Open {
			ids = append(ids, s.ID)
		}
	}
	if len(ids) > 8 {
		return strings.Join(ids[:8], ", ") + fmt.Sprintf(" and %d more", len(ids)-8)
	}
	return strings.Join(ids, ", ")
}

// ValidatePartitionKey checks the API's rule: 1 to 256 Unicode characters.
func ValidatePartitionKey(key string) error {
	n := utf8.RuneCountInString(key)
	switch {
	case n == 0:
		return fmt.Errorf("partition key is empty: it must have 1 to 256 characters")
	case n > maxPartitionKeyRunes:
		return fmt.Errorf("partition key has %d characters: at most 256 are allowed", n)
	case !utf8.ValidString(key):
		return fmt.Errorf("partition key is not valid UTF-8")
	}
	return nil
}

// randomKey is a random partition key: 16 hex digits, so that keys spread
// evenly over the hash space.
func randomKey() string {
	return fmt.Sprintf("%016x", rand.Uint64())
}

// RandomHashKey returns a uniformly random hash key in r (inclusive).
func RandomHashKey(r hashkey.Range) hashkey.Key {
	return randomHashKeyFrom(r, rand.Uint64)
}

// randomHashKeyFrom is RandomHashKey drawing from next (a seeded source in
// tests).
func randomHashKeyFrom(r hashkey.Range, next func() uint64) hashkey.Key {
	width, _ := r.End.Sub(r.Start)
	var hiMask, loMask uint64
	if width.Hi != 0 {
		hiMask, loMask = ^uint64(0)>>bits.LeadingZeros64(width.Hi), ^uint64(0)
	} else {
		loMask = ^uint64(0) >> bits.LeadingZeros64(width.Lo) // 0 when width is 0
	}
	for {
		k := hashkey.Key{Hi: next() & hiMask, Lo: next() & loMask}
		if k.Cmp(width) <= 0 {
			sum, _ := r.Start.Add(k)
			return sum
		}
	}
}
