package tail

import (
	"fmt"
	"strings"
	"time"

	"github.com/charmbracelet/x/ansi"

	"github.com/kinspect/kinspect/kinesisx"
	"github.com/kinspect/kinspect/kinesisx/payload"
	"github.com/kinspect/kinspect/ui/cell"
	"github.com/kinspect/kinspect/ui/theme"
)

// detail is a record's detail pane laid out at a width. It is built once
// per record and view; each frame paints only the lines on screen, so
// colouring a large JSON payload costs what is visible, not its size.
type detail struct {
	id    string // the record (shard, sequence, sub-record)
	width int
	raw   rawMode
	loc   *time.Location
	lines []detLine
	// logical are the JSON lines before wrapping; classes their tokens,
	// found the first time one of their pieces is on screen.
	logical []string
	classes map[int][]jsonClass
}

// detLine is one line of the pane: metadata or a piece of the payload.
// A piece of a JSON line has lg >= 0, its logical line, and off, the byte
// offset of the piece in it.
type detLine struct {
	text    string
	lg, off int
}

// recordID tells records apart when the buffer reuses its slots.
func recordID(r *kinesisx.Record) string {
	return fmt.Sprintf("%s/%s/%d", r.ShardID, r.SequenceNumber, r.SubSequence)
}

// buildDetail lays a record out: metadata, then the payload as raw asks,
// wrapped to width.
func buildDetail(st theme.Styles, r *kinesisx.Record, dec Decoder, width int, raw rawMode, loc *time.Location) *detail {
	d := &detail{id: recordID(r), width: width, raw: raw, loc: loc, classes: map[int][]jsonClass{}}
	field := func(k, v string) {
		d.lines = append(d.lines, detLine{text: st.Muted.Render(fmt.Sprintf("%-11s", k)) + v, lg: -1})
	}
	field("shard", r.ShardID)
	field("sequence", r.SequenceNumber)
	field("key", sanitize(r.PartitionKey))
	if r.ExplicitHashKey != "" {
		field("hash key", r.ExplicitHashKey)
	}
	if r.Aggregated {
		field("KPL", fmt.Sprintf("sub-record %d of an aggregated record", r.SubSequence))
	}
	field("arrived", r.ArrivedAt.In(loc).Format("2006-01-02 15:04:05.000 MST"))
	if !r.ReceivedAt.IsZero() {
		field("latency", r.ReceivedAt.Sub(r.ArrivedAt).Round(time.Millisecond).String())
	}
	field("size", fmt.Sprintf("%d bytes", len(r.Data)))
	d.lines = append(d.lines, detLine{lg: -1})
	body, json := detailBody(r.Data, dec, raw)
	inJSON := false
	for _, l := range strings.Split(strings.ReplaceAll(body, "\t", "    "), "\n") {
		inJSON = inJSON || json && (strings.HasPrefix(l, "{") || strings.HasPrefix(l, "["))
		pieces := strings.Split(ansi.Hardwrap(l, max(width, 1), true), "\n")
		lg := -1
		if inJSON && strings.Join(pieces, "") == l { // wrapping only cut the line
			lg = len(d.logical)
			d.logical = append(d.logical, l)
		}
		off := 0
		for _, p := range pieces {
			d.lines = append(d.lines, detLine{text: p, lg: lg, off: off})
			off += len(p)
		}
	}
	return d
}

// detailBody is the payload's text for a view, and whether it holds a
// JSON document (decoded view of a JSON payload, gzipped or not).
func detailBody(data []byte, dec Decoder, raw rawMode) (string, bool) {
	switch raw {
	case rawText:
		b, more := data[:min(len(data), payload.MaxHexDump)], ""
		if len(b) < len(data) {
			more = fmt.Sprintf("\n(the first %d of %d bytes)", len(b), len(data))
		}
		return fmt.Sprintf("raw, as stored (%d bytes):\n", len(data)) +
			sanitize(strings.ToValidUTF8(string(b), "\uFFFD")) + more, false
	case rawHex:
		b, more := data[:min(len(data), payload.MaxHexDump)], ""
		if len(b) < len(data) {
			more = fmt.Sprintf("\n(the first %d of %d bytes)", len(b), len(data))
		}
		return fmt.Sprintf("hex, as stored (%d bytes):\n", len(data)) + strings.TrimRight(payload.HexDump(b), "\n") + more, false
	}
	return dec.Detail(data), isJSON(dec, data)
}

// isJSON reports whether the decoded view of data is a JSON document: a
// protobuf decoder's, or the built-in decoder's for JSON (gzipped or not).
func isJSON(dec Decoder, data []byte) bool {
	switch dec.(type) {
	case protoDecoder:
		return true
	case payloadDecoder:
		d := payload.Decode(data)
		for d.Kind == payload.Gzip && d.Inner != nil {
			d = *d.Inner
		}
		return d.Kind == payload.JSON
	}
	return false
}

// view paints n lines from off, each exactly the pane's width.
func (d *detail) view(js theme.JSONInks, off, n int) []string {
	n = max(n, 0)
	off = max(min(off, len(d.lines)-n), 0)
	out := make([]string, 0, n)
	for _, l := range d.lines[off:min(off+n, len(d.lines))] {
		text := l.text
		if l.lg >= 0 {
			cls, ok := d.classes[l.lg]
			if !ok {
				cls = classifyJSON(d.logical[l.lg])
				d.classes[l.lg] = cls
			}
			text = paintJSON(js, text, cls[l.off:l.off+len(text)])
		}
		out = append(out, cell.Fit(text, d.width))
	}
	return out
}

// detailView is the visible part of the selected record's detail pane.
func (m *Model) detailView(width, n int) []string {
	r := m.Selected()
	if r == nil {
		return nil
	}
	loc := m.look.loc()
	if d := m.look.det; d == nil || d.id != recordID(r) || d.width != width || d.raw != m.look.raw || d.loc != loc {
		m.look.det = buildDetail(*m.st, r, m.dec, width, m.look.raw, loc)
	}
	return m.look.det.view(m.st.JSON, m.detailOff, n)
}
