package local

import (
	"errors"
	"fmt"
)

// errKind is what kind of thing went wrong in the store, whatever the wire
// says for it: the protocol layer maps each kind to AWS's exception in one
// place (wireError).
type errKind uint8

const (
	// kindNotFound: no such stream, shard, consumer or policy.
	kindNotFound errKind = iota + 1
	// kindInUse: the resource exists, or is in a state (CREATING,
	// UPDATING, DELETING) that does not allow the change.
	kindInUse
	// kindInvalid: the arguments do not fit the resource as it is.
	kindInvalid
	// kindLimit: a quota (shards, consumers, switches per day) is reached.
	kindLimit
	// kindThrottled: the shard's throughput budget is spent.
	kindThrottled
	// kindProvisionedOnly: the operation is for PROVISIONED streams and
	// the stream is ON_DEMAND.
	kindProvisionedOnly
	// kindInternal: the store could not do what it should have (a write
	// whose shard kept closing under it).
	kindInternal
	// kindBadValue: a value is outside what the API takes (a filter type,
	// a sequence number's syntax), found where the store interprets it.
	kindBadValue
)

// storeError is an error of the store: a kind and a message in AWS's
// words. It knows nothing of HTTP or exception names.
type storeError struct {
	kind errKind
	msg  string
}

func (e *storeError) Error() string { return e.msg }

func storeErr(kind errKind, format string, a ...any) error {
	return &storeError{kind: kind, msg: fmt.Sprintf(format, a...)}
}

func notFound(format string, a ...any) error { return storeErr(kindNotFound, format, a...) }
func inUse(format string, a ...any) error    { return storeErr(kindInUse, format, a...) }
func invalid(format string, a ...any) error  { return storeErr(kindInvalid, format, a...) }
func overLimit(format string, a ...any) error {
	return storeErr(kindLimit, format, a...)
}

// errKindOf returns the kind of a store error (0 if err is not one).
func errKindOf(err error) errKind {
	var se *storeError
	if errors.As(err, &se) {
		return se.kind
	}
	return 0
}
