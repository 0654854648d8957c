package local

import (
	"time"
)

// Per-shard limits of Kinesis (KINESIS.md §1).
const (
	writeBytesPerSec   = 1 << 20
	writeRecordsPerSec = 1000
	readCallsPerSec    = 5
	readBytesPerSec    = 2 << 20
	efoBytesPerSec     = 2 << 20
	maxRecordBytes     = 1 << 20
	maxPutRecordsBytes = 10 << 20
	maxGetRecordsBytes = 10 << 20
	maxGetRecordsLimit = 10000
)

// bucket is a token bucket refilled at rate per second up to burst. Its
// level may go negative (a read that returns more than the budget), which
// makes later calls wait until it refills. Not safe for concurrent use: the
// owner's lock guards it.
type bucket struct {
	level, rate, burst float64
	last               time.Time
}

func newBucket(rate, burst float64, now time.Time) bucket {
	return bucket{level: burst, rate: rate, burst: burst, last: now}
}

func (b *bucket) refill(now time.Time) {
	if dt := now.Sub(b.last).Seconds(); dt > 0 {
		b.level = min(b.burst, b.level+dt*b.rate)
		b.last = now
	}
}

// take removes n tokens if the bucket holds them.
func (b *bucket) take(n float64, now time.Time) bool {
	b.refill(now)
	if b.level < n {
		return false
	}
	b.level -= n
	return true
}

// wait returns how long until the level is back to zero (0 if it is).
func (b *bucket) wait(now time.Time) time.Duration {
	b.refill(now)
	if b.level >= 0 {
		return 0
	}
	return time.Duration(-b.level / b.rate * float64(time.Second))
}

// shardLimits are a shard's throughput budgets; the shard's lock guards
// them.
type shardLimits struct {
	writeBytes, writeRecords bucket
	readCalls, readBytes     bucket
}

func newShardLimits(now time.Time) *shardLimits {
	return &shardLimits{
		writeBytes:   newBucket(writeBytesPerSec, writeBytesPerSec, now),
		writeRecords: newBucket(writeRecordsPerSec, writeRecordsPerSec, now),
		readCalls:    newBucket(readCallsPerSec, readCallsPerSec, now),
		readBytes:    newBucket(readBytesPerSec, readBytesPerSec, now),
	}
}

// admitWrite takes one record of size bytes from the write budgets.
func (l *shardLimits) admitWrite(size int, now time.Time) bool {
	if l == nil {
		return true
	}
	l.writeBytes.refill(now)
	l.writeRecords.refill(now)
	if l.writeBytes.level < float64(size) || l.writeRecords.level < 1 {
		return false
	}
	l.writeBytes.level -= float64(size)
	l.writeRecords.level--
	return true
}

// admitRead takes one GetRecords call; it fails while the call rate is over
// 5/s or earlier reads overdrew the 2 MiB/s byte budget.
func (l *shardLimits) admitRead(now time.Time) bool {
	if l == nil {
		return true
	}
	if l.readBytes.wait(now) > 0 {
		return false
	}
	return l.readCalls.take(1, now)
}

// chargeRead charges the bytes a GetRecords call returned.
func (l *shardLimits) chargeRead(n int, now time.Time) {
	if l == nil {
		return
	}
	l.readBytes.refill(now)
	l.readBytes.level -= float64(n)
}
