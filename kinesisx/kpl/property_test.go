package kpl

import (
	"bytes"
	"errors"
	"testing"

	"pgregory.net/rapid"
)

// genRecords draws 1..50 records whose keys come from small pools, so that
// tables get both shared and distinct keys; keys and data are arbitrary
// strings and bytes, including empty ones and invalid UTF-8.
func genRecords(t *rapid.T) []Record {
	pks := rapid.SliceOfN(rapid.String(), 1, 8).Draw(t, "pks")
	ehks := rapid.SliceOfN(rapid.StringMatching(`[0-9]{1,39}`), 1, 4).Draw(t, "ehks")
	n := rapid.IntRange(1, 50).Draw(t, "n")
	recs := make([]Record, n)
	for i := range recs {
		recs[i].PartitionKey = rapid.SampledFrom(pks).Draw(t, "pk")
		if rapid.Bool().Draw(t, "hasEHK") {
			recs[i].ExplicitHashKey = rapid.SampledFrom(ehks).Draw(t, "ehk")
		}
		recs[i].Data = rapid.SliceOfN(rapid.Byte(), 0, 300).Draw(t, "data")
	}
	return recs
}

// sameRecords compares records, treating nil and empty data as equal.
func sameRecords(a, b []Record) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i].PartitionKey != b[i].PartitionKey || a[i].ExplicitHashKey != b[i].ExplicitHashKey || !bytes.Equal(a[i].Data, b[i].Data) {
			return false
		}
	}
	return true
}

func TestRoundTripProperty(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		recs := genRecords(t)
		b, err := Aggregate(recs)
		if err != nil {
			t.Fatalf("Aggregate: %v", err)
		}
		if !IsAggregated(b) {
			t.Fatal("IsAggregated(Aggregate(...)) = false")
		}
		got, err := Deaggregate(b)
		if err != nil {
			t.Fatalf("Deaggregate: %v", err)
		}
		if !sameRecords(got, recs) {
			t.Fatalf("round trip changed the records:\n got %+v\nwant %+v", got, recs)
		}
		again, err := Aggregate(got)
		if err != nil || !bytes.Equal(again, b) {
			t.Fatalf("encoding is not deterministic: %v", err)
		}
	})
}

// TestCorruptionProperty flips one byte of a valid aggregate: the magic,
// the message and the digest are all covered, so the result is always
// rejected as not aggregated and passed through.
func TestCorruptionProperty(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		recs := genRecords(t)
		b, err := Aggregate(recs)
		if err != nil {
			t.Fatal(err)
		}
		i := rapid.IntRange(0, len(b)-1).Draw(t, "i")
		b[i] ^= rapid.ByteRange(1, 255).Draw(t, "mask")
		got, err := Deaggregate(b)
		if !errors.Is(err, ErrNotAggregated) {
			t.Fatalf("corrupt byte %d of %d: Deaggregate = %d records, %v", i, len(b), len(got), err)
		}
	})
}
