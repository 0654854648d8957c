package cmd

import (
	"bufio"
	"encoding/json"
	"fmt"

	"github.com/kinspect/kinspect/kinesisx"
	"github.com/kinspect/kinspect/kinesisx/find"
	"github.com/kinspect/kinspect/kinesisx/payload"
	"github.com/kinspect/kinspect/kinesisx/protodec"
)

// recordPrinter writes records in one of tail's formats.
type recordPrinter struct {
	w      *bufio.Writer
	format string
	enc    *json.Encoder
	proto  *protodec.Decoder // nil: payloads as they are
}

func newRecordPrinter(w *bufio.Writer, format string, proto *protodec.Decoder) *recordPrinter {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	return &recordPrinter{w: w, format: format, enc: enc, proto: proto}
}

// recordOut is a line of -o json: tail's object (DESIGN.md §8), with
// --proto-message the payload decoded (or why it could not be), and for
// find whether the record matched or is context.
type recordOut struct {
	kinesisx.RecordJSON
	Decoded     json.RawMessage `json:"decoded,omitempty"`
	DecodeError string          `json:"decodeError,omitempty"`
	Match       *bool           `json:"match,omitempty"`
}

func (p *recordPrinter) print(r kinesisx.Record) error { return p.write(r, nil) }

func (p *recordPrinter) write(r kinesisx.Record, match *bool) error {
	var decoded []byte
	var decodeErr error
	if p.proto != nil {
		decoded, decodeErr = p.proto.JSON(r.Data)
	}
	switch p.format {
	case "json":
		out := recordOut{RecordJSON: r.JSON(), Decoded: decoded, Match: match}
		if decodeErr != nil {
			out.DecodeError = decodeErr.Error()
		}
		return p.enc.Encode(out)
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
	preview := payload.Preview(r.Data, 120)
	if decoded != nil {
		preview = payload.Preview(decoded, 120)
	}
	_, err := fmt.Fprintf(p.w, "%s  %s  %s  key=%s  %s\n",
		r.ArrivedAt.UTC().Format("15:04:05.000"), r.ShardID, seq, r.PartitionKey, preview)
	return err
}

func (p *recordPrinter) flush() error { return p.w.Flush() }

// printFound writes a find result: in JSON with "match"; in text, with
// marks (context asked for), a match starts with "> " and context with two
// spaces.
func (p *recordPrinter) printFound(l find.Line, marks bool) error {
	if p.format == "json" {
		return p.write(l.Record, &l.Match)
	}
	if marks {
		prefix := "  "
		if l.Match {
			prefix = "> "
		}
		if _, err := p.w.WriteString(prefix); err != nil {
			return err
		}
	}
	return p.print(l.Record)
}
