package kpl

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"testing"
)

var update = flag.Bool("update", false, "rewrite testdata/kpl/ours.json from our encoder")

// vectorDir holds the vectors made by aws-kinesis-agg (testdata/kpl/gen.js).
const vectorDir = "../../testdata/kpl"

// vectorRecord is one expected sub-record: data in base64, or for large
// vectors only its length and SHA-256.
type vectorRecord struct {
	PartitionKey    string `json:"partitionKey"`
	ExplicitHashKey string `json:"explicitHashKey,omitempty"`
	Data            string `json:"data,omitempty"`
	DataLength      int    `json:"dataLength,omitempty"`
	DataSHA256      string `json:"dataSHA256,omitempty"`
}

// vector is one aggregate and the records it must decode to.
type vector struct {
	Name      string         `json:"name"`
	Aggregate string         `json:"aggregate,omitempty"`
	File      string         `json:"file,omitempty"`
	Records   []vectorRecord `json:"records"`
}

type vectorFile struct {
	Generator string   `json:"generator"`
	Vectors   []vector `json:"vectors"`
}

// loadVectors reads a vector file and the aggregate bytes of each vector.
func loadVectors(tb testing.TB, name string) (vectorFile, [][]byte) {
	tb.Helper()
	raw, err := os.ReadFile(filepath.Join(vectorDir, name))
	if err != nil {
		tb.Fatal(err)
	}
	var vf vectorFile
	if err := json.Unmarshal(raw, &vf); err != nil {
		tb.Fatalf("%s: %v", name, err)
	}
	aggs := make([][]byte, len(vf.Vectors))
	for i, v := range vf.Vectors {
		if v.File != "" {
			aggs[i], err = os.ReadFile(filepath.Join(vectorDir, v.File))
		} else {
			aggs[i], err = base64.StdEncoding.DecodeString(v.Aggregate)
		}
		if err != nil {
			tb.Fatalf("%s/%s: %v", name, v.Name, err)
		}
	}
	return vf, aggs
}

// checkRecords fails unless got matches the expected records exactly.
func checkRecords(t *testing.T, got []Record, want []vectorRecord) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("got %d records, want %d", len(got), len(want))
	}
	for i, w := range want {
		g := got[i]
		if g.PartitionKey != w.PartitionKey || g.ExplicitHashKey != w.ExplicitHashKey {
			t.Errorf("record %d: keys (%q, %q), want (%q, %q)", i, g.PartitionKey, g.ExplicitHashKey, w.PartitionKey, w.ExplicitHashKey)
		}
		if w.DataSHA256 != "" {
			sum := sha256.Sum256(g.Data)
			if len(g.Data) != w.DataLength || hex.EncodeToString(sum[:]) != w.DataSHA256 {
				t.Errorf("record %d: %d bytes with sha256 %x, want %d bytes with %s", i, len(g.Data), sum, w.DataLength, w.DataSHA256)
			}
			continue
		}
		data, err := base64.StdEncoding.DecodeString(w.Data)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(g.Data, data) {
			t.Errorf("record %d: data %q, want %q", i, g.Data, data)
		}
	}
}

// TestIndependentVectors decodes every aggregate made by aws-kinesis-agg,
// then re-encodes the records with Aggregate: both encoders write the
// tables first and the records in order, so the bytes must be identical.
func TestIndependentVectors(t *testing.T) {
	vf, aggs := loadVectors(t, "vectors.json")
	if len(vf.Vectors) < 8 {
		t.Fatalf("only %d vectors in vectors.json", len(vf.Vectors))
	}
	for i, v := range vf.Vectors {
		t.Run(v.Name, func(t *testing.T) {
			b := aggs[i]
			if !IsAggregated(b) {
				t.Fatal("IsAggregated = false")
			}
			got, err := Deaggregate(b)
			if err != nil {
				t.Fatalf("Deaggregate: %v", err)
			}
			checkRecords(t, got, v.Records)
			again, err := Aggregate(got)
			if err != nil {
				t.Fatalf("Aggregate: %v", err)
			}
			if !bytes.Equal(again, b) {
				t.Errorf("Aggregate wrote %d bytes that differ from the %d of %s", len(again), len(b), vf.Generator)
			}
		})
	}
}

// oursInput is what TestOurs aggregates for gen.js to check with the
// independent deaggregator.
func oursInput() map[string][]Record {
	return map[string][]Record{
		"mixed": {
			{PartitionKey: "a", Data: []byte("one")},
			{PartitionKey: "b", ExplicitHashKey: "85070591730234615865843651857942052864", Data: []byte(`{"n":2}`)},
			{PartitionKey: "a", Data: nil},
			{PartitionKey: "ключ 🔑", ExplicitHashKey: "1", Data: []byte{0, 1, 2, 0xff}},
			{PartitionKey: "b", ExplicitHashKey: "85070591730234615865843651857942052864", Data: bytes.Repeat([]byte("z"), 300)},
		},
		"single": {{PartitionKey: "only", Data: []byte("x")}},
	}
}

// TestOurs keeps testdata/kpl/ours.json (our encoder's output, checked by
// `node gen.js --check-only` with aws-kinesis-agg's deaggregator) in step
// with Aggregate. Run with -update to rewrite it.
func TestOurs(t *testing.T) {
	var vf vectorFile
	vf.Generator = "kinspect kinesisx/kpl"
	for _, name := range []string{"mixed", "single"} {
		recs := oursInput()[name]
		b, err := Aggregate(recs)
		if err != nil {
			t.Fatal(err)
		}
		v := vector{Name: name, Aggregate: base64.StdEncoding.EncodeToString(b)}
		for _, r := range recs {
			v.Records = append(v.Records, vectorRecord{PartitionKey: r.PartitionKey, ExplicitHashKey: r.ExplicitHashKey, Data: base64.StdEncoding.EncodeToString(r.Data)})
		}
		vf.Vectors = append(vf.Vectors, v)
	}
	want, err := json.MarshalIndent(vf, "", " ")
	if err != nil {
		t.Fatal(err)
	}
	want = append(want, '\n')
	path := filepath.Join(vectorDir, "ours.json")
	if *update {
		if err := os.WriteFile(path, want, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	got, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Fatalf("%s is stale: run go test -run TestOurs -update, then node gen.js --check-only", path)
	}
}
