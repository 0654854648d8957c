package local

import (
	"fmt"
	"sync/atomic"
	"testing"
	"time"
)

// BenchmarkMetricStoreParallel records what one PutRecords call records
// (six stream-level samples, four incoming ones at stream and shard level)
// from every goroutine at once: each goroutine writes to its own shard of
// one of four streams, as parallel producers do. A store behind one mutex
// serialises them all.
func BenchmarkMetricStoreParallel(b *testing.B) {
	m := newMetricStore()
	streams := []string{"s0", "s1", "s2", "s3"}
	for _, s := range streams {
		m.setMonitoring(s, shardLevelMetrics())
	}
	now := time.Date(2026, 12, 5, 8, 0, 0, 0, time.UTC)
	var next atomic.Int64
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		g := next.Add(1)
		stream := streams[g%int64(len(streams))]
		shard := fmt.Sprintf("shardId-%012d", g)
		for pb.Next() {
			m.add(stream, "", "PutRecords.Success", 1, now)
			m.add(stream, "", "PutRecords.Bytes", 1024, now)
			m.add(stream, "", "PutRecords.TotalRecords", 1, now)
			m.add(stream, "", "PutRecords.SuccessfulRecords", 1, now)
			m.add(stream, "", "PutRecords.FailedRecords", 0, now)
			m.add(stream, "", "PutRecords.Latency", 1, now)
			m.addIncoming(stream, shard, 1024, 1, now)
		}
	})
}
