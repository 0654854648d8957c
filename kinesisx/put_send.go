package kinesisx

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kinesis"
	"github.com/aws/aws-sdk-go-v2/service/kinesis/types"
	"github.com/aws/smithy-go"
)

// putEntry is one record on its way.
type putEntry struct {
	seq     int
	key     string
	hashKey string
	data    []byte
}

// wireSize is what the entry counts against the 10 MiB of a PutRecords
// call: data, partition key and (to be safe) the explicit hash key.
func (e putEntry) wireSize() int { return len(e.data) + len(e.key) + len(e.hashKey) }

// Run sends the records of src: PutRecord for a batch of one, PutRecords
// for more (≤ 500 records and ≤ 10 MiB per call), at most Rate records per
// second. Throttled and failed entries, and calls that fail with a
// retryable error, are re-sent alone with capped exponential backoff and
// jitter, up to MaxAttempts sends per record. Every record is checked
// against the stream's record size before its batch is sent; with
// ReadAhead, every record up to the read-ahead bounds is checked before the
// first call, so an input that ends within them sends nothing when one of
// its records is bad. A bad record after something was sent says how many
// records were sent. progress, if not nil, is called after each batch with
// a copy of the running totals. The result counts what was sent even when
// Run returns an error (an API error that cannot be retried, a bad record,
// or the end of ctx).
func (p *PutPlan) Run(ctx context.Context, src RecordSource, progress func(PutResult)) (PutResult, error) {
	res := PutResult{Shards: map[string]int{}, Errors: map[string]int{}}
	if err := p.c.guard.Allow(ActionPut); err != nil {
		return res, err
	}
	batchMax := MaxPutRecordsEntries
	if p.opts.Rate > 0 {
		// About ten batches per second keeps the rate smooth.
		batchMax = max(1, min(MaxPutRecordsEntries, int(p.opts.Rate/10)))
	}
	in := &putInput{p: p, src: src, next: 1}
	if p.opts.ReadAhead {
		if err := in.readAhead(); err != nil {
			return res, err // nothing was sent
		}
	}
	pace := pacer{c: p.c, rate: p.opts.Rate, start: p.c.now()}
	var pending *putEntry
	for {
		var batch []putEntry
		size, done := 0, false
		for len(batch) < batchMax {
			var e putEntry
			if pending != nil {
				e, pending = *pending, nil
			} else {
				if len(batch) > 0 && !in.ready() {
					break // send what we have rather than wait for input
				}
				var err error
				e, err = in.draw()
				if errors.Is(err, io.EOF) {
					done = true
					break
				}
				if err != nil {
					if res.Sent > 0 {
						err = fmt.Errorf("%w; %d records were sent before it", err, res.Sent)
					}
					return res, err
				}
			}
			if size+e.wireSize() > MaxPutRecordsBytes {
				pending = &e
				break
			}
			batch = append(batch, e)
			size += e.wireSize()
		}
		if len(batch) == 0 {
			return res, nil
		}
		if err := pace.wait(ctx, batch[0].seq); err != nil {
			return res, fmt.Errorf("put: %w", err)
		}
		err := p.sendBatch(ctx, batch, &res)
		if progress != nil {
			progress(res.clone())
		}
		if err != nil {
			return res, err
		}
		if done {
			return res, nil
		}
	}
}

// putInput is Run's view of the source: the records read ahead, then the
// source itself until it ends or Count is reached.
type putInput struct {
	p     *PutPlan
	src   RecordSource
	ahead []putEntry // read ahead and checked, not yet drawn
	next  int        // the number of the next record to draw from src
	ended bool       // src ended (io.EOF) or Count was reached
}

// readAhead draws and checks records until the source ends, Count is
// reached, or the read-ahead bounds are met.
func (in *putInput) readAhead() error {
	bytes := 0
	for len(in.ahead) < ReadAheadRecords && bytes < ReadAheadBytes {
		e, err := in.fromSource()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return err
		}
		in.ahead = append(in.ahead, e)
		bytes += e.wireSize()
	}
	return nil
}

// ready says whether the next record is at hand, so that drawing it does
// not wait for input.
func (in *putInput) ready() bool {
	if len(in.ahead) > 0 || in.ended {
		return true
	}
	r, ok := in.src.(readySource)
	return !ok || r.Ready()
}

// draw returns the next record, read ahead or from the source; io.EOF
// when there are no more.
func (in *putInput) draw() (putEntry, error) {
	if len(in.ahead) > 0 {
		e := in.ahead[0]
		in.ahead = in.ahead[1:]
		return e, nil
	}
	return in.fromSource()
}

// fromSource draws the next record from the source and checks it.
func (in *putInput) fromSource() (putEntry, error) {
	if in.ended || (in.p.opts.Count > 0 && in.next > in.p.opts.Count) {
		in.ended = true
		return putEntry{}, io.EOF
	}
	e, err := in.p.nextEntry(in.next, in.src)
	if errors.Is(err, io.EOF) {
		in.ended = true
		return e, err
	}
	if err != nil {
		return e, err
	}
	in.next++
	return e, nil
}

// nextEntry draws record seq from the source and checks its size.
func (p *PutPlan) nextEntry(seq int, src RecordSource) (putEntry, error) {
	e := putEntry{seq: seq, key: p.opts.Key}
	switch p.opts.Keys {
	case KeyRandom:
		e.key = randomKey()
	case KeyHash:
		e.hashKey = p.hashKey.String()
	case KeyShard:
		e.hashKey = RandomHashKey(p.shardRange).String()
	}
	if e.key == "" {
		e.key = randomKey()
	}
	data, err := src.Next(RecordInfo{Seq: seq, Key: e.key, Now: p.c.now()})
	if err != nil {
		if errors.Is(err, io.EOF) {
			return e, io.EOF
		}
		return e, fmt.Errorf("put: record %d: %w", seq, err)
	}
	e.data = data
	if n := len(data) + len(e.key); n > p.maxSize {
		return e, fmt.Errorf("put: record %d is %d bytes (data and partition key): stream %s takes records of at most %d bytes (MaxRecordSizeInKiB %d); it was not sent",
			seq, n, p.Stream.Name, p.maxSize, p.Stream.MaxRecordSizeKiB)
	}
	return e, nil
}

