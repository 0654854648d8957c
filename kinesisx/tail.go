package kinesisx

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/kinesis/types"
)

// Mode is how a tail reads: polling GetRecords or enhanced fan-out.
type Mode int

// The read modes.
const (
	ModePolling Mode = iota
	ModeEFO
)

// String names the mode as the CLI and the TUI show it.
func (m Mode) String() string {
	if m == ModeEFO {
		return "efo"
	}
	return "polling"
}

// TailOptions configure a tail.
type TailOptions struct {
	Stream string
	// Shards is the subset to read; empty reads the whole stream. Children
	// of these shards are followed when they close.
	Shards []string
	From   StartPosition
	Mode   Mode
	// Consumer names the EFO consumer to use (registered if missing, and
	// then deregistered on Close); empty registers a kinspect-<host>-<rand>
	// consumer for the tail's lifetime.
	Consumer      string
	NoDeaggregate bool
	// FlushInterval is how long records gather before a batch is delivered
	// (default 50 ms); FlushRecords flushes sooner (default 1,000).
	FlushInterval time.Duration
	FlushRecords  int
	// MinPollInterval is the shortest gap between two GetRecords calls on
	// one shard while behind (default 200 ms: at most 5 calls/s, the
	// shard's whole budget only when kinspect must catch up); IdlePollInterval
	// the gap once caught up (default 1 s).
	MinPollInterval  time.Duration
	IdlePollInterval time.Duration
	// ReadBytesPerSec paces polling to the shard's shared read limit
	// (default 2 MiB/s: after a 10 MiB response the next call waits 5 s);
	// negative turns that pacing off (benchmarks against an endpoint
	// without limits).
	ReadBytesPerSec float64
	// MaxCallsPerSec is a polling tail's budget of GetRecords calls/s
	// across all its shards (GetShardIterator calls, which Kinesis limits
	// apart, are made at most 16 at a time). 0 sizes it by the number of
	// shards read (DefaultCallsPerSec: 50, plus one call per shard every
	// 9 s, at most 1,000); negative means no budget. Shards not read for
	// 9 s go first, then shards that are behind, then caught-up ones; below
	// shards/10 calls/s a shard is read every shards/MaxCallsPerSec s.
	MaxCallsPerSec float64
	// Warn, if not nil, is told (once per tail, from a reader goroutine)
	// what the tail waits for: an EFO consumer another subscription holds.
	Warn func(msg string)
	// Merge delivers the records of all shards in one order, by arrival
	// time (ApproximateArrivalTimestamp): a record is held until every
	// shard being read has reported progress past its arrival less
	// Watermark, so that the order goes back by at most Watermark. Each
	// shard's order, and parents before children, still hold.
	Merge bool
	// Watermark is how far back in arrival time a merged tail may go
	// (default DefaultWatermark); negative means not at all.
	Watermark time.Duration

	// granted and settled are the read budget's test hooks.
	granted func(shard string, at time.Time)
	settled func(queued int) bool
	// rateEvery is how often the live rates of running shards are
	// refreshed (default 1 s); tests shorten it.
	rateEvery time.Duration
}

func (o *TailOptions) defaults() {
	if o.FlushInterval <= 0 {
		o.FlushInterval = 50 * time.Millisecond
	}
	if o.FlushRecords <= 0 {
		o.FlushRecords = 1000
	}
	if o.MinPollInterval <= 0 {
		o.MinPollInterval = defaultMinPollInterval
	}
	if o.IdlePollInterval <= 0 {
		o.IdlePollInterval = time.Second
	}
	if o.ReadBytesPerSec == 0 {
		o.ReadBytesPerSec = readBytesPerSec
	}
	if o.rateEvery <= 0 {
		o.rateEvery = time.Second
	}
}

// ErrUnknownShard is returned when a tail names a shard the stream lacks.
var ErrUnknownShard = errors.New("no such shard")

// Tail reads a stream and delivers its records in batches. Records of one
// shard come in sequence order, each exactly once; a child shard's records
// come after all of its parents'. Read Batches until it closes, then Err.
type Tail struct {
	out    chan Batch
	cancel context.CancelFunc
	done   chan struct{}
	err    error // set before done is closed, and done before out
	// closeOut closes out; a test sees through it what Err says then.
	closeOut func()

	consumerARN string
	cleanup     func()
	started     []string
}

// Batches delivers the tail's batches; it is closed when the tail ends.
func (t *Tail) Batches() <-chan Batch { return t.out }

// Err returns why the tail ended, once Batches is closed: nil when it was
// closed or every shard was read to its end.
func (t *Tail) Err() error {
	select {
	case <-t.done:
		return t.err
	default:
		return nil
	}
}

// Started returns the shards the tail started with; their children join
// as their parents are drained.
func (t *Tail) Started() []string { return t.started }

// ConsumerARN returns the EFO consumer the tail reads through, if any.
func (t *Tail) ConsumerARN() string { return t.consumerARN }

