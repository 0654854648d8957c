package tail

import (
	"fmt"
	"strings"

	"github.com/kinspect/kinspect/kinesisx/payload"
	"github.com/kinspect/kinspect/kinesisx/protodec"
)

// Decoder turns a payload into text for the list and the detail pane. The
// default is kinesisx/payload; tests or a future format (protobuf, avro)
// can pass their own in Deps.
type Decoder interface {
	// Preview is one line of at most width cells.
	Preview(data []byte, width int) string
	// Detail is the whole payload for the detail pane: pretty JSON, text,
	// or a hex dump, with gzip expanded. It is safe for a terminal.
	Detail(data []byte) string
}

// payloadDecoder shows payloads with kinesisx/payload.
type payloadDecoder struct{}

// Preview implements Decoder.
func (payloadDecoder) Preview(data []byte, width int) string { return payload.Preview(data, width) }

// Detail implements Decoder.
func (payloadDecoder) Detail(data []byte) string {
	var b strings.Builder
	writeDecoded(&b, payload.Decode(data))
	return strings.TrimRight(b.String(), "\n")
}

// writeDecoded writes a decoded payload, a gzip layer as a line that says
// what it inflated to, followed by the inner payload.
func writeDecoded(b *strings.Builder, d payload.Decoded) {
	switch d.Kind {
	case payload.Empty:
		b.WriteString("(empty payload)\n")
	case payload.Gzip:
		if d.Inner == nil {
			fmt.Fprintf(b, "gzip, %d bytes, could not be inflated: %v\n", d.Size, d.Err)
			return
		}
		fmt.Fprintf(b, "gzip: %d bytes → %d bytes of %s\n", d.Size, d.Inner.Size, d.Inner.Kind)
		if d.Err != nil {
			fmt.Fprintf(b, "the gzip stream is broken: %v\n", d.Err)
		}
		writeDecoded(b, *d.Inner)
	case payload.Binary:
		fmt.Fprintf(b, "binary, %d bytes:\n%s\n", d.Size, d.Text)
	default:
		if l := d.Logs; l != nil {
			fmt.Fprintf(b, "CloudWatch Logs %s, %d events", l.MessageType, l.Events)
			if l.LogGroup != "" {
				fmt.Fprintf(b, " from %s / %s", l.LogGroup, l.LogStream)
			}
			b.WriteByte('\n')
		}
		b.WriteString(d.Text)
		b.WriteByte('\n')
	}
	if d.Truncated {
		b.WriteString("(truncated for display)\n")
	}
}

// sanitize keeps newlines and turns tabs into spaces and other control
// characters (which could drive the terminal) into a visible placeholder.
// It is for the fields the screen prints itself, such as partition keys.
func sanitize(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r == '\n':
			return r
		case r == '\t':
			return ' '
		case r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0):
			return '·'
		}
		return r
	}, s)
}

// Texter is a Decoder that also gives the text the filter should search,
// when it differs from the payload (protobuf decoded to JSON).
type Texter interface {
	Text(data []byte) ([]byte, error)
}

// ProtoDecoder shows payloads decoded as a protobuf message type (as JSON),
// and a payload that is not one as the built-in decoder does, saying so.
func ProtoDecoder(d *protodec.Decoder) Decoder { return protoDecoder{d} }

type protoDecoder struct{ d *protodec.Decoder }

// Preview implements Decoder.
func (p protoDecoder) Preview(data []byte, width int) string {
	if js, err := p.d.JSON(data); err == nil {
		return payload.Preview(js, width)
	}
	return payload.Preview(data, width)
}

// Text implements Texter: the payload as JSON.
func (p protoDecoder) Text(data []byte) ([]byte, error) { return p.d.JSON(data) }

// Detail implements Decoder.
func (p protoDecoder) Detail(data []byte) string {
	js, err := p.d.JSON(data)
	if err != nil {
		return err.Error() + "\n" + payloadDecoder{}.Detail(data)
	}
	pretty, _ := payload.Pretty(js)
	return fmt.Sprintf("protobuf %s, %d bytes:\n%s", p.d.Message(), len(data), pretty)
}
