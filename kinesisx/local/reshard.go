package local

import (
	"github.com/kinspect/kinspect/kinesisx/hashkey"
)

type splitShardInput struct {
	streamRef
	ShardToSplit       string `json:"ShardToSplit"`
	NewStartingHashKey string `json:"NewStartingHashKey"`
}

func (s *Server) splitShard(c *call) (any, error) {
	var in splitShardInput
	if err := c.decode(&in); err != nil {
		return nil, err
	}
	x, err := hashkey.Parse(in.NewStartingHashKey)
	if err != nil {
		return nil, errValidation("1 validation error detected: Value %q at 'newStartingHashKey' failed to satisfy constraint: Member must satisfy regular expression pattern: 0|([1-9]\\d{0,38})", in.NewStartingHashKey)
	}
	st, err := s.streamOf(c, in)
	if err != nil {
		return nil, err
	}
	return struct{}{}, st.split(in.ShardToSplit, x, in.NewStartingHashKey, c.now)
}

type mergeShardsInput struct {
	streamRef
	ShardToMerge         string `json:"ShardToMerge"`
	AdjacentShardToMerge string `json:"AdjacentShardToMerge"`
}

func (s *Server) mergeShards(c *call) (any, error) {
	var in mergeShardsInput
	if err := c.decode(&in); err != nil {
		return nil, err
	}
	st, err := s.streamOf(c, in)
	if err != nil {
		return nil, err
	}
	return struct{}{}, st.merge(in.ShardToMerge, in.AdjacentShardToMerge, c.now)
}

type updateShardCountInput struct {
	streamRef
	TargetShardCount *int   `json:"TargetShardCount"`
	ScalingType      string `json:"ScalingType"`
}

func (s *Server) updateShardCount(c *call) (any, error) {
	var in updateShardCountInput
	if err := c.decode(&in); err != nil {
		return nil, err
	}
	if in.ScalingType != "UNIFORM_SCALING" {
		return nil, errValidation("1 validation error detected: Value %q at 'scalingType' failed to satisfy constraint: Member must satisfy enum value set: [UNIFORM_SCALING]", in.ScalingType)
	}
	if in.TargetShardCount == nil || *in.TargetShardCount < 1 || *in.TargetShardCount > maxShardsPerStream {
		return nil, errValidation("1 validation error detected: Value at 'targetShardCount' failed to satisfy constraint: Member must have value between 1 and %d", maxShardsPerStream)
	}
	target := *in.TargetShardCount
	st, err := s.streamOf(c, in)
	if err != nil {
		return nil, err
	}
	current, err := s.store.scale(st, target, c.now)
	if err != nil {
		return nil, err
	}
	return map[string]any{"StreamName": st.name, "StreamARN": st.arn, "CurrentShardCount": current, "TargetShardCount": target}, nil
}
