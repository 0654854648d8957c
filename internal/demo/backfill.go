package demo

import (
	"context"
	"fmt"
	"hash/fnv"
	"math"
	"math/rand/v2"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kinesis"
	"github.com/aws/aws-sdk-go-v2/service/kinesis/types"

	"github.com/kinspect/kinspect/kinesisx/hashkey"
	"github.com/kinspect/kinspect/kinesisx/local"
)

// Backfiller takes back-dated minutes of a metric: the built-in endpoint's
// *local.Server.
type Backfiller interface {
	BackfillMetric(stream, shardID, metric string, buckets []local.Bucket) error
}

// The per-shard write limits of Kinesis, per minute.
const (
	recordsPerMinute = 1000 * 60
	bytesPerMinute   = 1 << 20 * 60
	// sampleTicks is how many of a stream's batches are made to learn its
	// load per shard.
	sampleTicks = 40
)

// Backfill gives the streams span of back-dated write traffic in the
// endpoint's metrics: the minutes before now's, at the load their
// producers make (measured from their batches, per shard), varying
// minute to minute (two slow waves, noise and a burst about 35 minutes
// ago) and meeting the live load at now, so charts have a history from
// the first second. A shard over its write limit in a minute (the orders
// stream's hot shard) is capped at it, the excess counted as throttled.
//
// Stream-level metrics are always filled; a shard's only for the metrics
// its enhanced monitoring has on (Setup turns on ALL), as CloudWatch has
// shard metrics only while monitoring is on. No records are written: the
// history is in the metrics only. Reads are not backfilled either: the
// demo has no reader of its own to continue them.
func Backfill(ctx context.Context, k *kinesis.Client, b Backfiller, streams []Stream, now time.Time, span time.Duration) error {
	for _, s := range streams {
		if err := backfillStream(ctx, k, b, s, now, span); err != nil {
			return fmt.Errorf("backfill demo stream %s: %w", s.Name, err)
		}
	}
	return nil
}

// shardLoad is what one tick of a stream's producer writes to a shard.
type shardLoad struct {
	id     string
	rng    hashkey.Range
	recs   float64 // records per tick
	bytes  float64 // bytes (data and key) per tick
	hitFor float64 // share of ticks that write to the shard at all
}

func backfillStream(ctx context.Context, k *kinesis.Client, b Backfiller, s Stream, now time.Time, span time.Duration) error {
	loads, err := openShards(ctx, k, s.Name)
	if err != nil {
		return err
	}
	monitored, err := shardMetrics(ctx, k, s.Name)
	if err != nil {
		return err
	}
	measure(s, loads, now)
	ticks := float64(time.Minute / s.Every)
	current := now.Truncate(time.Minute)
	h := fnv.New64a()
	_, _ = h.Write([]byte(s.Name))
	seed := h.Sum64()

	series := map[[2]string][]local.Bucket{} // (shard, metric) → minutes
	add := func(shard, metric string, bk local.Bucket) {
		key := [2]string{shard, metric}
		series[key] = append(series[key], bk)
	}
	for ago := int(span / time.Minute); ago >= 1; ago-- {
		start := current.Add(-time.Duration(ago) * time.Minute)
		rng := rand.New(rand.NewPCG(seed, uint64(start.Unix())))
		f := loadFactor(ago, rng)
		var inBytes, inRecs, wantBytes, wantRecs, throttled, samples float64
		for _, l := range loads {
			if l.recs == 0 {
				continue // no key of the producer lands on it
			}
			calls := math.Max(1, math.Round(ticks*l.hitFor))
			want := l.recs * ticks * f
			wantB := l.bytes * ticks * f
			share := math.Min(1, math.Min(recordsPerMinute/math.Max(want, 1), bytesPerMinute/math.Max(wantB, 1)))
			recs, bytes := math.Round(want*share), math.Round(wantB*share)
			thr := math.Round(want) - recs
			wantRecs += math.Round(want)
			wantBytes += math.Round(wantB)
			inRecs += recs
			inBytes += bytes
			throttled += thr
			samples += calls
			if monitored["IncomingBytes"] {
				add(l.id, "IncomingBytes", minute(start, bytes, calls, 0.25))
			}
			if monitored["IncomingRecords"] {
				add(l.id, "IncomingRecords", minute(start, recs, calls, 0.25))
			}
			if thr > 0 && monitored["WriteProvisionedThroughputExceeded"] {
				add(l.id, "WriteProvisionedThroughputExceeded", minute(start, thr, math.Max(1, math.Round(calls/3)), 0.8))
			}
		}
		if inRecs == 0 {
			continue
		}
		add("", "IncomingBytes", minute(start, inBytes, samples, 0.4))
		add("", "IncomingRecords", minute(start, inRecs, samples, 0.4))
		add("", "PutRecords.Success", minute(start, ticks, ticks, 0))
		add("", "PutRecords.Bytes", minute(start, wantBytes, ticks, 0.2))
		add("", "PutRecords.TotalRecords", minute(start, wantRecs, ticks, 0.2))
		add("", "PutRecords.SuccessfulRecords", minute(start, inRecs, ticks, 0.2))
		add("", "PutRecords.FailedRecords", minute(start, throttled, ticks, 1))
		latency := minute(start, ticks*(2.5+rng.Float64()*2), ticks, 0.6)
		add("", "PutRecords.Latency", latency)
		if throttled > 0 {
			thr := minute(start, throttled, math.Max(1, math.Round(ticks/3)), 0.8)
			add("", "PutRecords.ThrottledRecords", thr)
			add("", "WriteProvisionedThroughputExceeded", thr)
		}
	}
	for key, bs := range series {
		if err := b.BackfillMetric(s.Name, key[0], key[1], bs); err != nil {
			return err
		}
	}
	return nil
}

