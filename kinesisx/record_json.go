package kinesisx

import (
	"time"

	"github.com/kinspect/kinspect/kinesisx/payload"
)

// RecordJSON is a record in the line format of `kinspect tail -o json` and
// of the TUI's JSONL export (DESIGN.md §8): the payload as a string when it
// is valid UTF-8, else base64, with Encoding saying which; SubSequence only
// for KPL sub-records.
type RecordJSON struct {
	Stream          string `json:"stream"`
	Shard           string `json:"shard"`
	Sequence        string `json:"sequence"`
	SubSequence     *int   `json:"subsequence,omitempty"`
	PartitionKey    string `json:"partitionKey"`
	ExplicitHashKey string `json:"explicitHashKey,omitempty"`
	Arrival         string `json:"arrival"`
	Data            string `json:"data"`
	Encoding        string `json:"encoding"`
	Aggregated      bool   `json:"aggregated"`
}

// JSON returns the record in the line format of `tail -o json`.
func (r Record) JSON() RecordJSON {
	j := RecordJSON{
		Stream: r.Stream, Shard: r.ShardID, Sequence: r.SequenceNumber,
		PartitionKey: r.PartitionKey, ExplicitHashKey: r.ExplicitHashKey,
		Arrival: r.ArrivedAt.UTC().Format(time.RFC3339Nano), Aggregated: r.Aggregated,
	}
	if r.Aggregated {
		sub := r.SubSequence
		j.SubSequence = &sub
	}
	j.Data, j.Encoding = payload.JSONString(r.Data)
	return j
}
