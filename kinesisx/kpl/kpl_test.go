package kpl

import (
	"bytes"
	"crypto/md5"
	"errors"
	"reflect"
	"testing"

	"google.golang.org/protobuf/encoding/protowire"
)

// wrap frames a protobuf message as an aggregate with a valid checksum.
func wrap(msg []byte) []byte {
	sum := md5.Sum(msg)
	b := append([]byte(magic), msg...)
	return append(b, sum[:]...)
}

// field appends a length-delimited field.
func field(b []byte, num protowire.Number, v []byte) []byte {
	b = protowire.AppendTag(b, num, protowire.BytesType)
	return protowire.AppendBytes(b, v)
}

// varint appends a varint field.
func varint(b []byte, num protowire.Number, v uint64) []byte {
	b = protowire.AppendTag(b, num, protowire.VarintType)
	return protowire.AppendVarint(b, v)
}

// record builds a Record message.
func record(pk uint64, data string) []byte {
	return field(varint(nil, fieldPartitionKeyIndex, pk), fieldData, []byte(data))
}

func TestNotAggregated(t *testing.T) {
	good, err := Aggregate([]Record{{PartitionKey: "k", Data: []byte("v")}})
	if err != nil {
		t.Fatal(err)
	}
	flip := func(i int) []byte {
		b := bytes.Clone(good)
		b[i] ^= 1
		return b
	}
	tests := []struct {
		name string
		in   []byte
	}{
		{"nil", nil},
		{"magic only", []byte(magic)},
		{"empty message", wrap(nil)}, // 20 bytes: not over 4+16
		{"plain JSON", []byte(`{"a":1,"b":"0123456789abcdef"}`)},
		{"bad magic", flip(0)},
		{"bad checksum", flip(len(good) - 1)},
		{"changed message", flip(len(magic) + 1)},
		{"truncated", good[:len(good)-1]},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if IsAggregated(tt.in) {
				t.Error("IsAggregated = true")
			}
			recs, err := Deaggregate(tt.in)
			if !errors.Is(err, ErrNotAggregated) || recs != nil {
				t.Errorf("Deaggregate = %v, %v; want nil, ErrNotAggregated", recs, err)
			}
		})
	}
}

func TestMalformed(t *testing.T) {
	pkTable := field(nil, fieldPartitionKeyTable, []byte("k"))
	withRecord := func(msg, rec []byte) []byte { return field(msg, fieldRecords, rec) }
	tests := []struct {
		name string
		msg  []byte
	}{
		{"no records", pkTable},
		{"partition key index out of range", withRecord(pkTable, record(1, "x"))},
		{"empty partition key table", withRecord(nil, record(0, "x"))},
		{"huge partition key index", withRecord(pkTable, record(1<<63, "x"))},
		{"explicit hash key index out of range", withRecord(pkTable, varint(record(0, "x"), fieldExplicitHashKeyIndex, 0))},
		{"missing partition key index", withRecord(pkTable, field(nil, fieldData, []byte("x")))},
		{"missing data", withRecord(pkTable, varint(nil, fieldPartitionKeyIndex, 0))},
		{"truncated varint", append(protowire.AppendTag(nil, 9, protowire.VarintType), 0x80)},
		{"length past the end", append(protowire.AppendTag(nil, fieldRecords, protowire.BytesType), 0x05, 0x08)},
		{"field number zero", []byte{0x02, 0x00}},
		{"table with varint wire type", varint(nil, fieldPartitionKeyTable, 1)},
		{"index with bytes wire type", withRecord(pkTable, field(field(nil, fieldPartitionKeyIndex, []byte{0}), fieldData, nil))},
		{"data with varint wire type", withRecord(pkTable, varint(varint(nil, fieldPartitionKeyIndex, 0), fieldData, 1))},
		{"truncated record field", withRecord(pkTable, append(varint(nil, fieldPartitionKeyIndex, 0), 0x1a, 0x09))},
		{"unterminated group", withRecord(pkTable, protowire.AppendTag(record(0, "x"), 7, protowire.StartGroupType))},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := wrap(tt.msg)
			if !IsAggregated(b) {
				t.Fatal("IsAggregated = false: the case does not reach the decoder")
			}
			recs, err := Deaggregate(b)
			if !errors.Is(err, ErrMalformed) || recs != nil {
				t.Errorf("Deaggregate = %v, %v; want nil, ErrMalformed", recs, err)
			}
		})
	}
}

