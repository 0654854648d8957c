package kpl

import (
	"fmt"

	"google.golang.org/protobuf/encoding/protowire"
)

// Field numbers of the proto2 schema (aggregation-format.md).
const (
	fieldPartitionKeyTable    protowire.Number = 1 // AggregatedRecord
	fieldExplicitHashKeyTable protowire.Number = 2 // AggregatedRecord
	fieldRecords              protowire.Number = 3 // AggregatedRecord
	fieldPartitionKeyIndex    protowire.Number = 1 // Record
	fieldExplicitHashKeyIndex protowire.Number = 2 // Record
	fieldData                 protowire.Number = 3 // Record
	fieldTags                 protowire.Number = 4 // Record
)

// rawRecord is a Record before its key indices are resolved against the
// tables, which may come after the records on the wire.
type rawRecord struct {
	pk, ehk       uint64
	hasPK, hasEHK bool
	hasData       bool
	data          []byte
}

// aggregate is a decoded AggregatedRecord message.
type aggregate struct {
	pks, ehks []string
	records   []rawRecord
}

// Deaggregate returns the user records of a KPL aggregate, in order.
//
// It returns ErrNotAggregated when b is not an aggregate (see IsAggregated)
// and an error wrapping ErrMalformed when the checksum is right but the
// message cannot be decoded: a truncated field, a key index outside its
// table, a missing required field, or no records at all. In both cases the
// caller should keep b as one plain record. Unknown fields (and the unused
// tags) are skipped.
//
// The Data of the returned records aliases b; copy it before modifying b.
func Deaggregate(b []byte) ([]Record, error) {
	msg, ok := message(b)
	if !ok {
		return nil, ErrNotAggregated
	}
	agg, err := parseAggregate(msg)
	if err != nil {
		return nil, err
	}
	return agg.resolve()
}

// malformed wraps ErrMalformed with what was wrong.
func malformed(format string, args ...any) error {
	return fmt.Errorf("%w: %s", ErrMalformed, fmt.Sprintf(format, args...))
}

// parseAggregate decodes an AggregatedRecord message.
func parseAggregate(msg []byte) (aggregate, error) {
	var agg aggregate
	for len(msg) > 0 {
		num, typ, n := protowire.ConsumeTag(msg)
		if n < 0 {
			return agg, malformed("aggregate tag: %v", protowire.ParseError(n))
		}
		msg = msg[n:]
		if num < fieldPartitionKeyTable || num > fieldRecords {
			n = protowire.ConsumeFieldValue(num, typ, msg)
			if n < 0 {
				return agg, malformed("unknown aggregate field %d: %v", num, protowire.ParseError(n))
			}
			msg = msg[n:]
			continue
		}
		if typ != protowire.BytesType {
			return agg, malformed("aggregate field %d has wire type %d, want %d", num, typ, protowire.BytesType)
		}
		v, n := protowire.ConsumeBytes(msg)
		if n < 0 {
			return agg, malformed("aggregate field %d: %v", num, protowire.ParseError(n))
		}
		msg = msg[n:]
		switch num {
		case fieldPartitionKeyTable:
			agg.pks = append(agg.pks, string(v))
		case fieldExplicitHashKeyTable:
			agg.ehks = append(agg.ehks, string(v))
		default:
			r, err := parseRecord(v)
			if err != nil {
				return agg, fmt.Errorf("record %d: %w", len(agg.records), err)
			}
			agg.records = append(agg.records, r)
		}
	}
	return agg, nil
}

// parseRecord decodes one Record message. As in protobuf, a repeated
// singular field keeps its last value.
func parseRecord(msg []byte) (rawRecord, error) {
	var r rawRecord
	for len(msg) > 0 {
		num, typ, n := protowire.ConsumeTag(msg)
		if n < 0 {
			return r, malformed("tag: %v", protowire.ParseError(n))
		}
		msg = msg[n:]
		switch {
		case num == fieldPartitionKeyIndex || num == fieldExplicitHashKeyIndex:
			if typ != protowire.VarintType {
				return r, malformed("field %d has wire type %d, want %d", num, typ, protowire.VarintType)
			}
			v, n := protowire.ConsumeVarint(msg)
			if n < 0 {
				return r, malformed("field %d: %v", num, protowire.ParseError(n))
			}
			msg = msg[n:]
			if num == fieldPartitionKeyIndex {
				r.pk, r.hasPK = v, true
			} else {
				r.ehk, r.hasEHK = v, true
			}
		case num == fieldData:
			if typ != protowire.BytesType {
				return r, malformed("data has wire type %d, want %d", typ, protowire.BytesType)
			}
			v, n := protowire.ConsumeBytes(msg)
			if n < 0 {
				return r, malformed("data: %v", protowire.ParseError(n))
			}
			msg = msg[n:]
			r.data, r.hasData = v, true
		default: // tags (unused by every producer) and unknown fields
			n = protowire.ConsumeFieldValue(num, typ, msg)
			if n < 0 {
				return r, malformed("field %d: %v", num, protowire.ParseError(n))
			}
			msg = msg[n:]
		}
	}
	switch {
	case !r.hasPK:
		return r, malformed("missing required partition_key_index")
	case !r.hasData:
		return r, malformed("missing required data")
	}
	return r, nil
}

// resolve looks up every record's keys in the tables.
func (agg aggregate) resolve() ([]Record, error) {
	if len(agg.records) == 0 {
		// Valid protobuf, but yielding nothing would make the Kinesis
		// record vanish from view: report it so it is shown as it is.
		return nil, malformed("no records")
	}
	out := make([]Record, len(agg.records))
	for i, r := range agg.records {
		if r.pk >= uint64(len(agg.pks)) {
			return nil, malformed("record %d: partition key index %d outside a table of %d", i, r.pk, len(agg.pks))
		}
		out[i] = Record{PartitionKey: agg.pks[r.pk], Data: r.data}
		if r.hasEHK {
			if r.ehk >= uint64(len(agg.ehks)) {
				return nil, malformed("record %d: explicit hash key index %d outside a table of %d", i, r.ehk, len(agg.ehks))
			}
			out[i].ExplicitHashKey = agg.ehks[r.ehk]
		}
	}
	return out, nil
}
