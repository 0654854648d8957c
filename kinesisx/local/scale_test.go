package local_test

import (
	"fmt"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kinesis"
	"github.com/aws/aws-sdk-go-v2/service/kinesis/types"

	"github.com/kinspect/kinspect/kinesisx/local"
)

// TestUpdateShardCountTotalsAsAWS scales streams as AWS was seen to and
// counts every shard ListShards then lists, open and closed: AWS's
// uniform scaling splits every open shard and merges pairs down to the
// target (scaling up), or merges pairs (scaling down). The totals were
// recorded against AWS (issue 13).
func TestUpdateShardCountTotalsAsAWS(t *testing.T) {
	k := newClient(t, startLocal(t, local.Options{}))
	ctx := ctxT(t)
	for _, tc := range []struct{ from, to, total int32 }{
		{2, 4, 6}, {4, 5, 15}, {10, 13, 37}, {4, 2, 6}, {5, 3, 7},
	} {
		t.Run(fmt.Sprintf("%d-to-%d", tc.from, tc.to), func(t *testing.T) {
			name, _ := createStream(t, k, tc.from)
			if _, err := k.UpdateShardCount(ctx, &kinesis.UpdateShardCountInput{StreamName: aws.String(name), TargetShardCount: aws.Int32(tc.to), ScalingType: types.ScalingTypeUniformScaling}); err != nil {
				t.Fatalf("UpdateShardCount: %v", err)
			}
			waitActive(t, k, name)
			shards := listShards(t, k, name)
			if int32(len(shards)) != tc.total {
				t.Errorf("%d shards in all after %d → %d, AWS has %d", len(shards), tc.from, tc.to, tc.total)
			}
			checkLineage(t, shards, int(tc.to))
		})
	}
}
