package latency

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/kinspect/kinspect/kinesisx"
)

func TestPercentile(t *testing.T) {
	ms := func(v ...int) []time.Duration {
		out := make([]time.Duration, len(v))
		for i, x := range v {
			out[i] = time.Duration(x) * time.Millisecond
		}
		return out
	}
	tests := []struct {
		sorted []time.Duration
		p      float64
		want   time.Duration
	}{
		{nil, 50, 0},
		{ms(7), 50, 7 * time.Millisecond},
		{ms(7), 100, 7 * time.Millisecond},
		{ms(1, 2, 3, 4), 50, 2 * time.Millisecond},
		{ms(1, 2, 3, 4), 51, 3 * time.Millisecond},
		{ms(1, 2, 3, 4, 5, 6, 7, 8, 9, 10), 90, 9 * time.Millisecond},
		{ms(1, 2, 3, 4, 5, 6, 7, 8, 9, 10), 99, 10 * time.Millisecond},
		{ms(1, 2, 3), 0.001, time.Millisecond},
	}
	for _, tt := range tests {
		if got := Percentile(tt.sorted, tt.p); got != tt.want {
			t.Errorf("Percentile(%v, %v) = %v, want %v", tt.sorted, tt.p, got, tt.want)
		}
	}
}

func TestParseProbe(t *testing.T) {
	good := `{"kinspectProbe":"abcd1234","index":7,"putUnixNano":1700000000000000000}`
	tests := []struct {
		name string
		key  string
		data string
		ok   bool
	}{
		{"probe", KeyPrefix + "abcd1234", good, true},
		{"another run's key", KeyPrefix + "ffff0000", good, false},
		{"other traffic", "user-1", good, false},
		{"not JSON", KeyPrefix + "abcd1234", "abcd1234 hello", false},
		{"negative index", KeyPrefix + "abcd1234", `{"kinspectProbe":"abcd1234","index":-1,"putUnixNano":1}`, false},
		{"no put time", KeyPrefix + "abcd1234", `{"kinspectProbe":"abcd1234","index":1}`, false},
	}
	for _, tt := range tests {
		p, ok := parseProbe("abcd1234", kinesisx.Record{PartitionKey: tt.key, Data: []byte(tt.data)})
		if ok != tt.ok || (ok && (p.Index != 7 || p.PutNs != 1700000000000000000)) {
			t.Errorf("%s: %+v %v", tt.name, p, ok)
		}
	}
}

// Each shard's source sends its share of the indices, in schedule order,
// and says Ready only once the next probe is due.
func TestShardSources(t *testing.T) {
	now := time.Unix(100, 0)
	s := &schedule{start: now, rate: 10, total: 7, now: func() time.Time { return now }}
	var waited []time.Duration
	wait := func(_ context.Context, d time.Duration) error { waited = append(waited, d); return nil }
	var all []int
	for j := 0; j < 3; j++ {
		src := &shardSource{ctx: context.Background(), run: "r", sched: s, shard: j, shards: 3, wait: wait}
		for seq := 1; seq <= src.count(); seq++ {
			b, err := src.Next(kinesisx.RecordInfo{Seq: seq})
			if err != nil {
				t.Fatal(err)
			}
			p, ok := parseProbe("r", kinesisx.Record{PartitionKey: KeyPrefix + "r", Data: b})
			if !ok {
				t.Fatalf("bad probe %s", b)
			}
			all = append(all, p.Index)
		}
		// The clock stands at 100 s: the next probe (j+3*count) is due later.
		if src.count() > 0 && src.Ready() {
			t.Errorf("shard %d: ready before the next probe is due", j)
		}
	}
	if fmt.Sprint(all) != "[0 3 6 1 4 2 5]" {
		t.Errorf("indices %v", all)
	}
	if fmt.Sprint(waited[:3]) != "[0s 300ms 600ms]" {
		t.Errorf("waits %v", waited)
	}
	src := &shardSource{sched: s, shard: 0, shards: 3, last: 0}
	if !src.Ready() {
		t.Error("probe 0 is due at the start")
	}
	if (&shardSource{sched: s, shard: 9, shards: 10}).count() != 0 {
		t.Error("a shard beyond the probes sends some")
	}
}

func TestOptions(t *testing.T) {
	tests := []struct {
		o    Options
		want string
	}{
		{Options{}, "no stream"},
		{Options{Stream: "s", Records: -1}, "negative"},
		{Options{Stream: "s", Modes: []kinesisx.Mode{kinesisx.ModeEFO, kinesisx.ModeEFO}}, "named twice"},
		{Options{Stream: "s"}, ""},
	}
	for _, tt := range tests {
		err := tt.o.defaults()
		if (tt.want == "") != (err == nil) || (err != nil && !strings.Contains(err.Error(), tt.want)) {
			t.Errorf("%+v: %v, want %q", tt.o, err, tt.want)
		}
	}
	o := Options{Stream: "s"}
	_ = o.defaults()
	if o.Records != 4000 || o.Rate != 0 || len(o.Modes) != 2 || o.Timeout != DefaultTimeout {
		t.Errorf("defaults %+v", o)
	}
}

// The default rate is what the probed shards take, 1,000 records/s each:
// on the article's 2 shards its 4,000 records take 2 s to put. A rate
// asked for is kept.
func TestDefaultRate(t *testing.T) {
	tests := []struct {
		asked  float64
		shards int
		want   float64
	}{
		{0, 2, 2000},
		{0, 1, 1000},
		{0, 16, 16000},
		{500, 2, 500},
		{5000, 2, 5000},
	}
	for _, tt := range tests {
		if got := rateFor(tt.asked, tt.shards); got != tt.want {
			t.Errorf("rateFor(%v, %d) = %v, want %v", tt.asked, tt.shards, got, tt.want)
		}
	}
	if put := time.Duration(float64(DefaultRecords) / rateFor(0, ArticleShards) * float64(time.Second)); put != 2*time.Second {
		t.Errorf("the default run on the article's shards puts for %v, not 2s", put)
	}
}

// A run is like for like with the article only with its records, shards
// and rate; the figures are the article's two modes.
func TestArticle(t *testing.T) {
	same := Report{Records: 4000, Shards: []string{"a", "b"}, Rate: rateFor(0, 2)}
	if d := same.ArticleDifferences(); len(d) != 0 {
		t.Errorf("the default run on 2 shards differs: %v", d)
	}
	other := Report{Records: 300, Shards: []string{"a", "b", "c"}, Rate: 1000}
	if d := fmt.Sprint(other.ArticleDifferences()); d != "[300 records, not 4000 3 shard(s), not 2 1000 records/s, not 2000]" {
		t.Errorf("differences %s", d)
	}
	efo, ok1 := Article(kinesisx.ModeEFO)
	poll, ok2 := Article(kinesisx.ModePolling)
	if !ok1 || !ok2 || efo.Text != "under 2 s" || efo.LastSeen != 2*time.Second || poll.Text != "just over 2.5 s" || poll.LastSeen != 2500*time.Millisecond {
		t.Errorf("article figures %+v %+v", efo, poll)
	}
	if _, ok := Article(kinesisx.Mode(99)); ok {
		t.Error("a figure for an unknown mode")
	}
}
