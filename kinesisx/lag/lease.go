package lag

import (
	"strconv"
	"strings"

	ddbtypes "github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
)

// The KCL lease attributes kinspect reads (see the package comment).
const (
	attrLeaseKey      = "leaseKey"
	attrLeaseOwner    = "leaseOwner"
	attrLeaseCounter  = "leaseCounter"
	attrOwnerSwitches = "ownerSwitchesSinceCheckpoint"
	attrCheckpoint    = "checkpoint"
	attrParents       = "parentShardId"
	attrStreamID      = "streamName" // multi-stream: "account:stream:creationEpoch"
	attrShardID       = "shardId"    // multi-stream: the shard of the lease
)

// The checkpoint sentinels of the KCL (SentinelCheckpoint).
const (
	CheckpointTrimHorizon = "TRIM_HORIZON"
	CheckpointLatest      = "LATEST"
	CheckpointAtTimestamp = "AT_TIMESTAMP"
	CheckpointShardEnd    = "SHARD_END"
)

// Lease is one row of a KCL lease table.
type Lease struct {
	Key           string // leaseKey as stored
	ShardID       string
	StreamID      string // multi-stream tables: "account:stream:creationEpoch"; empty otherwise
	Owner         string
	Counter       int64
	OwnerSwitches int64
	Checkpoint    string
	Parents       []string
}

// IsSequence reports whether the checkpoint is a sequence number rather
// than a sentinel.
func (l Lease) IsSequence() bool { return IsSequenceNumber(l.Checkpoint) }

// IsSequenceNumber reports whether a checkpoint is a sequence number (a
// decimal number) rather than a sentinel.
func IsSequenceNumber(c string) bool {
	if c == "" {
		return false
	}
	for i := 0; i < len(c); i++ {
		if c[i] < '0' || c[i] > '9' {
			return false
		}
	}
	return true
}

// Ended reports whether the lease's shard was processed to its end.
func (l Lease) Ended() bool { return l.Checkpoint == CheckpointShardEnd }

// parseLease reads one item; ok is false when it has no leaseKey.
func parseLease(item map[string]ddbtypes.AttributeValue) (Lease, bool) {
	key := str(item[attrLeaseKey])
	if key == "" {
		return Lease{}, false
	}
	l := Lease{
		Key:           key,
		ShardID:       key,
		Owner:         str(item[attrLeaseOwner]),
		Counter:       num(item[attrLeaseCounter]),
		OwnerSwitches: num(item[attrOwnerSwitches]),
		Checkpoint:    str(item[attrCheckpoint]),
		Parents:       strSet(item[attrParents]),
	}
	if id, shard, ok := splitMultiStreamKey(key); ok {
		l.StreamID, l.ShardID = id, shard
	}
	if s := str(item[attrStreamID]); s != "" {
		l.StreamID = s
	}
	if s := str(item[attrShardID]); s != "" && l.StreamID != "" {
		l.ShardID = s
	}
	return l, true
}

// splitMultiStreamKey splits a multi-stream lease key,
// "account:stream:creationEpoch:shardId" (MultiStreamLease.getLeaseKey:
// the serialised StreamIdentifier, a colon, the shard ID).
func splitMultiStreamKey(key string) (streamID, shardID string, ok bool) {
	i := strings.LastIndexByte(key, ':')
	if i < 0 {
		return "", "", false
	}
	streamID, shardID = key[:i], key[i+1:]
	if _, _, _, ok := ParseStreamID(streamID); !ok {
		return "", "", false
	}
	return streamID, shardID, true
}

// ParseStreamID splits a KCL multi-stream identifier,
// "account:stream:creationEpoch".
func ParseStreamID(id string) (account, stream string, epoch int64, ok bool) {
	parts := strings.Split(id, ":")
	if len(parts) != 3 || parts[1] == "" {
		return "", "", 0, false
	}
	e, err := strconv.ParseInt(parts[2], 10, 64)
	if err != nil {
		return "", "", 0, false
	}
	return parts[0], parts[1], e, true
}

func str(v ddbtypes.AttributeValue) string {
	if s, ok := v.(*ddbtypes.AttributeValueMemberS); ok {
		return s.Value
	}
	return ""
}

func num(v ddbtypes.AttributeValue) int64 {
	if n, ok := v.(*ddbtypes.AttributeValueMemberN); ok {
		i, _ := strconv.ParseInt(n.Value, 10, 64)
		return i
	}
	return 0
}

// strSet reads a string set; a plain string (some ports write one parent
// so) counts as a set of one.
func strSet(v ddbtypes.AttributeValue) []string {
	switch s := v.(type) {
	case *ddbtypes.AttributeValueMemberSS:
		return append([]string(nil), s.Value...)
	case *ddbtypes.AttributeValueMemberS:
		if s.Value != "" {
			return []string{s.Value}
		}
	}
	return nil
}