// Close stops the tail, waits for its goroutines, and deregisters the EFO
// consumer it registered. It is safe to call more than once.
func (t *Tail) Close() {
	t.cancel()
	<-t.done
}

// Tail starts reading a stream. The context bounds the whole tail.
func (c *Client) Tail(ctx context.Context, opts TailOptions) (*Tail, error) {
	opts.defaults()
	st, err := c.DescribeStream(ctx, opts.Stream)
	if err != nil {
		return nil, err
	}
	shards, err := c.ListShards(ctx, opts.Stream)
	if err != nil {
		return nil, err
	}
	if seqStart(opts.From) && len(opts.Shards) == 0 {
		s, err := c.ShardOfSequence(ctx, opts.Stream, shards, opts.From.Sequence)
		if err != nil {
			return nil, err
		}
		opts.Shards = []string{s.ID}
	}
	start, err := initialShards(shards, opts)
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithCancel(ctx)
	t := newTail(cancel)
	var reader shardReader
	var budget *readBudget
	switch opts.Mode {
	case ModeEFO:
		r, err := c.startEFO(ctx, st, shards, opts)
		if err != nil {
			cancel()
			return nil, err
		}
		t.consumerARN, t.cleanup, reader = r.consumerARN, r.cleanup, r.read
	default:
		budget = newReadBudget(c.now, c.wait, opts.MaxCallsPerSec)
		budget.granted, budget.settled = opts.granted, opts.settled
		reader = c.pollReader(st.Name, opts, budget)
	}
	l := newTailLoop(c, opts, reader, t.out)
	l.budget = budget
	l.seed(start, shards)
	for _, n := range start {
		t.started = append(t.started, n.id)
	}
	go func() {
		err := l.run(ctx)
		t.cleanup()
		t.end(err)
	}()
	return t, nil
}

func newTail(cancel context.CancelFunc) *Tail {
	t := &Tail{out: make(chan Batch, 1), cancel: cancel, done: make(chan struct{}), cleanup: func() {}}
	t.closeOut = func() { close(t.out) }
	return t
}

// end records why the tail ended and only then closes Batches, so that a
// reader who sees Batches closed and asks Err gets that reason.
func (t *Tail) end(err error) {
	t.err = err
	close(t.done)
	t.closeOut()
}

// seqStart says whether a start position is a sequence number.
func seqStart(p StartPosition) bool {
	return p.Type == PositionAtSequence || p.Type == PositionAfterSequence
}

type startNode struct {
	id      string
	parents []string
}

// initialShards chooses the shards a tail starts with: the subset asked
// for (for a sequence position, Tail puts the shard that issued it there);
// else for LATEST the open shards; otherwise every shard within retention.
func initialShards(shards []Shard, opts TailOptions) ([]startNode, error) {
	var out []startNode
	if len(opts.Shards) > 0 {
		for _, id := range opts.Shards {
			s, ok := FindShard(shards, id)
			if !ok {
				return nil, fmt.Errorf("%s in stream %s: %w (kinspect shards %s lists them)", id, opts.Stream, ErrUnknownShard, opts.Stream)
			}
			out = append(out, startNode{id: s.ID, parents: s.Parents()})
		}
		return out, nil
	}
	switch opts.From.Type {
	case PositionLatest:
		for _, s := range shards {
			if s.Open {
				out = append(out, startNode{id: s.ID})
			}
		}
	default:
		for _, s := range shards {
			out = append(out, startNode{id: s.ID, parents: s.Parents()})
		}
	}
	return out, nil
}

// shardReader reads one shard from a position until it ends or ctx is
// done, sending what it reads through emit. It returns a fatal error, or
// nil when the shard ended or ctx was cancelled.
type shardReader func(ctx context.Context, shardID string, from StartPosition, emit func(shardEvent) bool) error

// shardEvent is what a shard reader reports after each call.
type shardEvent struct {
	shardID  string
	records  []Record
	samples  []sample     // outer records, for rates
	calls    []callSample // GetRecords calls, for the read cost
	got      time.Time    // EFO: when the reader got the event
	behind   int64
	lastSeq  string
	retried  int
	throttle int
	ended    bool // read to its end; children follow
	children []types.ChildShard
}

type sample struct {
	arrival time.Time
	size    int
}

// callSample is one GetRecords call: when, and the bytes it brought.
type callSample struct {
	at    time.Time
	bytes int
}

// emitter is a shard reader's way to hand events to the loop; it returns
// false when the tail is stopping.
func emitter(ctx context.Context, ch chan<- shardEvent) func(shardEvent) bool {
	return func(ev shardEvent) bool {
		select {
		case ch <- ev:
			return true
		case <-ctx.Done():
			return false
		}
	}
}

// runners tracks reader goroutines so the loop can wait for them.
type runners struct {
	wg sync.WaitGroup
}
