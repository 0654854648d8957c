//go:build unix

package local_test

import (
	"bufio"
	"context"
	"os"
	"os/exec"
	"strconv"
	"strings"
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
				cpu, rss, elapsed := runMemoryWorkload(b, cfg.limit, records)
				b.ReportMetric(cpu.Seconds(), "server-cpu-s")
				b.ReportMetric(rss, "server-maxrss-MiB")
				b.ReportMetric(records/elapsed.Seconds(), "records/s")
			}
		})
	}
}

func runMemoryWorkload(b *testing.B, limit int64, records int) (cpu time.Duration, rssMiB float64, elapsed time.Duration) {
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), serveEnv+"="+strconv.FormatInt(limit, 10))
	stdin, err := cmd.StdinPipe()
	if err != nil {
		b.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		b.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		b.Fatal(err)
	}
	line, err := bufio.NewReader(stdout).ReadString('\n')
	url := strings.TrimSpace(line)
	if err != nil || !strings.HasPrefix(url, "http") {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
		b.Fatalf("endpoint: %q %v", line, err)
	}
	k := benchClient(url)
	createBenchStream(b, k, "mem")
	start := time.Now()
	const workers = 4
	var wg sync.WaitGroup
	errs := make(chan error, workers)
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			entries := benchEntries(benchBatch, w*benchBatch)
			for i := w * benchBatch; i < records; i += workers * benchBatch {
				if _, err := k.PutRecords(context.Background(), &kinesis.PutRecordsInput{StreamName: aws.String("mem"), Records: entries}); err != nil {
					errs <- err
					return
				}
			}
		}()
	}
	wg.Wait()
	elapsed = time.Since(start)
	_ = stdin.Close()
	werr := cmd.Wait()
	close(errs)
	for err := range errs {
		b.Fatal(err)
	}
	if werr != nil {
		b.Fatal(werr)
	}
	st := cmd.ProcessState
	ru, _ := st.SysUsage().(*syscall.Rusage)
	if ru != nil {
		rssMiB = float64(ru.Maxrss) / 1024
	}
	return st.UserTime() + st.SystemTime(), rssMiB, elapsed
}
