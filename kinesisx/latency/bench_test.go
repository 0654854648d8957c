package latency_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/kinspect/kinspect/internal/testenv"
	"github.com/kinspect/kinspect/kinesisx"
	"github.com/kinspect/kinspect/kinesisx/latency"
	"github.com/kinspect/kinspect/kinesisx/local"
	"github.com/kinspect/kinspect/kinesisx/local/localtest"
)

// BenchmarkLatencyLab runs the lab at its defaults, which are the
// article's setup: 4,000 probes on a 2-shard stream of the built-in
// endpoint with the Kinesis limits on, at what the two shards take (2,000
// records/s, so 2 s of puts). It reports both modes' figures in
// milliseconds and logs the article's beside them. Run it once (it takes
// about 4 s):
//
//	go test -run '^$' -bench LatencyLab -benchtime 1x ./kinesisx/latency
func BenchmarkLatencyLab(b *testing.B) {
	url := localtest.URL(b, local.Options{Limits: true}) // closed after the stream's own cleanup
	sdk := testenv.KinesisClient(b, url)
	stream := testenv.StreamName(b)
	testenv.CreateStream(b, sdk, stream, 2)
	c := kinesisx.New(sdk)
	for b.Loop() {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
		rep, err := latency.Run(ctx, c, latency.Options{Stream: stream})
		cancel()
		if err != nil {
			b.Fatal(err)
		}
		b.Logf("put %d probes at %g/s in %v", rep.Sent, rep.Rate, rep.PutDuration)
		if d := rep.ArticleDifferences(); len(d) > 0 {
			b.Errorf("not the article's setup: %v", d)
		}
		for _, m := range rep.Modes {
			if !m.Complete() {
				b.Errorf("%s: missed %d, duplicated %d", m.Mode, m.Missing, m.Duplicates)
			}
			a, _ := latency.Article(m.Mode)
			b.Logf("%-7s seen %d  last arrived %v (article: %s)  p50 %v  p90 %v  p99 %v  max %v  max behind %d ms",
				m.Mode, m.Seen, m.LastArrival, a.Text, m.P50, m.P90, m.P99, m.Max, m.MaxMillisBehindLatest)
			unit := func(s string) string { return fmt.Sprintf("%s-%s-ms", m.Mode, s) }
			b.ReportMetric(float64(m.LastArrival.Microseconds())/1000, unit("last"))
			b.ReportMetric(float64(m.P50.Microseconds())/1000, unit("p50"))
			b.ReportMetric(float64(m.P99.Microseconds())/1000, unit("p99"))
		}
	}
}
