package cmd

import (
	"bufio"
	"encoding/json"
	"fmt"

	"github.com/kinspect/kinspect/kinesisx"
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
