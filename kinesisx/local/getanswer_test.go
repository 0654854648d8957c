package local

import (
	"bytes"
	"encoding/json"
	"slices"
	"testing"
	"time"

	"pgregory.net/rapid"
)

// TestGetRecordsAnswerEncoding checks the hand-written GetRecords encoder
// against encoding/json: the body is valid JSON holding every record as it
// was stored, written in chunks, and exactly as long as its declared size
// (the Content-Length), for any keys, data and arrival times.
func TestGetRecordsAnswerEncoding(t *testing.T) {
	sh := &shard{prefix: seqPrefix(3, time.Unix(1700000000, 0))}
	rapid.Check(t, func(t *rapid.T) {
		recs := rapid.SliceOfN(rapid.Custom(func(t *rapid.T) record {
			return record{
				seq:     rapid.Uint64().Draw(t, "seq"),
				arrival: rapid.Int64Range(0, 1e14).Draw(t, "arrival"),
				key:     rapid.StringN(1, 256, -1).Draw(t, "key"),
				data:    rapid.SliceOfN(rapid.Byte(), 0, 4000).Draw(t, "data"),
			}
		}), 0, 200).Draw(t, "recs")
		// Encryption went on and off at drawn counters.
		encLog := rapid.SliceOfN(rapid.Uint64(), 0, 4).Draw(t, "encLog")
		slices.Sort(encLog)
		a := &getRecordsAnswer{sh: sh, chunks: &chunkPool{}, r: readResult{
			recs:   recs,
			encLog: encLog,
			behind: rapid.Int64Range(0, 1e12).Draw(t, "behind"),
			end:    rapid.Bool().Draw(t, "end"),
		}}
		if a.r.end && rapid.Bool().Draw(t, "children") {
			a.r.children = []childShard{{ShardID: "shardId-000000000004", ParentShards: []string{"shardId-000000000003"}}}
		} else if !a.r.end {
			a.next = rapid.StringMatching(`[A-Za-z0-9+/=]{1,300}`).Draw(t, "next")
		}
		var w bytes.Buffer
		if err := a.writeBody(&w); err != nil {
			t.Fatal(err)
		}
		if w.Len() != a.size() {
			t.Fatalf("wrote %d bytes, size says %d", w.Len(), a.size())
		}
		var got struct {
			Records []struct {
				SequenceNumber              string
				ApproximateArrivalTimestamp float64
				Data                        []byte
				PartitionKey                string
				EncryptionType              string
			}
			MillisBehindLatest int64
			NextShardIterator  *string
			ChildShards        []childShard
		}
		if err := json.Unmarshal(w.Bytes(), &got); err != nil {
			t.Fatalf("invalid JSON: %v\n%.300s", err, w.String())
		}
		if len(got.Records) != len(recs) || got.MillisBehindLatest != a.r.behind {
			t.Fatalf("%d records behind %d, want %d behind %d", len(got.Records), got.MillisBehindLatest, len(recs), a.r.behind)
		}
		for i, g := range got.Records {
			r := recs[i]
			if g.SequenceNumber != sh.seqString(r.seq) || g.PartitionKey != r.key || !bytes.Equal(g.Data, r.data) ||
				int64(g.ApproximateArrivalTimestamp*1000+0.5) != r.arrival || g.EncryptionType != wantEncryption(encLog, r.seq) {
				t.Fatalf("record %d: got %+v, want %+v", i, g, r)
			}
		}
		if (got.NextShardIterator != nil) != (a.next != "") || (a.next != "" && *got.NextShardIterator != a.next) {
			t.Fatalf("NextShardIterator %v, want %q", got.NextShardIterator, a.next)
		}
		if a.r.end != (got.ChildShards != nil) || len(got.ChildShards) != len(a.r.children) {
			t.Fatalf("ChildShards %v, want %v (end %v)", got.ChildShards, a.r.children, a.r.end)
		}
	})
}

// wantEncryption is a record's EncryptionType by a plain walk of the log:
// each entry at or below seq flips the state.
func wantEncryption(log []uint64, seq uint64) string {
	on := false
	for _, c := range log {
		if c <= seq {
			on = !on
		}
	}
	if on {
		return "KMS"
	}
	return "NONE"
}
