// Package kpl reads and writes the Kinesis Producer Library (KPL)
// aggregation format: many user records packed into one Kinesis record.
//
// An aggregate is the 4-byte magic F3 89 9A C2, then a proto2
// AggregatedRecord message, then the MD5 digest of that message (16 bytes).
// The codec is written directly over protowire so that it can validate
// every index and length itself and never panics on input.
//
// The package has no state; every function is safe for concurrent use.
package kpl

import (
	"bytes"
	"crypto/md5"
	"errors"
)

// magic is the KPL aggregation format's prefix (format version 0.9.0).
const magic = "\xf3\x89\x9a\xc2"

// digestLen is the length of the MD5 trailer.
const digestLen = md5.Size

var (
	// ErrNotAggregated means the bytes are not a KPL aggregate: the magic
	// is missing, the message is empty, or the MD5 trailer does not match.
	// The record should be passed through unchanged.
	ErrNotAggregated = errors.New("kpl: not an aggregated record")

	// ErrMalformed is wrapped by every error about an aggregate whose
	// magic and checksum are right but whose protobuf cannot be decoded
	// into records. Such a record should also be passed through unchanged.
	ErrMalformed = errors.New("kpl: malformed aggregate")

	// ErrNoRecords is returned by Aggregate when it is given no records.
	ErrNoRecords = errors.New("kpl: no records to aggregate")
)

// Record is one user record inside an aggregate.
type Record struct {
	// PartitionKey is the user record's partition key.
	PartitionKey string
	// ExplicitHashKey is the decimal hash key that overrides the partition
	// key's MD5, or empty when the record has none.
	ExplicitHashKey string
	// Data is the user record's payload.
	Data []byte
}

// IsAggregated reports whether b is a KPL aggregate: the magic, a
// non-empty protobuf message, and a matching MD5 trailer. It does not
// decode the message; Deaggregate can still fail on a malformed one.
func IsAggregated(b []byte) bool {
	_, ok := message(b)
	return ok
}

// message returns the protobuf message inside an aggregate, checking the
// magic, the length and the checksum.
func message(b []byte) ([]byte, bool) {
	if len(b) <= len(magic)+digestLen || string(b[:len(magic)]) != magic {
		return nil, false
	}
	msg := b[len(magic) : len(b)-digestLen]
	sum := md5.Sum(msg)
	if !bytes.Equal(sum[:], b[len(b)-digestLen:]) {
		return nil, false
	}
	return msg, true
}
