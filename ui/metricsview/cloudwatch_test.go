package metricsview

import (
	"context"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kinesis"
	"github.com/charmbracelet/x/ansi"

	"github.com/kinspect/kinspect/internal/testenv"
	"github.com/kinspect/kinspect/kinesisx"
	"github.com/kinspect/kinspect/kinesisx/local"
	"github.com/kinspect/kinspect/kinesisx/local/localtest"
	"github.com/kinspect/kinspect/metrics"
	"github.com/kinspect/kinspect/session"
	"github.com/kinspect/kinspect/ui/internal/uitest"
	"github.com/kinspect/kinspect/ui/screen"
	"github.com/kinspect/kinspect/ui/theme"
)

// TestMetricsCapacityCountsOpenShards: after a split the stream has three
// shards, two of them open. The :metrics screen lists all three (the
// parent had traffic in the window) but the stream's capacity is 2 MiB/s.
func TestMetricsCapacityCountsOpenShards(t *testing.T) {
	clock := time.Now().Truncate(time.Minute).Add(20 * time.Second)
	_, url := localtest.Start(t, local.Options{Now: func() time.Time { return clock }})
	sdk := testenv.KinesisClient(t, url)
	stream := testenv.StreamName(t)
	testenv.CreateStream(t, sdk, stream, 1)
	ctx := context.Background()
	if _, err := sdk.PutRecord(ctx, &kinesis.PutRecordInput{StreamName: aws.String(stream), PartitionKey: aws.String("k"),
		Data: make([]byte, 60<<10-1)}); err != nil {
		t.Fatal(err)
	}
	if _, err := sdk.SplitShard(ctx, &kinesis.SplitShardInput{StreamName: aws.String(stream), ShardToSplit: aws.String("shardId-000000000000"),
		NewStartingHashKey: aws.String("170141183460469231731687303715884105728")}); err != nil {
		t.Fatal(err)
	}
	a := session.NewCloudWatch(kinesisx.New(sdk), metrics.New(testenv.CloudWatchClient(t, url)), nil, func() time.Time { return clock.Add(time.Minute) })
	d, err := a.StreamReport(ctx, stream, 15*time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Report.Shards) != 3 || d.Report.OpenShards != 2 {
		t.Fatalf("%d shards listed, capacity of %d, want 3 listed and 2 open", len(d.Report.Shards), d.Report.OpenShards)
	}
	// 60 KiB in the minute is 1 KiB/s: 0.05 % of 2 MiB/s.
	if u := d.Report.StreamLevel.IncomingBytesUtilisation; u == nil || *u != 1024.0/(2<<20) {
		t.Errorf("stream utilisation %v, want of 2 open shards", u)
	}
	st := theme.New(theme.Plain())
	m := New(ctx, 1, screen.Common{Styles: &st}, stream, Deps{Source: a, Now: func() time.Time { return clock.Add(time.Minute) }})
	m.SetRefresh(0)
	m.SetSize(120, 20)
	for _, msg := range uitest.Msgs(tea.Batch(m.Init(), m.Start())) {
		m.Update(msg)
	}
	if out := ansi.Strip(m.View()); !strings.Contains(out, "of 2.0 MiB/s") {
		t.Errorf(":metrics should count the 2 open shards' capacity:\n%s", out)
	}
}
