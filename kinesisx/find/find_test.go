package find

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/kinspect/kinspect/kinesisx"
)

var t0 = time.Date(2026, 11, 26, 10, 0, 0, 0, time.UTC)

// behind is the progress of shards still behind their tips.
func behind(ids ...string) map[string]kinesisx.ShardProgress {
	m := map[string]kinesisx.ShardProgress{}
	for _, id := range ids {
		m[id] = kinesisx.ShardProgress{MillisBehindLatest: 60_000}
	}
	return m
}

// rec is record n of shard: key kN, data "dN", sequence sN, arrived at
// t0 + n seconds.
func rec(shard string, n int) kinesisx.Record {
	return kinesisx.Record{
		ShardID: shard, SequenceNumber: fmt.Sprintf("s%d", n), PartitionKey: fmt.Sprintf("k%d", n),
		Data: []byte(fmt.Sprintf("d%d", n)), ArrivedAt: t0.Add(time.Duration(n) * time.Second),
	}
}

func gzipped(t *testing.T, s string) []byte {
	t.Helper()
	var b bytes.Buffer
	zw := gzip.NewWriter(&b)
	if _, err := zw.Write([]byte(s)); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestQueryMatch(t *testing.T) {
	r := kinesisx.Record{PartitionKey: "user-7", SequenceNumber: "4955", Data: gzipped(t, `{"level":"ERROR"}`)}
	for _, tt := range []struct {
		name string
		q    Query
		want bool
	}{
		{"no criteria", Query{}, true},
		{"key", Query{Key: "user-7"}, true},
		{"key is exact", Query{Key: "user"}, false},
		{"sequence", Query{Sequence: "4955"}, true},
		{"other sequence", Query{Sequence: "49551"}, false},
		{"pattern inside gzip", Query{Pattern: regexp.MustCompile(`"level":"ERROR"`)}, true},
		{"pattern absent", Query{Pattern: regexp.MustCompile(`WARN`)}, false},
		{"all must hold", Query{Key: "user-7", Pattern: regexp.MustCompile(`WARN`)}, false},
		{"key and pattern", Query{Key: "user-7", Sequence: "4955", Pattern: regexp.MustCompile(`ERR`)}, true},
	} {
		if got := tt.q.Match(r); got != tt.want {
			t.Errorf("%s: Match = %v, want %v", tt.name, got, tt.want)
		}
	}
}

// lines renders what Add returned as "*k3" (a match) or " k2" (context).
func lines(ls []Line) string {
	var out []string
	for _, l := range ls {
		mark := " "
		if l.Match {
			mark = "*"
		}
		out = append(out, mark+l.Record.ShardID+"/"+l.Record.PartitionKey)
	}
	return strings.Join(out, ",")
}

func TestSearchContextPerShard(t *testing.T) {
	s := New(Query{Pattern: regexp.MustCompile(`^d(5|7|20)$`), Context: 2})
	var recs []kinesisx.Record
	for n := 1; n <= 22; n++ {
		recs = append(recs, rec("a", n))
		if n <= 6 {
			recs = append(recs, rec("b", n)) // b's d5 matches too
		}
	}
	// Two batches, split in the middle of a's context after its d7.
	var got []Line
	got = append(got, s.Add(kinesisx.Batch{Records: recs[:15], Shards: behind("a", "b")})...)
	got = append(got, s.Add(kinesisx.Batch{Records: recs[15:]})...)
	want := " a/k3, a/k4,*a/k5, b/k3, b/k4,*b/k5, a/k6, b/k6,*a/k7, a/k8, a/k9, a/k18, a/k19,*a/k20, a/k21, a/k22"
	if g := lines(got); g != want {
		t.Errorf("lines\n got %s\nwant %s", g, want)
	}
	if s.Scanned != 28 || s.Matches != 4 {
		t.Errorf("scanned %d, matched %d", s.Scanned, s.Matches)
	}
	if !s.Pending() {
		t.Error("b's match still waits for one record after it: not pending")
	}
	// b reaches its tip: nothing more will come to show.
	s.Add(kinesisx.Batch{Shards: map[string]kinesisx.ShardProgress{"b": {}}})
	if s.Pending() {
		t.Error("b is at its tip, still pending")
	}
}

func TestSearchPendingUntilContextShown(t *testing.T) {
	s := New(Query{Key: "k1", Context: 2})
	s.Add(kinesisx.Batch{Records: []kinesisx.Record{rec("a", 1), rec("a", 2)}, Shards: behind("a")})
	if !s.Pending() {
		t.Fatal("one record of context is still owed")
	}
	s.Add(kinesisx.Batch{Records: []kinesisx.Record{rec("a", 3)}})
	if s.Pending() {
		t.Fatal("context shown, still pending")
	}
}

func TestSearchWindowEnd(t *testing.T) {
	s := New(Query{Until: t0.Add(10 * time.Second)})
	s.Expect([]string{"a", "b", "c"})
	open := kinesisx.ShardProgress{MillisBehindLatest: 60_000}
	ls := s.Add(kinesisx.Batch{
		Records: []kinesisx.Record{rec("a", 9), rec("a", 10), rec("a", 11), rec("b", 3)},
		Shards:  map[string]kinesisx.ShardProgress{"a": open, "b": open},
	})
	if g := lines(ls); g != "*a/k9,*a/k10,*b/k3" {
		t.Errorf("lines %s", g)
	}
	if s.Done() {
		t.Fatal("done while b is behind and short of the end")
	}
	if p := s.Position(); !p.Equal(t0.Add(3 * time.Second)) {
		t.Errorf("position %v: want b's, the slowest shard", p)
	}
	// A record of a that arrived a little earlier, after one past the end,
	// is not looked at: the shard is done.
	if ls := s.Add(kinesisx.Batch{Records: []kinesisx.Record{rec("a", 8)}}); len(ls) != 0 {
		t.Errorf("shard past the end still matched %s", lines(ls))
	}
	s.Add(kinesisx.Batch{Shards: map[string]kinesisx.ShardProgress{"b": {MillisBehindLatest: 0}}})
	if s.Done() {
		t.Fatal("done before c reported")
	}
	s.Add(kinesisx.Batch{Records: []kinesisx.Record{rec("c", 12)}})
	if !s.Done() {
		t.Fatal("a and c past the end and b at its tip: not done")
	}
	if s.Scanned != 3 || !s.Position().Equal(t0.Add(10*time.Second)) {
		t.Errorf("scanned %d, position %v", s.Scanned, s.Position())
	}
}

func TestSearchDone(t *testing.T) {
	s := New(Query{})
	if s.Done() {
		t.Fatal("done before any shard reported")
	}
	s.Add(kinesisx.Batch{CaughtUp: true})
	if !s.Done() {
		t.Fatal("the tail is caught up: done")
	}
}

// A closed shard read to its end is done once its children have reported;
// with Until, the window ends before the tail reaches the tips.
func TestSearchDoneAcrossASplit(t *testing.T) {
	s := New(Query{Until: t0.Add(10 * time.Second)})
	s.Expect([]string{"parent"})
	s.Add(kinesisx.Batch{Records: []kinesisx.Record{rec("parent", 1)},
		Shards: map[string]kinesisx.ShardProgress{"parent": {Closed: true, Children: []string{"c1", "c2"}}}})
	if s.Done() {
		t.Fatal("done with a drained parent whose children have not reported")
	}
	s.Add(kinesisx.Batch{Records: []kinesisx.Record{rec("c1", 11)}, Shards: behind("c1")})
	if s.Done() {
		t.Fatal("done before c2 reported")
	}
	s.Add(kinesisx.Batch{Records: []kinesisx.Record{rec("c2", 12)}, Shards: behind("c2")})
	if !s.Done() {
		t.Fatal("both children past Until, still not done")
	}
}

// With Max and context, a match whose shard gives no more records does not
// keep the search reading the other shards.
func TestSearchMaxEndsAtAQuietShard(t *testing.T) {
	s := New(Query{Key: "k5", Context: 2, Max: 1})
	s.Add(kinesisx.Batch{Records: []kinesisx.Record{rec("a", 5)},
		Shards: map[string]kinesisx.ShardProgress{"a": {}, "b": {MillisBehindLatest: 3_600_000}}})
	if !s.Done() {
		t.Fatal("a is at its tip after the one match: done")
	}
}

// Records before From are not looked at (a child read from its start).
func TestSearchFrom(t *testing.T) {
	s := New(Query{From: t0.Add(5 * time.Second)})
	if g := lines(s.Add(kinesisx.Batch{Records: []kinesisx.Record{rec("a", 4), rec("a", 5), rec("a", 6)}})); g != "*a/k5,*a/k6" {
		t.Errorf("lines %s", g)
	}
	if s.Scanned != 2 {
		t.Errorf("scanned %d", s.Scanned)
	}
}

// BenchmarkSearch measures what matching costs per record, for a key and
// for a pattern over JSON and over gzip payloads (inflated to be searched),
// with context on: the rate a find can scan at, apart from reading.
func BenchmarkSearch(b *testing.B) {
	doc := `{"messageType":"DATA_MESSAGE","logGroup":"/aws/lambda/orders","logEvents":[{"id":"1","timestamp":1764150000000,"message":"INFO order 42 paid by u-7"}]}`
	var zipped bytes.Buffer
	zw := gzip.NewWriter(&zipped)
	zw.Write([]byte(doc))
	zw.Close()
	for _, tt := range []struct {
		name string
		q    Query
		data []byte
	}{
		{"key", Query{Key: "user-7"}, []byte(doc)},
		{"grep-json", Query{Pattern: regexp.MustCompile(`level=ERROR`)}, []byte(doc)},
		{"grep-gzip", Query{Pattern: regexp.MustCompile(`level=ERROR`)}, zipped.Bytes()},
	} {
		b.Run(tt.name, func(b *testing.B) {
			batch := kinesisx.Batch{Records: make([]kinesisx.Record, 1000)}
			for i := range batch.Records {
				r := rec(fmt.Sprintf("shardId-%012d", i%4), i)
				r.Data = tt.data
				batch.Records[i] = r
			}
			tt.q.Context = 2
			s := New(tt.q)
			b.ReportAllocs()
			for b.Loop() {
				s.Add(batch)
			}
			b.ReportMetric(float64(b.N*len(batch.Records))/b.Elapsed().Seconds(), "records/s")
		})
	}
}
