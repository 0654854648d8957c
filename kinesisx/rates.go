package kinesisx

import "time"

// rateWindow is how many one-second buckets a meter keeps.
const rateWindow = 64

// rateMeter measures a shard's write rate from the arrival timestamps of
// the records read from it, in one-second buckets. It is owned by one
// goroutine (the tail's loop).
type rateMeter struct {
	sec     [rateWindow]int64 // the Unix second each bucket holds
	bytes   [rateWindow]float64
	records [rateWindow]float64
}

// add counts one Kinesis record (data plus partition key, as the write
// limits count it) at its arrival time.
func (m *rateMeter) add(arrival time.Time, n int) {
	s := arrival.Unix()
	i := int(uint64(s) % rateWindow)
	if m.sec[i] != s {
		m.sec[i], m.bytes[i], m.records[i] = s, 0, 0
	}
	m.bytes[i] += float64(n)
	m.records[i]++
}

// rates returns the rate of the last complete second before lag and the
// mean over the 60 seconds before that. lag leaves time for records that
// arrived but have not been read yet (a poll interval).
func (m *rateMeter) rates(now time.Time, lag time.Duration) Rates {
	end := now.Add(-lag).Unix() - 1 // the newest second counted
	var r Rates
	for s := end - 59; s <= end; s++ {
		i := int(uint64(s) % rateWindow)
		if m.sec[i] != s {
			continue
		}
		r.BytesPerSec60s += m.bytes[i]
		r.RecordsPerSec60s += m.records[i]
		if s == end {
			r.BytesPerSec1s, r.RecordsPerSec1s = m.bytes[i], m.records[i]
		}
	}
	r.BytesPerSec60s /= 60
	r.RecordsPerSec60s /= 60
	return r
}

// over returns the bytes and the count per second over the n complete
// seconds before now.
func (m *rateMeter) over(now time.Time, n int) (bytes, count float64) {
	end := now.Unix() - 1
	for s := end - int64(n) + 1; s <= end; s++ {
		i := int(uint64(s) % rateWindow)
		if m.sec[i] == s {
			bytes += m.bytes[i]
			count += m.records[i]
		}
	}
	return bytes / float64(n), count / float64(n)
}

// costMeter measures a tail's GetRecords calls (a count) and the bytes
// they brought, to say what the tail takes from shared read limits.
type costMeter struct {
	m rateMeter
}

func (c *costMeter) add(s callSample) { c.m.add(s.at, s.bytes) }

// cost is the mean over the last CostWindow, or over the seconds since
// start when the tail is younger. The seconds are the meter's whole clock
// seconds, so the tail's first (partial) second counts: what a young tail
// read at its start must not drop out of its own figure.
func (c *costMeter) cost(now, start time.Time) ReadCost {
	n := min(int(now.Unix()-start.Unix()), int(CostWindow/time.Second))
	n = max(n, 1)
	bytes, calls := c.m.over(now, n)
	return ReadCost{CallsPerSec: calls, BytesPerSec: bytes}
}
