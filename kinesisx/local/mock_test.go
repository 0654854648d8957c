package local_test

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/kinesis"

	"github.com/kinspect/kinspect/internal/testenv"
)

// TestConformanceKinesisMock runs the AWS-behaviour suite against
// kinesis-mock (npm kinesis-local), the third-party reference. Where it
// differs from AWS the quirk is named and the test follows AWS.
func TestConformanceKinesisMock(t *testing.T) {
	runConformance(t, backend{
		name:       "kinesis-mock",
		start:      func(t *testing.T) string { return testenv.KinesisMock(t) },
		clientOpts: []func(*kinesis.Options){closeConnections},
		quirks: quirks{
			NoStreamSummaries:   true,
			NoEFOChildShards:    true,
			NoFutureAtTimestamp: true,
			Accepts501Records:   true,
			NoInitialResponse:   true,
			NoListStreamsPaging: true,
			ShardFilterTimeAll:  true,
			SchemaAsInvalidArg:  true,
			LaxSplitKey:         true,
			BadIteratorIs500:    true,
			SecondSubscription:  true,
		},
	})
}
