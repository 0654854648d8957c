package kinesisx

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kinesis"
	"github.com/aws/aws-sdk-go-v2/service/kinesis/types"

	"github.com/kinspect/kinspect/kinesisx/hashkey"
)

// ReshardPlan is a checked reshard: the stream and its shards as they were
// when it was planned, what will be sent, and the equivalent AWS CLI
// command for confirmation prompts.
type ReshardPlan struct {
	Stream  Stream
	Shards  []Shard // every shard within retention, by hash range
	Command string  // the equivalent `aws kinesis ...` command

	// Split: the shard and the new starting hash key.
	ShardID string
	At      hashkey.Key
	// Merge: ShardID (the lower range) and Adjacent (the upper).
	Adjacent string
	// Scale: the open shard count now and the target.
	OpenShards, Target int
}

// Split splits an open shard at a hash key: keys from at upward go to one
// child, lower keys to the other. It checks everything first (see
// PlanSplit), then calls SplitShard; the stream is UPDATING until the
// split completes (see WaitActive).
func (c *Client) Split(ctx context.Context, stream, shardID string, at hashkey.Key) error {
	p, err := c.PlanSplit(ctx, stream, shardID, at)
	if err != nil {
		return err
	}
	_, err = c.api.SplitShard(ctx, &kinesis.SplitShardInput{
		StreamName:         aws.String(stream),
		ShardToSplit:       aws.String(p.ShardID),
		NewStartingHashKey: aws.String(p.At.String()),
	})
	if err != nil {
		return fmt.Errorf("split %s at %s: %w", shardID, at, err)
	}
	return nil
}

// PlanSplit checks a split without making it: the guard, a PROVISIONED and
// ACTIVE stream, an open shard, and S+1 < at < E.
func (c *Client) PlanSplit(ctx context.Context, stream, shardID string, at hashkey.Key) (ReshardPlan, error) {
	p, err := c.planReshard(ctx, ActionSplit, stream)
	if err != nil {
		return p, err
	}
	sh, err := openShard(p, shardID, "split")
	if err != nil {
		return p, err
	}
	if err := ValidSplitKey(sh.HashRange, at); err != nil {
		return p, fmt.Errorf("cannot split %s [%s, %s]: %w", shardID, sh.HashRange.Start, sh.HashRange.End, err)
	}
	p.ShardID, p.At = shardID, at
	p.Command = SplitCommand(stream, shardID, at)
	return p, nil
}

// Merge merges two adjacent open shards into one. The order of a and b
// does not matter: the shard with the lower range is sent as ShardToMerge.
func (c *Client) Merge(ctx context.Context, stream, a, b string) error {
	p, err := c.PlanMerge(ctx, stream, a, b)
	if err != nil {
		return err
	}
	_, err = c.api.MergeShards(ctx, &kinesis.MergeShardsInput{
		StreamName:           aws.String(stream),
		ShardToMerge:         aws.String(p.ShardID),
		AdjacentShardToMerge: aws.String(p.Adjacent),
	})
	if err != nil {
		return fmt.Errorf("merge %s and %s: %w", p.ShardID, p.Adjacent, err)
	}
	return nil
}

// PlanMerge checks a merge without making it. When the shards are not
// adjacent, the error names the open shards that are adjacent to a.
func (c *Client) PlanMerge(ctx context.Context, stream, a, b string) (ReshardPlan, error) {
	p, err := c.planReshard(ctx, ActionMerge, stream)
	if err != nil {
		return p, err
	}
	if a == b {
		return p, fmt.Errorf("cannot merge %s with itself: name two adjacent open shards", a)
	}
	sa, err := openShard(p, a, "merge")
	if err != nil {
		return p, err
	}
	sb, err := openShard(p, b, "merge")
	if err != nil {
		return p, err
	}
	switch {
	case sa.HashRange.End.Inc() == sb.HashRange.Start:
		p.ShardID, p.Adjacent = a, b
	case sb.HashRange.End.Inc() == sa.HashRange.Start:
		p.ShardID, p.Adjacent = b, a
	default:
		adj := AdjacentOpen(p.Shards, a)
		if len(adj) == 0 {
			return p, fmt.Errorf("cannot merge %s and %s: they are not adjacent, and %s has no adjacent open shard", a, b, a)
		}
		return p, fmt.Errorf("cannot merge %s and %s: they are not adjacent; open shards adjacent to %s: %s", a, b, a, joinIDs(adj))
	}
	p.Command = MergeCommand(stream, p.ShardID, p.Adjacent)
	return p, nil
}

