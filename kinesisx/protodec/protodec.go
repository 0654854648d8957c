// Package protodec decodes protobuf payloads with a message type taken from
// a descriptor set, as `protoc --include_imports --descriptor_set_out=F` or
// `buf build -o F` writes it, so that kinspect can show them as JSON
// without the producer's generated code.
package protodec

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"strings"

	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protodesc"
	"google.golang.org/protobuf/reflect/protoreflect"
	"google.golang.org/protobuf/reflect/protoregistry"
	"google.golang.org/protobuf/types/descriptorpb"
	"google.golang.org/protobuf/types/dynamicpb"

	"github.com/kinspect/kinspect/kinesisx/payload"
)

// Decoder decodes payloads as one message type.
type Decoder struct {
	msg protoreflect.MessageDescriptor
}

// New finds message (its full name, e.g. shop.v1.Order) in the bytes of a
// descriptor set.
func New(set []byte, message string) (*Decoder, error) {
	files, err := parseSet(set)
	if err != nil {
		return nil, err
	}
	return find(files, message)
}

// parseSet reads the bytes of a descriptor set.
func parseSet(set []byte) (*protoregistry.Files, error) {
	var fds descriptorpb.FileDescriptorSet
	if err := proto.Unmarshal(set, &fds); err != nil {
		return nil, fmt.Errorf("protobuf descriptor set: not a FileDescriptorSet: %w", err)
	}
	files, err := protodesc.NewFiles(&fds)
	if err != nil {
		return nil, fmt.Errorf("protobuf descriptor set: %w (build it with --include_imports)", err)
	}
	return files, nil
}

// find makes the decoder of a message type of files.
func find(files *protoregistry.Files, message string) (*Decoder, error) {
	d, err := files.FindDescriptorByName(protoreflect.FullName(message))
	if err != nil {
		return nil, fmt.Errorf("protobuf message %s: not in the descriptor set", message)
	}
	md, ok := d.(protoreflect.MessageDescriptor)
	if !ok {
		return nil, fmt.Errorf("protobuf message %s: is not a message", message)
	}
	return &Decoder{msg: md}, nil
}

// Message is the full name of the message type.
func (d *Decoder) Message() string { return string(d.msg.FullName()) }

// JSON decodes a payload (gzip undone first) and returns it as compact
// JSON, with protobuf's JSON mapping. Unknown fields fail: a payload of
// another type rarely decodes cleanly, and saying so beats guessing.
func (d *Decoder) JSON(data []byte) ([]byte, error) {
	m := dynamicpb.NewMessage(d.msg)
	if err := proto.Unmarshal(payload.Plain(data), m); err != nil {
		return nil, fmt.Errorf("not a %s: %w", d.Message(), err)
	}
	if len(m.GetUnknown()) > 0 {
		return nil, fmt.Errorf("not a %s: %d bytes of unknown fields", d.Message(), len(m.GetUnknown()))
	}
	out, err := protojson.Marshal(m)
	if err != nil {
		return nil, fmt.Errorf("%s as JSON: %w", d.Message(), err)
	}
	return compact(out), nil
}

// compact removes the whitespace protojson puts in (it varies on purpose).
func compact(b []byte) []byte {
	var buf bytes.Buffer
	if err := json.Compact(&buf, b); err != nil {
		return b
	}
	return buf.Bytes()
}

// Set maps streams to decoders: one message type for every stream, or one
// per stream named in the spec.
type Set struct {
	all      *Decoder
	byStream map[string]*Decoder
}

// LoadSet reads the descriptor set at path once and builds the decoders a
// spec asks for: "pkg.Msg" for every stream, or
// "stream=pkg.Msg,other=pkg.Other" for those streams only.
func LoadSet(path, spec string) (*Set, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("protobuf descriptor set: %w", err)
	}
	files, err := parseSet(b)
	if err != nil {
		return nil, err
	}
	if !strings.Contains(spec, "=") {
		d, err := find(files, spec)
		if err != nil {
			return nil, err
		}
		return &Set{all: d}, nil
	}
	s := &Set{byStream: map[string]*Decoder{}}
	for _, part := range strings.Split(spec, ",") {
		stream, msg, ok := strings.Cut(strings.TrimSpace(part), "=")
		if !ok || stream == "" || msg == "" {
			return nil, fmt.Errorf("protobuf message %q: want pkg.Msg, or stream=pkg.Msg,other=pkg.Other", spec)
		}
		d, err := find(files, msg)
		if err != nil {
			return nil, err
		}
		s.byStream[stream] = d
	}
	return s, nil
}

// For returns the decoder of a stream, or nil when its payloads are not
// protobuf (also on a nil Set).
func (s *Set) For(stream string) *Decoder {
	switch {
	case s == nil:
		return nil
	case s.all != nil:
		return s.all
	}
	return s.byStream[stream]
}
