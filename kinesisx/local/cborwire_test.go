package local

import (
	"testing"

	"github.com/aws/smithy-go/encoding/cbor"
)

// TestCBORMembersMatchModel checks the member names the CBOR transcoder
// treats as timestamps and blobs against the request shapes of the model:
// every timestamp member is known, "Data" is the only blob, and no known
// name is used for another type.
func TestCBORMembersMatchModel(t *testing.T) {
	m := loadModel()
	for name, s := range m.Shapes {
		for member, shape := range s.Members {
			typ := m.Shapes[shape].Type
			switch {
			case typ == "timestamp" && !cborTimeMembers[member]:
				t.Errorf("%s.%s is a timestamp the transcoder does not know", name, member)
			case typ == "blob" && member != cborBlobMember:
				t.Errorf("%s.%s is a blob the transcoder does not know", name, member)
			case typ != "timestamp" && cborTimeMembers[member]:
				t.Errorf("%s.%s is a %s, but the transcoder takes it for a timestamp", name, member, typ)
			case typ != "blob" && member == cborBlobMember:
				t.Errorf("%s.%s is a %s, but the transcoder takes it for a blob", name, member, typ)
			}
		}
	}
}

func TestIsCBOR(t *testing.T) {
	for ct, want := range map[string]bool{
		"application/x-amz-cbor-1.1":                true,
		"Application/X-Amz-CBOR-1.1; charset=utf-8": true,
		"application/x-amz-json-1.1":                false,
		"application/cbor":                          false,
		"":                                          false,
	} {
		if got := isCBOR(ct); got != want {
			t.Errorf("isCBOR(%q) = %v, want %v", ct, got, want)
		}
	}
}

// TestCBORTimestamps checks the units both ways: a request's timestamp,
// tagged or not, integer or float, is epoch milliseconds; an answer's is
// tag 1 around integer milliseconds, before 1970 too.
func TestCBORTimestamps(t *testing.T) {
	for _, tc := range []struct {
		in   cbor.Value
		want string
	}{
		{&cbor.Tag{ID: 1, Value: cbor.Uint(1_700_000_000_123)}, `{"Timestamp":1700000000.123}`},
		{cbor.Uint(1_700_000_000_123), `{"Timestamp":1700000000.123}`},
		{&cbor.Tag{ID: 1, Value: cbor.Float64(1_700_000_000_123.4)}, `{"Timestamp":1700000000.123}`},
		{&cbor.Tag{ID: 1, Value: cbor.NegInt(1500)}, `{"Timestamp":-1.500}`},
	} {
		got, err := cborToJSON(cbor.Encode(cbor.Map{"Timestamp": tc.in}))
		if err != nil || string(got) != tc.want {
			t.Errorf("%#v: got %s, %v; want %s", tc.in, got, err, tc.want)
		}
	}
	for js, ms := range map[string]int64{`1700000000.123`: 1_700_000_000_123, `-1.500`: -1500} {
		b, err := jsonToCBOR([]byte(`{"ApproximateArrivalTimestamp":` + js + `}`))
		if err != nil {
			t.Fatal(err)
		}
		v, _ := cbor.Decode(b)
		tag, ok := v.(cbor.Map)["ApproximateArrivalTimestamp"].(*cbor.Tag)
		if !ok || tag.ID != 1 {
			t.Fatalf("%s: got %#v, want tag 1", js, v)
		}
		if got, err := cbor.AsInt64(tag.Value); err != nil || got != ms {
			t.Errorf("%s: got %#v, want %d ms", js, tag.Value, ms)
		}
	}
}
