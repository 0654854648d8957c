//go:build unix

package local_test

import (
	"context"
	"fmt"
	"os"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kinesis"

	"github.com/kinspect/kinspect/kinesisx/local"
)

// BenchmarkEndpointMemoryLimit puts 1,000,000 records of 1 KiB into one
// 4-shard stream of an endpoint at its default caps, with the memory limit
// `kinspect local` derives from them and with none, and reports the server
// process's CPU seconds and peak RSS (issue 11: within 1.5x). Run with
// -benchtime=1x.
func BenchmarkEndpointMemoryLimit(b *testing.B) {
	const records = 1_000_000
	for _, cfg := range []struct {
		name  string
		limit int64
	}{{"default", local.MemoryLimit(local.DefaultMaxBytes)}, {"no-limit", 0}} {
		b.Run(cfg.name, func(b *testing.B) {
			for range b.N {
				cpu, rss, elapsed := runMemoryWorkload(b, cfg.limit, []string{"mem"}, records)
				b.ReportMetric(cpu.Seconds(), "server-cpu-s")
				b.ReportMetric(rss, "server-maxrss-MiB")
				b.ReportMetric(records/elapsed.Seconds(), "records/s")
			}
		})
	}
}

// BenchmarkEndpointStreamsUnderCap puts 100,000 records of 1 KiB into each
// of 10 streams of 4 shards (about 1.1 GiB stored, over four times the
// global cap) of an endpoint at default flags (the caps of local.Options{}
// and the memory limit `kinspect local` derives from them), and reports the
// server process's CPU seconds and peak RSS: the global cap, trimming the
// oldest records of any stream, keeps RSS bounded (issue 11). Run with
// -benchtime=1x.
func BenchmarkEndpointStreamsUnderCap(b *testing.B) {
	const streams, perStream = 10, 100_000
	names := make([]string, streams)
	for i := range names {
		names[i] = fmt.Sprintf("cap-%d", i)
	}
	for range b.N {
		cpu, rss, elapsed := runMemoryWorkload(b, local.MemoryLimit(local.DefaultMaxBytes), names, perStream)
		b.ReportMetric(cpu.Seconds(), "server-cpu-s")
		b.ReportMetric(rss, "server-maxrss-MiB")
		b.ReportMetric(streams*perStream/elapsed.Seconds(), "records/s")
	}
}

// runMemoryWorkload starts an endpoint process with the soft memory limit
// limit, puts records into each of streams and returns the process's CPU
// time and peak RSS.
func runMemoryWorkload(b *testing.B, limit int64, streams []string, records int) (cpu time.Duration, rssMiB float64, elapsed time.Duration) {
	p := startEndpointProcess(b, os.Args[0], limit)
	k := benchClient(p.url)
	for _, name := range streams {
		createBenchStream(b, k, name)
	}
	start := time.Now()
	putWorkload(b, k, streams, records)
	elapsed = time.Since(start)
	if err := p.stop(); err != nil {
		b.Fatal(err)
	}
	st := p.cmd.ProcessState
	if ru, ok := st.SysUsage().(*syscall.Rusage); ok {
		rssMiB = float64(ru.Maxrss) / 1024
	}
	return st.UserTime() + st.SystemTime(), rssMiB, elapsed
}

// putWorkload puts records records of 1 KiB into each of streams, 500 per
// PutRecords call from 4 concurrent callers, and fails b on any error or
// failed record.
func putWorkload(b *testing.B, k *kinesis.Client, streams []string, records int) {
	const workers = 4
	var wg sync.WaitGroup
	errs := make(chan error, workers)
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			entries := benchEntries(benchBatch, w*benchBatch)
			for i := w * benchBatch; i < records; i += workers * benchBatch {
				for _, name := range streams {
					out, err := k.PutRecords(context.Background(), &kinesis.PutRecordsInput{StreamName: aws.String(name), Records: entries})
					if err == nil && aws.ToInt32(out.FailedRecordCount) > 0 {
						err = fmt.Errorf("PutRecords %s: %d records failed", name, aws.ToInt32(out.FailedRecordCount))
					}
					if err != nil {
						errs <- err
						return
					}
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		b.Fatal(err)
	}
}