// sendBatch sends a batch, re-sending what failed until it lands or runs
// out of attempts.
func (p *PutPlan) sendBatch(ctx context.Context, batch []putEntry, res *PutResult) error {
	todo := batch
	bo := newBackoff(100*time.Millisecond, 5*time.Second)
	for attempt := 1; ; attempt++ {
		failed, final, err := p.sendOnce(ctx, todo, res)
		res.Failed += final
		if err != nil {
			code := errorCode(err)
			res.Errors[code] += len(todo)
			switch classify(ctx, err) {
			case errStopped, errFatal:
				res.Failed += len(todo)
				return fmt.Errorf("put to %s: %w", p.Stream.Name, err)
			}
			failed = todo
		}
		if len(failed) == 0 {
			return nil
		}
		if attempt >= p.opts.MaxAttempts {
			res.Failed += len(failed)
			return nil
		}
		if len(failed) < len(todo) {
			bo.reset() // the stream took some: it is not stuck
		}
		res.Retries += len(failed)
		if err := p.c.wait(ctx, bo.next()); err != nil {
			res.Failed += len(failed)
			return fmt.Errorf("put to %s: %w", p.Stream.Name, err)
		}
		todo = failed
	}
}

// sendOnce makes one call. It returns the entries to retry and the number
// that failed for good; err is a failure of the whole call. The SDK's own
// retries are off so that every re-send is counted here.
func (p *PutPlan) sendOnce(ctx context.Context, todo []putEntry, res *PutResult) (retry []putEntry, final int, err error) {
	stream := aws.String(p.opts.Stream)
	if len(todo) == 1 {
		e := todo[0]
		in := &kinesis.PutRecordInput{StreamName: stream, Data: e.data, PartitionKey: aws.String(e.key)}
		if e.hashKey != "" {
			in.ExplicitHashKey = aws.String(e.hashKey)
		}
		out, err := p.c.api.PutRecord(ctx, in, noRetry)
		if err != nil {
			return nil, 0, err
		}
		res.Sent++
		res.Shards[aws.ToString(out.ShardId)]++
		return nil, 0, nil
	}
	entries := make([]types.PutRecordsRequestEntry, len(todo))
	for i, e := range todo {
		entries[i] = types.PutRecordsRequestEntry{Data: e.data, PartitionKey: aws.String(e.key)}
		if e.hashKey != "" {
			entries[i].ExplicitHashKey = aws.String(e.hashKey)
		}
	}
	out, err := p.c.api.PutRecords(ctx, &kinesis.PutRecordsInput{StreamName: stream, Records: entries}, noRetry)
	if err != nil {
		return nil, 0, err
	}
	if len(out.Records) != len(todo) {
		return nil, 0, fmt.Errorf("PutRecords answered %d results for %d records", len(out.Records), len(todo))
	}
	for i, r := range out.Records {
		if r.ErrorCode != nil {
			code := aws.ToString(r.ErrorCode)
			res.Errors[code]++
			if retryableEntryCode(code) {
				retry = append(retry, todo[i])
			} else {
				final++
			}
			continue
		}
		res.Sent++
		res.Shards[aws.ToString(r.ShardId)]++
	}
	return retry, final, nil
}

// retryableEntryCode says whether a failed PutRecords entry may succeed if
// sent again: throttles and internal failures may, KMS access errors not.
func retryableEntryCode(code string) bool {
	switch code {
	case "ProvisionedThroughputExceededException", "InternalFailure", "InternalFailureException", "KMSThrottlingException", "ServiceUnavailable":
		return true
	}
	return false
}

// errorCode names an error for PutResult.Errors.
func errorCode(err error) string {
	var api smithy.APIError
	switch {
	case errors.As(err, &api):
		return api.ErrorCode()
	case errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
		return "Interrupted"
	case isTransportError(err):
		return "TransportError"
	}
	return "Error"
}

// maxPaceOffset bounds how far after the start the pacer schedules a
// record (about 146 years): at a tiny rate the offset would overflow a
// Duration, wrap into the past, and stop the pacing.
const maxPaceOffset = time.Duration(math.MaxInt64 / 2)

// paceOffset is when record seq is due after the start at rate records/s
// (rate > 0), at most maxPaceOffset.
func paceOffset(seq int, rate float64) time.Duration {
	off := float64(seq-1) / rate * float64(time.Second)
	if !(off < float64(maxPaceOffset)) { // NaN too
		return maxPaceOffset
	}
	return time.Duration(off)
}

// pacer spaces batches so that record n leaves at start + (n-1)/rate. After
// a stall (throttling) it allows at most a second's worth of catch-up.
type pacer struct {
	c     *Client
	rate  float64
	start time.Time
}

func (pc *pacer) wait(ctx context.Context, seq int) error {
	if pc.rate <= 0 {
		return ctx.Err()
	}
	due := pc.start.Add(paceOffset(seq, pc.rate))
	now := pc.c.now()
	if late := now.Sub(due); late > time.Second {
		pc.start = pc.start.Add(late - time.Second)
		return ctx.Err()
	}
	if d := due.Sub(now); d > 0 {
		return pc.c.wait(ctx, d)
	}
	return ctx.Err()
}
