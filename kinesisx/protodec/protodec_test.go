package protodec

import (
	"bytes"
	"compress/gzip"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kinspect/kinspect/kinesisx/protodec/prototest"
)

func TestDecoder(t *testing.T) {
	set := prototest.OrderSet(t)
	path := filepath.Join(t.TempDir(), "shop.binpb")
	if err := os.WriteFile(path, set, 0o600); err != nil {
		t.Fatal(err)
	}
	set2, err := LoadSet(path, "shop.v1.Order")
	if err != nil {
		t.Fatal(err)
	}
	d := set2.For("any stream")
	data := prototest.Order(t, set, "o-42", 1999, "book", "pen")
	got, err := d.JSON(data)
	if err != nil {
		t.Fatal(err)
	}
	if want := `{"id":"o-42","amountCents":"1999","items":["book","pen"]}`; string(got) != want {
		t.Errorf("JSON = %s, want %s", got, want)
	}
	var zipped bytes.Buffer
	zw := gzip.NewWriter(&zipped)
	zw.Write(data)
	zw.Close()
	if got2, err := d.JSON(zipped.Bytes()); err != nil || !bytes.Equal(got2, got) {
		t.Errorf("gzip-wrapped: %s, %v", got2, err)
	}
	for _, bad := range [][]byte{[]byte(`{"id":"o-42"}`), {0xff, 0xff, 0xff}, {0x20, 0x01}} {
		if out, err := d.JSON(bad); err == nil || !strings.Contains(err.Error(), "not a shop.v1.Order") {
			t.Errorf("JSON(%q) = %s, %v: want an error", bad, out, err)
		}
	}
}

func TestLoadErrors(t *testing.T) {
	set := prototest.OrderSet(t)
	for _, tt := range []struct {
		name    string
		set     []byte
		message string
		want    string
	}{
		{"unknown message", set, "shop.v1.Refund", "protobuf message shop.v1.Refund: not in the descriptor set"},
		{"a package, not a message", set, "shop.v1", "not in the descriptor set"},
		{"not a descriptor set", []byte("hello"), "shop.v1.Order", "not a FileDescriptorSet"},
	} {
		if _, err := New(tt.set, tt.message); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: err = %v, want %q", tt.name, err, tt.want)
		}
	}
	if _, err := LoadSet(filepath.Join(t.TempDir(), "missing.binpb"), "x.Y"); err == nil || !strings.Contains(err.Error(), "protobuf descriptor set") {
		t.Errorf("missing file: %v", err)
	}
}

func TestLoadSet(t *testing.T) {
	path := filepath.Join(t.TempDir(), "shop.binpb")
	if err := os.WriteFile(path, prototest.OrderSet(t), 0o600); err != nil {
		t.Fatal(err)
	}
	all, err := LoadSet(path, "shop.v1.Order")
	if err != nil || all.For("orders") == nil || all.For("anything") == nil {
		t.Fatalf("one type for every stream: %v", err)
	}
	per, err := LoadSet(path, "orders=shop.v1.Order, returns=shop.v1.Order")
	if err != nil || per.For("orders") == nil || per.For("returns") == nil || per.For("app-logs") != nil {
		t.Fatalf("per stream: %v", err)
	}
	if (*Set)(nil).For("orders") != nil {
		t.Error("a nil set decodes nothing")
	}
	for spec, want := range map[string]string{
		"orders=":                   "want pkg.Msg, or stream=pkg.Msg",
		"orders=shop.v1.Order,=x.Y": "want pkg.Msg, or stream=pkg.Msg",
		"orders=shop.v1.Refund":     "protobuf message shop.v1.Refund: not in the descriptor set",
	} {
		if _, err := LoadSet(path, spec); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("LoadSet(%q) = %v, want %q", spec, err, want)
		}
	}
}
