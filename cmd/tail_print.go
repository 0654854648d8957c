package cmd

import (
	"bufio"
	"encoding/json"
	"fmt"

	"github.com/kinspect/kinspect/kinesisx"
	"github.com/kinspect/kinspect/kinesisx/find"
	"github.com/kinspect/kinspect/kinesisx/payload"
)

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
		return p.enc.Encode(r.JSON())
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

// foundJSON is a find result: a tail -o json object and whether it matched
// or is context around a match.
type foundJSON struct {
	kinesisx.RecordJSON
	Match bool `json:"match"`
}

// printFound writes a find result. In text, with marks (context asked
// for), a match starts with "> " and context with two spaces.
func (p *recordPrinter) printFound(l find.Line, marks bool) error {
	if p.format == "json" {
		return p.enc.Encode(foundJSON{RecordJSON: l.Record.JSON(), Match: l.Match})
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
