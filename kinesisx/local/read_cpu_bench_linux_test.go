//go:build linux

package local_test

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/kinesis"

	"github.com/kinspect/kinspect/kinesisx/local"
)

// baseBinEnv names a test binary of this package built from another commit
// (`go test -c`); BenchmarkServerReadCPU runs it as a third server,
// "kinspect-base", so a change is measured before and after in one run.
const baseBinEnv = "KINSPECT_LOCAL_BENCH_BASE"

const readCPURecords = 100_000

// BenchmarkServerReadCPU puts 100,000 records of 1 KiB into a 4-shard
// stream, then reads them all back with GetRecords (one SDK reader per
// shard from TRIM_HORIZON to the end, up to 10,000 records per call), and
// reports the server process's own CPU time for the reads alone (from
// /proc/PID/stat), per 100,000 records read (issue 11: at least 5x below
// kinesalite's). The built-in endpoint runs in a process of its own at
// default flags; kinesalite (scripts/bench-install.sh) is skipped when
// missing. Run with -benchtime=1x (each iteration starts fresh servers).
func BenchmarkServerReadCPU(b *testing.B) {
	type server struct {
		name  string
		start func(b *testing.B) (url string, pid int)
	}
	endpoint := func(bin string) func(b *testing.B) (string, int) {
		return func(b *testing.B) (string, int) {
			p := startEndpointProcess(b, bin, local.MemoryLimit(local.DefaultMaxBytes))
			return p.url, p.cmd.Process.Pid
		}
	}
	servers := []server{{"kinspect", endpoint(os.Args[0])}}
	if base := os.Getenv(baseBinEnv); base != "" {
		servers = append(servers, server{"kinspect-base", endpoint(base)})
	}
	servers = append(servers, server{"kinesalite", startKinesalite})
	for _, sv := range servers {
		b.Run(sv.name, func(b *testing.B) {
			for range b.N {
				url, pid := sv.start(b)
				k := benchClient(url)
				createBenchStream(b, k, "read")
				putWorkload(b, k, []string{"read"}, readCPURecords)
				iters := trimHorizonIterators(b, k, "read")
				before := processCPU(b, pid)
				start := time.Now()
				n := readShardsToEnd(b, k, iters)
				elapsed := time.Since(start)
				cpu := processCPU(b, pid) - before
				if n != readCPURecords {
					b.Fatalf("read %d records, want %d", n, readCPURecords)
				}
				b.ReportMetric(cpu.Seconds()*100_000/float64(n), "server-cpu-s/100k")
				b.ReportMetric(float64(n)/elapsed.Seconds(), "records/s")
			}
		})
	}
}

// readShardsToEnd reads every shard from its iterator until a call returns no
// records, one reader per shard, and returns the records read.
func readShardsToEnd(b *testing.B, k *kinesis.Client, iters []*string) int64 {
	var total atomic.Int64
	var wg sync.WaitGroup
	errs := make(chan error, len(iters))
	for _, it := range iters {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for it != nil {
				out, err := k.GetRecords(context.Background(), &kinesis.GetRecordsInput{ShardIterator: it})
				if err != nil {
					errs <- err
					return
				}
				if len(out.Records) == 0 {
					return
				}
				total.Add(int64(len(out.Records)))
				it = out.NextShardIterator
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		b.Fatal(err)
	}
	return total.Load()
}

// processCPU returns the user plus system CPU time process pid has used,
// from /proc/PID/stat (in clock ticks of 1/100 s, Linux's USER_HZ).
func processCPU(b *testing.B, pid int) time.Duration {
	raw, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		b.Fatal(err)
	}
	// The fields after the command name, which is in parentheses and may
	// hold spaces: state is the first, utime the 12th, stime the 13th.
	s := string(raw)
	f := strings.Fields(s[strings.LastIndexByte(s, ')')+1:])
	if len(f) < 13 {
		b.Fatalf("/proc/%d/stat: %q", pid, s)
	}
	utime, err1 := strconv.ParseInt(f[11], 10, 64)
	stime, err2 := strconv.ParseInt(f[12], 10, 64)
	if err1 != nil || err2 != nil {
		b.Fatalf("/proc/%d/stat: %q", pid, s)
	}
	return time.Duration(utime+stime) * (time.Second / 100)
}
