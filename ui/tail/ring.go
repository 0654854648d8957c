package tail

import "github.com/kinspect/kinspect/kinesisx"

// ring is a bounded buffer of the newest records. Records are numbered by
// an absolute index that only grows, so the filter and the cursor keep
// pointing at the same record while the oldest ones drop out. It is bounded
// by a record count and by the total payload bytes.
type ring struct {
	buf      []kinesisx.Record
	start    int    // slot of the oldest record
	n        int    // records held
	first    uint64 // absolute index of the oldest record
	bytes    int    // payload bytes held
	maxBytes int
}

func newRing(capacity, maxBytes int) *ring {
	return &ring{buf: make([]kinesisx.Record, max(capacity, 1)), maxBytes: maxBytes}
}

// push appends r and returns how many old records it dropped.
func (q *ring) push(r kinesisx.Record) int {
	dropped := 0
	for q.n > 0 && (q.n == len(q.buf) || (q.maxBytes > 0 && q.bytes+len(r.Data) > q.maxBytes)) {
		q.dropOldest()
		dropped++
	}
	q.buf[(q.start+q.n)%len(q.buf)] = r
	q.n++
	q.bytes += len(r.Data)
	return dropped
}

func (q *ring) dropOldest() {
	q.bytes -= len(q.buf[q.start].Data)
	q.buf[q.start] = kinesisx.Record{} // let the payload be collected
	q.start = (q.start + 1) % len(q.buf)
	q.n--
	q.first++
}

// len is the number of records held.
func (q *ring) len() int { return q.n }

// next is the absolute index the next push will get.
func (q *ring) next() uint64 { return q.first + uint64(q.n) }

// at returns the record with absolute index abs, or nil if it has dropped
// out or does not exist yet.
func (q *ring) at(abs uint64) *kinesisx.Record {
	if abs < q.first || abs >= q.next() {
		return nil
	}
	return &q.buf[(q.start+int(abs-q.first))%len(q.buf)]
}

// reset empties the buffer, keeping its capacity.
func (q *ring) reset() {
	clear(q.buf)
	q.start, q.n, q.bytes = 0, 0, 0
}
