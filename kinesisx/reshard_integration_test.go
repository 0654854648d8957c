package kinesisx_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/kinspect/kinspect/internal/testenv"
	"github.com/kinspect/kinspect/kinesisx"
)

// Split, merge and scale, each verified through ListShards: the parents
// closed, the children's ranges, and each child's parents.
func TestReshardIntegration(t *testing.T) {
	for _, b := range writeBackends() {
		t.Run(b.name, func(t *testing.T) {
			sdk := testenv.KinesisClient(t, b.url(t))
			stream := testenv.StreamName(t)
			testenv.CreateStream(t, sdk, stream, 1)
			c := kinesisx.New(sdk)
			ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
			defer cancel()
			shards, err := c.ListShards(ctx, stream)
			if err != nil {
				t.Fatal(err)
			}
			parent := shards[0]
			at := kinesisx.MidpointKey(parent.HashRange)
			if err := c.Split(ctx, stream, parent.ID, at); err != nil {
				t.Fatal(err)
			}
			var statuses []string
			if err := c.WaitActive(ctx, stream, func(s string) { statuses = append(statuses, s) }); err != nil {
				t.Fatal(err)
			}
			if statuses[len(statuses)-1] != "ACTIVE" {
				t.Errorf("progress %v", statuses)
			}
			shards, err = c.ListShards(ctx, stream)
			if err != nil {
				t.Fatal(err)
			}
			if p, _ := kinesisx.FindShard(shards, parent.ID); p.Open {
				t.Fatalf("parent %s still open", parent.ID)
			}
			var children []kinesisx.Shard
			for _, s := range shards {
				if s.ParentID == parent.ID {
					children = append(children, s)
				}
			}
			if len(children) != 2 || children[0].HashRange.Start != parent.HashRange.Start || children[0].HashRange.End != at.Dec() ||
				children[1].HashRange.Start != at || children[1].HashRange.End != parent.HashRange.End {
				t.Fatalf("children %+v", children)
			}

			// The parent is closed: a second split is refused before sending.
			if err := c.Split(ctx, stream, parent.ID, at); err == nil || !strings.Contains(err.Error(), "closed") {
				t.Errorf("split of a closed shard: %v", err)
			}

			// Merge the children back (given in reverse order).
			if err := c.Merge(ctx, stream, children[1].ID, children[0].ID); err != nil {
				t.Fatal(err)
			}
			if err := c.WaitActive(ctx, stream, nil); err != nil {
				t.Fatal(err)
			}
			shards, _ = c.ListShards(ctx, stream)
			var merged []kinesisx.Shard
			for _, s := range shards {
				if s.Open {
					merged = append(merged, s)
				}
			}
			if len(merged) != 1 || merged[0].ParentID != children[0].ID || merged[0].AdjacentParentID != children[1].ID || merged[0].HashRange != parent.HashRange {
				t.Fatalf("after merge, open shards %+v", merged)
			}

			// Scale 1 -> 2 (double), then refuse 2 -> 5.
			if err := c.Scale(ctx, stream, 2); err != nil {
				t.Fatal(err)
			}
			if err := c.WaitActive(ctx, stream, nil); err != nil {
				t.Fatal(err)
			}
			shards, _ = c.ListShards(ctx, stream)
			open := 0
			for _, s := range shards {
				if s.Open {
					open++
				}
			}
			if open != 2 {
				t.Errorf("after scale to 2: %d open shards", open)
			}
			if err := c.Scale(ctx, stream, 5); err == nil || !strings.Contains(err.Error(), "between half and double") {
				t.Errorf("scale 2 -> 5: %v", err)
			}
		})
	}
}
