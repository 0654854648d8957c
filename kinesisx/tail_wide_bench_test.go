package kinesisx_test

import (
	"context"
	"runtime"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/kinspect/kinspect/internal/testenv"
	"github.com/kinspect/kinspect/kinesisx"
	"github.com/kinspect/kinspect/kinesisx/local"
)

// BenchmarkTailPaced reads 4 shards of 12,000 records of 1 KiB (12 MiB a
// shard, more than one 10 MiB answer) with the polling tail at its default
// pacing, as kinspect tail reads: what one read of the whole stream costs
// in CPU (of the process, the in-process endpoint included), allocation
// and peak heap, and its rate against the pacing limit (shards × 2 MiB/s).
func BenchmarkTailPaced(b *testing.B) {
	const shards, perShard, size = 4, 12000, 1024
	k := testenv.KinesisClient(b, startLocal(b, local.Options{}))
	stream := "bench-paced"
	testenv.CreateStream(b, k, stream, shards)
	fill(b, k, stream, shards*perShard, size)
	c := kinesisx.New(k)
	runtime.GC()
	peak := heapPeak()
	defer peak.stop()
	cpu0 := cpuTime()
	b.ReportAllocs()
	b.ResetTimer()
	start := time.Now()
	for i := 0; i < b.N; i++ {
		ctx, cancel := context.WithCancel(context.Background())
		t, err := c.Tail(ctx, kinesisx.TailOptions{Stream: stream, From: kinesisx.StartPosition{Type: kinesisx.PositionTrimHorizon}, FlushInterval: 10 * time.Millisecond})
		if err != nil {
			b.Fatal(err)
		}
		for n := 0; n < shards*perShard; {
			bt := <-t.Batches()
			n += len(bt.Records)
		}
		t.Close()
		cancel()
	}
	elapsed := time.Since(start).Seconds()
	read := float64(shards * perShard * b.N)
	b.ReportMetric(read/elapsed, "records/s")
	limit := shards * 2 << 20 / float64(size+5) // data plus a 5-byte key
	b.ReportMetric(100*read/elapsed/limit, "%pacing-limit")
	b.ReportMetric((cpuTime()-cpu0).Seconds()*1e6/read, "cpu-µs/record")
	b.ReportMetric(float64(peak.stop())/(1<<20), "peak-heap-MiB")
}

// cpuTime is the process's user plus system CPU time.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// peakSampler samples the heap in use every 10 ms.
type peakSampler struct {
	done chan struct{}
	wg   sync.WaitGroup
	max  uint64
	once sync.Once
}

func heapPeak() *peakSampler {
	p := &peakSampler{done: make(chan struct{})}
	p.wg.Add(1)
	go func() {
		defer p.wg.Done()
		tick := time.NewTicker(10 * time.Millisecond)
		defer tick.Stop()
		var ms runtime.MemStats
		for {
			runtime.ReadMemStats(&ms)
			p.max = max(p.max, ms.HeapInuse)
			select {
			case <-p.done:
				return
			case <-tick.C:
			}
		}
	}()
	return p
}

// stop ends the sampling and returns the peak.
func (p *peakSampler) stop() uint64 {
	p.once.Do(func() { close(p.done) })
	p.wg.Wait()
	return p.max
}
