package kpl

import (
	"fmt"
	"testing"
)

// BenchmarkDeaggregate decodes aggregates of the independent vectors: many
// small records (500 JSON records, 26 KB) and one near-1 MiB aggregate.
func BenchmarkDeaggregate(b *testing.B) {
	vf, aggs := loadVectors(b, "vectors.json")
	for i, v := range vf.Vectors {
		if v.Name != "many" && v.Name != "large" {
			continue
		}
		agg := aggs[i]
		b.Run(fmt.Sprintf("%s-%d", v.Name, len(v.Records)), func(b *testing.B) {
			b.SetBytes(int64(len(agg)))
			b.ReportAllocs()
			for b.Loop() {
				if _, err := Deaggregate(agg); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkAggregate encodes 500 small records, as a demo producer does.
func BenchmarkAggregate(b *testing.B) {
	recs := make([]Record, 500)
	for i := range recs {
		recs[i] = Record{PartitionKey: fmt.Sprintf("key-%d", i%50), Data: fmt.Appendf(nil, `{"n":%d}`, i)}
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Aggregate(recs); err != nil {
			b.Fatal(err)
		}
	}
}