// Scale sets the open shard count with UpdateShardCount (UNIFORM_SCALING).
// The target must lie between half and double the open count, as the
// service requires.
func (c *Client) Scale(ctx context.Context, stream string, target int) error {
	if _, err := c.PlanScale(ctx, stream, target); err != nil {
		return err
	}
	_, err := c.api.UpdateShardCount(ctx, &kinesis.UpdateShardCountInput{
		StreamName:       aws.String(stream),
		TargetShardCount: aws.Int32(int32(target)),
		ScalingType:      types.ScalingTypeUniformScaling,
	})
	if err != nil {
		return fmt.Errorf("scale %s to %d shards: %w", stream, target, err)
	}
	return nil
}

// PlanScale checks a scale without making it.
func (c *Client) PlanScale(ctx context.Context, stream string, target int) (ReshardPlan, error) {
	p, err := c.planReshard(ctx, ActionScale, stream)
	if err != nil {
		return p, err
	}
	open := 0
	for _, s := range p.Shards {
		if s.Open {
			open++
		}
	}
	p.OpenShards, p.Target = open, target
	lo, hi := (open+1)/2, 2*open
	switch {
	case target < 1:
		return p, fmt.Errorf("cannot scale %s to %d shards: the count must be at least 1", stream, target)
	case target == open:
		return p, fmt.Errorf("stream %s already has %d open shards", stream, open)
	case target < lo || target > hi:
		return p, fmt.Errorf("cannot scale %s from %d to %d shards: UpdateShardCount goes to between half and double the open count (%d to %d); scale in steps", stream, open, target, lo, hi)
	case target > 10000:
		return p, fmt.Errorf("cannot scale %s to %d shards: UpdateShardCount stops at 10000", stream, target)
	}
	p.Command = ScaleCommand(stream, target)
	return p, nil
}

// planReshard does the checks common to split, merge and scale: the guard,
// then a PROVISIONED stream in ACTIVE state, and lists its shards.
func (c *Client) planReshard(ctx context.Context, a Action, stream string) (ReshardPlan, error) {
	var p ReshardPlan
	if err := c.guard.Allow(a); err != nil {
		return p, err
	}
	st, err := c.DescribeStream(ctx, stream)
	if err != nil {
		return p, fmt.Errorf("%s: %w", a, err)
	}
	p.Stream = st
	if st.Mode == string(types.StreamModeOnDemand) {
		return p, fmt.Errorf("cannot %s: stream %s is ON_DEMAND, which Kinesis reshards itself; split, merge and scale work on PROVISIONED streams only", a, stream)
	}
	if st.Status != string(types.StreamStatusActive) {
		return p, fmt.Errorf("cannot %s: stream %s is %s, not ACTIVE (one reshard at a time); wait and try again", a, stream, st.Status)
	}
	p.Shards, err = c.ListShards(ctx, stream)
	if err != nil {
		return p, fmt.Errorf("%s: %w", a, err)
	}
	return p, nil
}

// openShard finds a shard of the plan and checks that it is open.
func openShard(p ReshardPlan, id, verb string) (Shard, error) {
	sh, ok := FindShard(p.Shards, id)
	if !ok {
		return sh, fmt.Errorf("cannot %s %s: stream %s has no such shard (open shards: %s)", verb, id, p.Stream.Name, openIDs(p.Shards))
	}
	if !sh.Open {
		return sh, fmt.Errorf("cannot %s %s: the shard is closed (it was split or merged already); open shards: %s", verb, id, openIDs(p.Shards))
	}
	return sh, nil
}

func joinIDs(ids []string) string {
	out := ""
	for i, id := range ids {
		if i > 0 {
			out += ", "
		}
		out += id
	}
	return out
}
