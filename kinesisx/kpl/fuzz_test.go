package kpl

import (
	"errors"
	"testing"
)

// FuzzDeaggregate feeds arbitrary bytes to the decoder. The seed corpus is
// in testdata/fuzz/FuzzDeaggregate plus the independent vectors; the fuzzer
// mostly mutates the message, so each input is also tried with its
// checksum recomputed (wrap) to reach the protobuf decoder.
func FuzzDeaggregate(f *testing.F) {
	_, aggs := loadVectors(f, "vectors.json")
	for _, b := range aggs {
		if len(b) < 64*1024 {
			f.Add(b)
		}
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		checkDecoder(t, b)
		if len(b) > len(magic)+digestLen && string(b[:len(magic)]) == magic {
			checkDecoder(t, wrap(b[len(magic):len(b)-digestLen]))
		} else {
			checkDecoder(t, wrap(b))
		}
	})
}

// checkDecoder asserts the decoder's contract on one input: an error is
// one of the two sentinels, records come only from aggregates, and the
// records survive a round trip through Aggregate.
func checkDecoder(t *testing.T, b []byte) {
	recs, err := Deaggregate(b)
	if err != nil {
		if recs != nil {
			t.Fatalf("records and an error: %v", err)
		}
		if !errors.Is(err, ErrNotAggregated) && !errors.Is(err, ErrMalformed) {
			t.Fatalf("error wraps no sentinel: %v", err)
		}
		if errors.Is(err, ErrMalformed) != IsAggregated(b) {
			t.Fatalf("IsAggregated = %v but error %v", IsAggregated(b), err)
		}
		return
	}
	if len(recs) == 0 || !IsAggregated(b) {
		t.Fatalf("%d records from input with IsAggregated = %v", len(recs), IsAggregated(b))
	}
	again, err := Aggregate(recs)
	if err != nil {
		t.Fatalf("Aggregate of decoded records: %v", err)
	}
	back, err := Deaggregate(again)
	if err != nil {
		t.Fatalf("Deaggregate of re-aggregated records: %v", err)
	}
	if !sameRecords(back, recs) {
		t.Fatal("re-aggregated records differ")
	}
}