// loadFactor is the load of the minute ago minutes back, relative to the
// live load: 1 at now, two slow waves, a few percent of noise and a burst
// (an incident: half again the load) from 38 to 35 minutes ago.
func loadFactor(ago int, rng *rand.Rand) float64 {
	a := float64(ago)
	f := 1 + 0.22*math.Sin(2*math.Pi*a/47) + 0.12*math.Sin(2*math.Pi*a/150)
	if ago >= 35 && ago <= 38 {
		f *= 1.5
	}
	return math.Max(0.05, f*(1+0.06*(rng.Float64()*2-1)))
}

// minute is a bucket of sum over samples whose values spread ±spread
// around their mean.
func minute(start time.Time, sum, samples, spread float64) local.Bucket {
	mean := sum / samples
	return local.Bucket{Start: start, Sum: sum, SampleCount: samples, Min: mean * (1 - min(spread, 1)), Max: mean * (1 + spread)}
}

// openShards lists a stream's open shards.
func openShards(ctx context.Context, k *kinesis.Client, name string) ([]shardLoad, error) {
	var loads []shardLoad
	in := &kinesis.ListShardsInput{StreamName: aws.String(name)}
	for {
		out, err := k.ListShards(ctx, in)
		if err != nil {
			return nil, err
		}
		for _, sh := range out.Shards {
			if sh.SequenceNumberRange != nil && sh.SequenceNumberRange.EndingSequenceNumber != nil {
				continue // closed
			}
			start, err1 := hashkey.Parse(aws.ToString(sh.HashKeyRange.StartingHashKey))
			end, err2 := hashkey.Parse(aws.ToString(sh.HashKeyRange.EndingHashKey))
			if err1 != nil || err2 != nil {
				return nil, fmt.Errorf("shard %s: bad hash key range", aws.ToString(sh.ShardId))
			}
			loads = append(loads, shardLoad{id: aws.ToString(sh.ShardId), rng: hashkey.Range{Start: start, End: end}})
		}
		if out.NextToken == nil {
			return loads, nil
		}
		in = &kinesis.ListShardsInput{NextToken: out.NextToken}
	}
}

// shardMetrics returns the shard-level metrics enhanced monitoring has on.
func shardMetrics(ctx context.Context, k *kinesis.Client, name string) (map[string]bool, error) {
	out, err := k.DescribeStreamSummary(ctx, &kinesis.DescribeStreamSummaryInput{StreamName: aws.String(name)})
	if err != nil {
		return nil, err
	}
	on := map[string]bool{}
	for _, em := range out.StreamDescriptionSummary.EnhancedMonitoring {
		for _, m := range em.ShardLevelMetrics {
			if m == types.MetricsNameAll {
				for _, all := range types.MetricsNameAll.Values() {
					on[string(all)] = true
				}
			}
			on[string(m)] = true
		}
	}
	return on, nil
}

// measure fills each shard's load per tick from sampleTicks of the
// stream's batches, routed by their keys.
func measure(s Stream, loads []shardLoad, now time.Time) {
	hits := make([]int, len(loads))
	for tick := range sampleTicks {
		touched := make([]bool, len(loads))
		for _, e := range s.Batch(tick, now) {
			key := hashkey.FromPartitionKey(aws.ToString(e.PartitionKey))
			if e.ExplicitHashKey != nil {
				if k, err := hashkey.Parse(*e.ExplicitHashKey); err == nil {
					key = k
				}
			}
			for i := range loads {
				if loads[i].rng.Contains(key) {
					loads[i].recs++
					loads[i].bytes += float64(len(e.Data) + len(aws.ToString(e.PartitionKey)))
					touched[i] = true
					break
				}
			}
		}
		for i, t := range touched {
			if t {
				hits[i]++
			}
		}
	}
	for i := range loads {
		loads[i].recs /= sampleTicks
		loads[i].bytes /= sampleTicks
		loads[i].hitFor = float64(hits[i]) / sampleTicks
	}
}
