package ui

import (
	"testing"

	"github.com/kinspect/kinspect/ui/tail"
)

type namedDecoder struct {
	tail.Decoder
	name string
}

// A stream's tail view gets DecoderFor's choice, else Decoder.
func TestDecoderFor(t *testing.T) {
	def, proto := namedDecoder{name: "default"}, namedDecoder{name: "proto"}
	c := Config{Decoder: def, DecoderFor: func(stream string) tail.Decoder {
		if stream == "orders" {
			return proto
		}
		return nil
	}}
	if d, _ := c.decoderFor("orders").(namedDecoder); d.name != "proto" {
		t.Errorf("orders got %v", d.name)
	}
	if d, _ := c.decoderFor("app-logs").(namedDecoder); d.name != "default" {
		t.Errorf("app-logs got %v", d.name)
	}
	if (Config{}).decoderFor("x") != nil {
		t.Error("no decoders: nil (the tail view's built-in one)")
	}
}
