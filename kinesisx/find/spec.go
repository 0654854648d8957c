package find

import (
	"errors"
	"fmt"
	"regexp"
	"time"

	"github.com/kinspect/kinspect/kinesisx"
)

// DefaultFrom is where a search starts when no start is given.
const DefaultFrom = "-15m"

// Spec is a search as a user writes it: the CLI's flags, the TUI's words.
// Query checks it and turns it into a Query and where the tail starts.
type Spec struct {
	// From starts the window: trim-horizon, an RFC 3339 time or a
	// duration ago; "" is DefaultFrom.
	From string
	// Until ends the window: an RFC 3339 time or a duration ago; "" is
	// now.
	Until string
	// Key and Seq match a partition key and a sequence number exactly;
	// Grep is a regular expression looked for in payloads.
	Key, Seq, Grep string
	// Context and Max are Query's.
	Context, Max int
}

// Query checks the spec and returns the search and the tail's start. A
// sequence number without From starts at that record; its Max is 1 unless
// given. name turns a field ("from", "until", "seq", "grep") into how the
// user wrote it ("--from", "since:") for the error, which is one line.
func (sp Spec) Query(now time.Time, name func(field string) string) (Query, kinesisx.StartPosition, error) {
	q := Query{Key: sp.Key, Context: sp.Context, Max: sp.Max, Until: now}
	fromText := sp.From
	if fromText == "" {
		fromText = DefaultFrom
	}
	from, err := kinesisx.ParseStartPosition(fromText, now)
	// A find reads a window from a time: the tail's other start positions
	// (latest, at:SEQ) are not offered, even when the text is not one at all.
	if errors.Is(err, kinesisx.ErrBadPosition) || err == nil && from.Type != kinesisx.PositionTrimHorizon && from.Type != kinesisx.PositionAtTimestamp {
		return q, from, fmt.Errorf("%s %s: want trim-horizon, an RFC 3339 time or a duration ago such as -1h", name("from"), fromText)
	}
	if err != nil {
		return q, from, fmt.Errorf("%s: %v", name("from"), err)
	}
	if from.Type == kinesisx.PositionAtTimestamp {
		q.From = from.Timestamp
	}
	if sp.Until != "" {
		if q.Until, err = ParseUntil(sp.Until, fromText, from, now, name); err != nil {
			return q, from, err
		}
	}
	if sp.Seq != "" {
		if _, err := kinesisx.ParseStartPosition("at:"+sp.Seq, now); err != nil {
			return q, from, fmt.Errorf("%s: %q is not a sequence number", name("seq"), sp.Seq)
		}
		q.Sequence = sp.Seq
		if q.Max == 0 {
			q.Max = 1 // a sequence number is one record
		}
		if sp.From == "" {
			from, q.From = kinesisx.StartPosition{Type: kinesisx.PositionAtSequence, Sequence: sp.Seq}, time.Time{}
		}
	}
	if sp.Grep != "" {
		re, err := regexp.Compile(sp.Grep)
		if err != nil {
			return q, from, fmt.Errorf("%s: %v", name("grep"), err)
		}
		q.Pattern = re
	}
	return q, from, nil
}

// ParseUntil reads the end of a window (an RFC 3339 time or a duration
// ago), which must come after from (written fromText); name is Query's.
func ParseUntil(until, fromText string, from kinesisx.StartPosition, now time.Time, name func(string) string) (time.Time, error) {
	u, err := kinesisx.ParseStartPosition(until, now)
	if err != nil || u.Type != kinesisx.PositionAtTimestamp {
		return time.Time{}, fmt.Errorf("%s %s: want an RFC 3339 time or a duration ago such as -5m", name("until"), until)
	}
	if from.Type == kinesisx.PositionAtTimestamp && !u.Timestamp.After(from.Timestamp) {
		return time.Time{}, fmt.Errorf("%s %s is not after %s %s", name("until"), until, name("from"), fromText)
	}
	return u.Timestamp, nil
}
