//go:build unix

package kinesisx_test

import (
	"context"
	"syscall"
	"testing"
	"time"

	"github.com/kinspect/kinspect/internal/testenv"
	"github.com/kinspect/kinspect/kinesisx"
	"github.com/kinspect/kinspect/kinesisx/local"
	"github.com/kinspect/kinspect/kinesisx/local/localtest"
)

// BenchmarkPutLocalLimits8 puts at the write limit of an 8-shard stream
// (8,000 records/s) with the endpoint's limits on and reports the CPU the
// whole process used (client and in-process server) per second of wall
// time: the client alone uses less.
// go test -run '^$' -bench PutLocalLimits8 -benchtime 24000x ./kinesisx
func BenchmarkPutLocalLimits8(b *testing.B) {
	url := localtest.URL(b, local.Options{Limits: true})
	sdk := testenv.KinesisClient(b, url)
	stream := testenv.StreamName(b)
	testenv.CreateStream(b, sdk, stream, 8)
	c := kinesisx.New(sdk)
	var before, after syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &before)
	b.ResetTimer()
	res, err := c.Put(context.Background(), kinesisx.PutOptions{Stream: stream, Keys: kinesisx.KeyRandom, Count: b.N, Rate: 8000}, kinesisx.Repeat(make([]byte, 100)), nil)
	b.StopTimer()
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &after)
	if err != nil || res.Sent != b.N {
		b.Fatalf("%+v %v", res, err)
	}
	cpu := time.Duration(after.Utime.Nano()+after.Stime.Nano()-before.Utime.Nano()-before.Stime.Nano()) * time.Nanosecond
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "records/s")
	b.ReportMetric(cpu.Seconds()/b.Elapsed().Seconds(), "cores")
	b.ReportMetric(float64(res.Retries), "retries")
}
