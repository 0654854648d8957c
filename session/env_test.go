package session

import (
	"context"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kinesis"
	ktypes "github.com/aws/aws-sdk-go-v2/service/kinesis/types"

	"github.com/kinspect/kinspect/internal/testenv"
	"github.com/kinspect/kinspect/kinesisx/local"
	"github.com/kinspect/kinspect/kinesisx/local/localtest"
)

// startStream starts the built-in endpoint (CloudWatch mounted) on the
// clock *at and creates a stream of n shards, with every shard-level
// metric on when monitoring says so.
func startStream(t *testing.T, at *time.Time, n int, monitoring bool) (sdk *kinesis.Client, url, stream string) {
	t.Helper()
	_, url = localtest.Start(t, local.Options{Now: func() time.Time { return *at }})
	sdk = testenv.KinesisClient(t, url)
	stream = testenv.StreamName(t)
	testenv.CreateStream(t, sdk, stream, n)
	if monitoring {
		if _, err := sdk.EnableEnhancedMonitoring(context.Background(), &kinesis.EnableEnhancedMonitoringInput{
			StreamName: aws.String(stream), ShardLevelMetrics: []ktypes.MetricsName{ktypes.MetricsNameAll},
		}); err != nil {
			t.Fatal(err)
		}
	}
	return sdk, url, stream
}
