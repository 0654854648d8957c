package kinesisx

import (
	"fmt"
	"time"

	"github.com/kinspect/kinspect/kinesisx/hashkey"
)

// StreamSummary is one row of the stream list.
type StreamSummary struct {
	Name      string
	ARN       string
	Status    string // CREATING, ACTIVE, UPDATING, DELETING
	Mode      string // PROVISIONED or ON_DEMAND
	CreatedAt time.Time
}

// Stream is what DescribeStreamSummary says of one stream.
type Stream struct {
	Name               string
	ARN                string
	Status             string
	Mode               string
	CreatedAt          time.Time
	RetentionHours     int
	OpenShards         int
	Consumers          int
	Encryption         string   // NONE or KMS
	ShardLevelMetrics  []string // enhanced monitoring; empty when off
	MaxRecordSizeKiB   int      // 1024 unless raised with UpdateMaxRecordSize
	RecordDistribution string   // USER_PARTITION_KEY (default) or AUTO
}

// SeqRange is a shard's range of sequence numbers; End is empty while the
// shard is open.
type SeqRange struct {
	Start, End string
}

// Shard is one shard, open or closed, with its place in the lineage.
type Shard struct {
	ID               string
	ParentID         string
	AdjacentParentID string
	HashRange        hashkey.Range
	SeqRange         SeqRange
	Open             bool
}

// Parents returns the IDs of the shard's parents (zero, one or two).
func (s Shard) Parents() []string {
	var p []string
	if s.ParentID != "" {
		p = append(p, s.ParentID)
	}
	if s.AdjacentParentID != "" {
		p = append(p, s.AdjacentParentID)
	}
	return p
}

// Record is one record as a tail delivers it. A KPL aggregate is delivered
// as its sub-records: each keeps the outer SequenceNumber and has its index
// in SubSequence, with Aggregated set.
type Record struct {
	Stream          string
	ShardID         string
	SequenceNumber  string
	SubSequence     int
	PartitionKey    string
	ExplicitHashKey string
	ArrivedAt       time.Time // ApproximateArrivalTimestamp
	ReceivedAt      time.Time // when kinspect received it
	Data            []byte
	Aggregated      bool
}

// Rates are live throughput figures computed from arrival timestamps.
type Rates struct {
	BytesPerSec1s    float64
	RecordsPerSec1s  float64
	BytesPerSec60s   float64
	RecordsPerSec60s float64
}

// ShardProgress is how far a tail has read one shard.
type ShardProgress struct {
	MillisBehindLatest int64
	LastSequence       string
	Closed             bool     // read to its end
	Children           []string // the shards that follow a closed shard, when it named them
	Rates              Rates
	Latency            time.Duration // receive time minus arrival time, latest batch mean
	Throttles          int           // calls this tail had throttled on the shard, in all
	Retries            int           // calls this tail retried on the shard (throttles, faults, expired iterators)
	// Cost is what this tail's own GetRecords calls take from the shard's
	// shared read limits (polling only; zero with EFO).
	Cost ReadCost
}

// A shard's read limits, shared by every polling consumer of the shard
// (an EFO consumer has 2 MiB/s of its own and takes none of them).
const (
	ShardReadCallsPerSec = 5
	ShardReadBytesPerSec = 2 << 20
)

// CostWindow is how far back a tail's read cost looks.
const CostWindow = 10 * time.Second

// ReadCost is what a polling tail's own GetRecords calls take from shared
// read limits: the mean over the last CostWindow (over the tail's whole
// seconds when it is younger).
type ReadCost struct {
	CallsPerSec float64
	BytesPerSec float64
}

// TailCost is a polling tail's read cost over all the shards it reads, the
// observer cost an on-call person weighs against production consumers.
type TailCost struct {
	ReadCost
	Shards int     // shards being read now
	Budget float64 // the tail's budget in calls/s across shards; 0: none (EFO, or turned off)
}

// PerShard returns the mean share of one shard's read limits the tail
// takes (0.1 is 10% of 5 calls/s, and of 2 MiB/s); zero with no shards.
func (c TailCost) PerShard() (calls, bytes float64) {
	if c.Shards == 0 {
		return 0, 0
	}
	n := float64(c.Shards)
	return c.CallsPerSec / n / ShardReadCallsPerSec, c.BytesPerSec / n / ShardReadBytesPerSec
}

// String says what the reads cost, for status lines: "12.0 calls/s (6% of
// 5/s per shard), 0.50 MiB/s (1% of 2 MiB/s per shard) over 40 shards".
func (c TailCost) String() string {
	calls, bytes := c.PerShard()
	return fmt.Sprintf("%.1f calls/s (%.0f%% of 5/s per shard), %s (%.0f%% of 2 MiB/s per shard) over %d shards",
		c.CallsPerSec, 100*calls, BytesPerSec(c.BytesPerSec), 100*bytes, c.Shards)
}

// BytesPerSec spells a read or write rate in MiB/s, or in KiB/s below
// 1 MiB/s, so that a small rate never reads as 0.00 MiB/s.
func BytesPerSec(b float64) string {
	if b < 1<<20 {
		return fmt.Sprintf("%.1f KiB/s", b/(1<<10))
	}
	return fmt.Sprintf("%.2f MiB/s", b/(1<<20))
}

// Batch is what a tail delivers at each flush: the records since the last
// flush (in order per shard) and the progress of every shard that moved.
type Batch struct {
	Records []Record
	Shards  map[string]ShardProgress
	Dropped int // records dropped since the last batch (never by a tail; views may)
	// CaughtUp is true when every shard the tail reads has reported, none
	// is behind the tip of its shard and none waits for its parents.
	CaughtUp bool
	// Cost is what the tail's reads take from the shards' shared read
	// limits, over all its shards (each shard's is in Shards).
	Cost TailCost
}
