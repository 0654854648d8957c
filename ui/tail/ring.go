package tail

import "github.com/kinspect/kinspect/kinesisx"

// ring is a bounded buffer of the newest records. Records are numbered by
// an absolute index that only grows, so the filter and the cursor keep
// pointing at the same record while the oldest ones drop out. It is bounded
// by a record count and by the total payload bytes.
//
// Each record is held in an entry that is never written after push, so a
// filter search can read a copy of the entry pointers off the event loop
// while the ring goes on taking records.
type ring struct {
	buf      []*entry
	start    int    // slot of the oldest record
	n        int    // records held
	first    uint64 // absolute index of the oldest record
	bytes    int    // payload bytes held
	maxBytes int
	// innerBytes are the unwrapped payloads held, within maxBytes too.
	innerBytes int
}

// entry is a record and its payload unwrapped (nil: none kept).
type entry struct {
	rec   kinesisx.Record
	inner []byte
}

func newRing(capacity, maxBytes int) *ring {
	return &ring{buf: make([]*entry, max(capacity, 1)), maxBytes: maxBytes}
}

// push appends r with its unwrapped payload (nil: none), which is kept
// while the unwrapped payloads stay within maxBytes, and returns how many
// old records it dropped.
func (q *ring) push(r kinesisx.Record, inner []byte) int {
	dropped := 0
	for q.n > 0 && (q.n == len(q.buf) || (q.maxBytes > 0 && q.bytes+len(r.Data) > q.maxBytes)) {
		q.dropOldest()
		dropped++
	}
	e := &entry{rec: r}
	if inner != nil && (q.maxBytes <= 0 || q.innerBytes+len(inner) <= q.maxBytes) {
		e.inner = inner
		q.innerBytes += len(inner)
	}
	q.buf[(q.start+q.n)%len(q.buf)] = e
	q.n++
	q.bytes += len(r.Data)
	return dropped
}

func (q *ring) dropOldest() {
	e := q.buf[q.start]
	q.bytes -= len(e.rec.Data)
	q.innerBytes -= len(e.inner)
	q.buf[q.start] = nil // let the payload be collected
	q.start = (q.start + 1) % len(q.buf)
	q.n--
	q.first++
}

// len is the number of records held.
func (q *ring) len() int { return q.n }

// next is the absolute index the next push will get.
func (q *ring) next() uint64 { return q.first + uint64(q.n) }

// entryAt returns the entry with absolute index abs, or nil if it has
// dropped out or does not exist yet.
func (q *ring) entryAt(abs uint64) *entry {
	if abs < q.first || abs >= q.next() {
		return nil
	}
	return q.buf[(q.start+int(abs-q.first))%len(q.buf)]
}

// at returns the record with absolute index abs, or nil.
func (q *ring) at(abs uint64) *kinesisx.Record {
	if e := q.entryAt(abs); e != nil {
		return &e.rec
	}
	return nil
}

// innerAt is the unwrapped payload kept for abs (nil: none).
func (q *ring) innerAt(abs uint64) []byte {
	if e := q.entryAt(abs); e != nil {
		return e.inner
	}
	return nil
}

// entries copies the pointers to the entries held, oldest first.
func (q *ring) entries() []*entry {
	out := make([]*entry, 0, q.n)
	end := q.start + q.n
	if end <= len(q.buf) {
		return append(out, q.buf[q.start:end]...)
	}
	out = append(out, q.buf[q.start:]...)
	return append(out, q.buf[:end-len(q.buf)]...)
}

// reset empties the buffer, keeping its capacity.
func (q *ring) reset() {
	clear(q.buf)
	q.start, q.n, q.bytes, q.innerBytes = 0, 0, 0, 0
}
