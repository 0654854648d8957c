package local

import (
	"encoding/base64"
	"encoding/binary"
	"hash/crc32"
	"time"
)

// iterator is a decoded shard iterator: a position in one shard of one
// stream (the first record with counter ≥ pos and, for AT_TIMESTAMP, an
// arrival ≥ minArrival), stamped with its issue time for expiry.
type iterator struct {
	stream     string
	created    int64 // the stream's creation time, unix ns: tells re-created streams apart
	shard      int
	pos        uint64
	minArrival int64 // unix ms; 0 for none
	issued     int64 // unix ns
}

const iterHeader = 1 + 8 + 4 + 8 + 8 + 8

// encode renders the iterator as an opaque URL-safe string with a checksum.
func (it iterator) encode() string {
	b := make([]byte, iterHeader, iterHeader+len(it.stream)+4)
	b[0] = 1
	binary.BigEndian.PutUint64(b[1:], uint64(it.created))
	binary.BigEndian.PutUint32(b[9:], uint32(it.shard))
	binary.BigEndian.PutUint64(b[13:], it.pos)
	binary.BigEndian.PutUint64(b[21:], uint64(it.minArrival))
	binary.BigEndian.PutUint64(b[29:], uint64(it.issued))
	b = append(b, it.stream...)
	b = binary.BigEndian.AppendUint32(b, crc32.ChecksumIEEE(b))
	return base64.RawURLEncoding.EncodeToString(b)
}

// decodeIterator parses an iterator; any damage gives an
// InvalidArgumentException, as AWS gives for a malformed iterator.
func decodeIterator(s string) (iterator, error) {
	bad := errInvalid("Invalid ShardIterator: %.64q", s)
	if len(s) == 0 || len(s) > 512 {
		return iterator{}, bad
	}
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil || len(b) < iterHeader+4 || b[0] != 1 {
		return iterator{}, bad
	}
	body, sum := b[:len(b)-4], binary.BigEndian.Uint32(b[len(b)-4:])
	if crc32.ChecksumIEEE(body) != sum {
		return iterator{}, bad
	}
	return iterator{
		created:    int64(binary.BigEndian.Uint64(body[1:])),
		shard:      int(binary.BigEndian.Uint32(body[9:])),
		pos:        binary.BigEndian.Uint64(body[13:]),
		minArrival: int64(binary.BigEndian.Uint64(body[21:])),
		issued:     int64(binary.BigEndian.Uint64(body[29:])),
		stream:     string(body[iterHeader:]),
	}, nil
}

// expired reports whether the iterator is older than ttl at now.
func (it iterator) expired(now time.Time, ttl time.Duration) bool {
	return now.Sub(time.Unix(0, it.issued)) > ttl
}
