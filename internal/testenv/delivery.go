package testenv

import (
	"testing"

	"github.com/kinspect/kinspect/kinesisx"
)

// Delivery is what CheckDelivery needs of each record a tail delivered, in
// the order it was delivered.
type Delivery struct {
	Shard, Sequence, Data string
}

// CheckDelivery asserts exactly once (each shard's sequence number comes
// once), sequence order per shard, every put payload delivered and none
// that was not put, and every parent's records before any of its
// children's. A payload may be in the stream twice under two sequence
// numbers: an injected reset can cut the answer to a PutRecords the
// endpoint carried out, and the producer's SDK sends it again, as any
// Kinesis producer may; the tail must deliver both.
func CheckDelivery(t testing.TB, got []Delivery, want map[string]bool, shards []kinesisx.Shard) {
	t.Helper()
	seen := map[string]bool{}
	seenSeq := map[string]bool{}
	lastSeq := map[string]string{}
	first, last := map[string]int{}, map[string]int{}
	for i, d := range got {
		if seenSeq[d.Shard+"/"+d.Sequence] {
			t.Fatalf("record %s (%s %s) delivered twice", d.Data, d.Shard, d.Sequence)
		}
		seenSeq[d.Shard+"/"+d.Sequence] = true
		seen[d.Data] = true
		if !want[d.Data] {
			t.Fatalf("record %s was never put", d.Data)
		}
		if prev, ok := lastSeq[d.Shard]; ok && kinesisx.CompareSequence(d.Sequence, prev) <= 0 {
			t.Fatalf("shard %s: sequence %s after %s", d.Shard, d.Sequence, prev)
		}
		lastSeq[d.Shard] = d.Sequence
		if _, ok := first[d.Shard]; !ok {
			first[d.Shard] = i
		}
		last[d.Shard] = i
	}
	if len(seen) != len(want) {
		t.Fatalf("delivered %d distinct records, want %d", len(seen), len(want))
	}
	for _, s := range shards {
		for _, p := range s.Parents() {
			lp, okp := last[p]
			fc, okc := first[s.ID]
			if okp && okc && lp > fc {
				t.Fatalf("shard %s: a record of its parent %s came after its first record", s.ID, p)
			}
		}
	}
}
