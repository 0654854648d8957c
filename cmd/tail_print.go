package cmd

import (
	"bufio"
	"encoding/json"
	"fmt"
	"time"

	"github.com/kinspect/kinspect/kinesisx"
	"github.com/kinspect/kinspect/kinesisx/payload"
)

// recordJSON is one line of `tail -o json` (DESIGN.md §8).
type recordJSON struct {
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

// recordPrinter writes records in one of tail's formats.
type recordPrinter struct {
	w      *bufio.Writer
	format string
	enc    *json.Encoder
}

func newRecordPrinter(w *bufio.Writer, format string) *recordPrinter {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	return &recordPrinter{w: w, format: format, enc: enc}
}

func (p *recordPrinter) print(r kinesisx.Record) error {
	switch p.format {
	case "json":
		return p.enc.Encode(toRecordJSON(r))
	case "raw":
		if _, err := p.w.Write(r.Data); err != nil {
			return err
		}
		return p.w.WriteByte('\n')
	}
	seq := r.SequenceNumber
	if r.Aggregated {
		seq = fmt.Sprintf("%s:%d", seq, r.SubSequence)
	}
	_, err := fmt.Fprintf(p.w, "%s  %s  %s  key=%s  %s\n",
		r.ArrivedAt.UTC().Format("15:04:05.000"), r.ShardID, seq, r.PartitionKey, payload.Preview(r.Data, 120))
	return err
}

func (p *recordPrinter) flush() error { return p.w.Flush() }

func toRecordJSON(r kinesisx.Record) recordJSON {
	data, enc := payload.JSONString(r.Data)
	out := recordJSON{
		Stream: r.Stream, Shard: r.ShardID, Sequence: r.SequenceNumber, PartitionKey: r.PartitionKey,
		ExplicitHashKey: r.ExplicitHashKey, Arrival: r.ArrivedAt.UTC().Format(time.RFC3339Nano),
		Data: data, Encoding: enc, Aggregated: r.Aggregated,
	}
	if r.Aggregated {
		sub := r.SubSequence
		out.SubSequence = &sub
	}
	return out
}
