package kinesisx

import (
	"errors"
	"fmt"
	"regexp"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kinesis/types"
)

// PositionType is where a tail starts reading a shard.
type PositionType int

// The start positions of Kinesis iterators.
const (
	PositionLatest PositionType = iota
	PositionTrimHorizon
	PositionAtTimestamp
	PositionAtSequence
	PositionAfterSequence
)

// StartPosition says where a tail starts. Timestamp is set for
// PositionAtTimestamp, Sequence for the sequence positions.
type StartPosition struct {
	Type      PositionType
	Timestamp time.Time
	Sequence  string
}

// ErrBadPosition is wrapped by ParseStartPosition's errors.
var ErrBadPosition = errors.New("bad start position")

var seqPattern = regexp.MustCompile(`^(0|[1-9][0-9]{0,128})$`)

// ParseStartPosition reads the --from syntax: latest, trim-horizon, an RFC
// 3339 time, a negative duration relative to now (-15m, -2h30m), at:SEQ or
// after:SEQ. A time in the future is refused.
func ParseStartPosition(s string, now time.Time) (StartPosition, error) {
	s = strings.TrimSpace(s)
	switch strings.ToLower(s) {
	case "", "latest", "now":
		return StartPosition{Type: PositionLatest}, nil
	case "trim-horizon", "trim_horizon", "oldest", "beginning":
		return StartPosition{Type: PositionTrimHorizon}, nil
	}
	if rest, ok := cutPrefixFold(s, "at:"); ok {
		if !seqPattern.MatchString(rest) {
			return StartPosition{}, fmt.Errorf("%w: %q is not a sequence number", ErrBadPosition, rest)
		}
		return StartPosition{Type: PositionAtSequence, Sequence: rest}, nil
	}
	if rest, ok := cutPrefixFold(s, "after:"); ok {
		if !seqPattern.MatchString(rest) {
			return StartPosition{}, fmt.Errorf("%w: %q is not a sequence number", ErrBadPosition, rest)
		}
		return StartPosition{Type: PositionAfterSequence, Sequence: rest}, nil
	}
	if strings.HasPrefix(s, "-") {
		d, err := time.ParseDuration(s[1:])
		if err != nil || d <= 0 {
			return StartPosition{}, fmt.Errorf("%w: %q: want a duration such as -15m or -2h", ErrBadPosition, s)
		}
		return StartPosition{Type: PositionAtTimestamp, Timestamp: now.Add(-d)}, nil
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return StartPosition{}, fmt.Errorf("%w: %q: want latest, trim-horizon, an RFC 3339 time, -15m, at:SEQ or after:SEQ", ErrBadPosition, s)
	}
	if t.After(now) {
		return StartPosition{}, fmt.Errorf("%w: %s is in the future", ErrBadPosition, t.Format(time.RFC3339))
	}
	return StartPosition{Type: PositionAtTimestamp, Timestamp: t}, nil
}

func cutPrefixFold(s, prefix string) (string, bool) {
	if len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix) {
		return s[len(prefix):], true
	}
	return "", false
}

// String spells the position as --from takes it.
func (p StartPosition) String() string {
	switch p.Type {
	case PositionTrimHorizon:
		return "trim-horizon"
	case PositionAtTimestamp:
		return p.Timestamp.Format(time.RFC3339)
	case PositionAtSequence:
		return "at:" + p.Sequence
	case PositionAfterSequence:
		return "after:" + p.Sequence
	}
	return "latest"
}

// iteratorType maps a position to the API's iterator type.
func (p StartPosition) iteratorType() types.ShardIteratorType {
	switch p.Type {
	case PositionTrimHorizon:
		return types.ShardIteratorTypeTrimHorizon
	case PositionAtTimestamp:
		return types.ShardIteratorTypeAtTimestamp
	case PositionAtSequence:
		return types.ShardIteratorTypeAtSequenceNumber
	case PositionAfterSequence:
		return types.ShardIteratorTypeAfterSequenceNumber
	}
	return types.ShardIteratorTypeLatest
}

// efoPosition maps a position to SubscribeToShard's StartingPosition.
func (p StartPosition) efoPosition() *types.StartingPosition {
	sp := &types.StartingPosition{}
	switch p.Type {
	case PositionTrimHorizon:
		sp.Type = types.ShardIteratorTypeTrimHorizon
	case PositionAtTimestamp:
		sp.Type = types.ShardIteratorTypeAtTimestamp
		sp.Timestamp = aws.Time(p.Timestamp)
	case PositionAtSequence:
		sp.Type = types.ShardIteratorTypeAtSequenceNumber
		sp.SequenceNumber = aws.String(p.Sequence)
	case PositionAfterSequence:
		sp.Type = types.ShardIteratorTypeAfterSequenceNumber
		sp.SequenceNumber = aws.String(p.Sequence)
	default:
		sp.Type = types.ShardIteratorTypeLatest
	}
	return sp
}

// CompareSequence compares two sequence numbers as the unsigned integers
// they are (decimal strings without leading zeros): by length, then by
// digits. It returns -1, 0 or +1.
func CompareSequence(a, b string) int {
	switch {
	case len(a) < len(b):
		return -1
	case len(a) > len(b):
		return 1
	}
	return strings.Compare(a, b)
}