// TestDecodeOrderAndUnknownFields checks proto2 decoding details that the
// KPL never writes but a decoder must accept: tables after the records,
// tags, unknown fields of every wire type, and a repeated singular field.
func TestDecodeOrderAndUnknownFields(t *testing.T) {
	tag := field(field(nil, 1, []byte("tk")), 2, []byte("tv"))
	rec := record(1, "first")
	rec = field(rec, fieldTags, tag)
	rec = protowire.AppendTag(rec, 7, protowire.Fixed32Type)
	rec = protowire.AppendFixed32(rec, 7)
	rec = varint(rec, fieldExplicitHashKeyIndex, 0)
	rec = field(rec, fieldData, []byte("last data wins"))

	var msg []byte
	msg = field(msg, fieldRecords, rec)
	msg = protowire.AppendTag(msg, 15, protowire.Fixed64Type)
	msg = protowire.AppendFixed64(msg, 1)
	msg = protowire.AppendTag(msg, 16, protowire.StartGroupType)
	msg = varint(msg, 1, 1)
	msg = protowire.AppendTag(msg, 16, protowire.EndGroupType)
	msg = field(msg, fieldPartitionKeyTable, []byte("p0"))
	msg = field(msg, fieldPartitionKeyTable, []byte("p1"))
	msg = field(msg, fieldExplicitHashKeyTable, []byte("123"))
	msg = field(msg, fieldRecords, record(0, ""))
	msg = varint(msg, 99, 5)

	got, err := Deaggregate(wrap(msg))
	if err != nil {
		t.Fatal(err)
	}
	want := []Record{
		{PartitionKey: "p1", ExplicitHashKey: "123", Data: []byte("last data wins")},
		{PartitionKey: "p0", Data: []byte{}},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %+v, want %+v", got, want)
	}
}

func TestAggregateDedupesKeys(t *testing.T) {
	recs := []Record{
		{PartitionKey: "b", Data: []byte("1")},
		{PartitionKey: "a", ExplicitHashKey: "9", Data: []byte("2")},
		{PartitionKey: "b", ExplicitHashKey: "9", Data: []byte("3")},
		{PartitionKey: "c", ExplicitHashKey: "1", Data: []byte("4")},
		{PartitionKey: "a", Data: []byte("5")},
	}
	b, err := Aggregate(recs)
	if err != nil {
		t.Fatal(err)
	}
	msg, ok := message(b)
	if !ok {
		t.Fatal("not an aggregate")
	}
	agg, err := parseAggregate(msg)
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"b", "a", "c"}; !reflect.DeepEqual(agg.pks, want) {
		t.Errorf("partition key table %q, want %q", agg.pks, want)
	}
	if want := []string{"9", "1"}; !reflect.DeepEqual(agg.ehks, want) {
		t.Errorf("explicit hash key table %q, want %q", agg.ehks, want)
	}
	for i, r := range agg.records {
		if r.hasEHK != (recs[i].ExplicitHashKey != "") {
			t.Errorf("record %d: explicit hash key index present = %v", i, r.hasEHK)
		}
	}
}

func TestAggregateNoRecords(t *testing.T) {
	for _, in := range [][]Record{nil, {}} {
		if b, err := Aggregate(in); !errors.Is(err, ErrNoRecords) || b != nil {
			t.Errorf("Aggregate(%v) = %x, %v; want ErrNoRecords", in, b, err)
		}
	}
}
