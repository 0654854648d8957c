package kinesisx

import (
	"testing"
	"time"
)

func mrec(shard, seq string, at time.Duration) Record {
	return Record{ShardID: shard, SequenceNumber: seq, ArrivedAt: t0.Add(at)}
}

func seqs(rs []Record) []string {
	var out []string
	for _, r := range rs {
		out = append(out, r.ShardID+"/"+r.SequenceNumber)
	}
	return out
}

// A shard that has not answered yet holds everything back; a caught-up
// shard with nothing to say lets the others' records out within the
// watermark of its last read.
func TestMergeIdleShardDoesNotStall(t *testing.T) {
	m := newMerger(time.Second, 0)
	m.open("a", nil)
	m.open("b", nil)
	m.push("a", []Record{mrec("a", "1", 5*time.Second), mrec("a", "2", 7*time.Second)}, t0.Add(8*time.Second))
	if out := m.release(nil, false); len(out) != 0 {
		t.Fatalf("released %v before shard b answered", seqs(out))
	}
	m.push("b", nil, t0.Add(5500*time.Millisecond)) // caught up at 5.5 s, nothing new
	if out := seqs(m.release(nil, false)); len(out) != 1 || out[0] != "a/1" {
		t.Fatalf("at b's promise 5.5 s + 1 s: released %v, want a/1", out)
	}
	m.push("b", nil, t0.Add(6*time.Second))
	if out := seqs(m.release(nil, false)); len(out) != 1 || out[0] != "a/2" {
		t.Fatalf("at b's promise 6 s + 1 s: released %v, want a/2", out)
	}
	// b ends (read to its end): only a's promise counts.
	m.push("a", []Record{mrec("a", "3", 9*time.Second)}, t0.Add(9*time.Second))
	m.end("b")
	if out := seqs(m.release(nil, false)); len(out) != 1 || out[0] != "a/3" {
		t.Fatalf("after b ended: released %v, want a/3", out)
	}
}

// Past the cap the oldest records go out before their time, each once and
// in key order; the rest wait.
func TestMergeHeldCap(t *testing.T) {
	m := newMerger(time.Second, 3)
	m.open("a", nil)
	m.open("b", nil) // never answers
	m.push("a", []Record{mrec("a", "1", 1), mrec("a", "2", 2), mrec("a", "3", 3), mrec("a", "4", 4), mrec("a", "5", 5)}, t0.Add(time.Minute))
	out := seqs(m.release(nil, false))
	if len(out) != 2 || out[0] != "a/1" || out[1] != "a/2" || m.held != 3 || m.forced != 2 {
		t.Fatalf("released %v, held %d, forced %d; want a/1 a/2 out, 3 held, 2 forced", out, m.held, m.forced)
	}
	out = seqs(m.release(nil, true))
	if len(out) != 3 || out[0] != "a/3" || out[2] != "a/5" || m.held != 0 {
		t.Fatalf("at the end released %v, held %d", out, m.held)
	}
}

// Records of one shard whose arrival times go back keep their order, and
// a record of another shard that arrived between them waits behind the
// later one.
func TestMergeShardOrderOverArrival(t *testing.T) {
	m := newMerger(-1, 0)
	m.open("a", nil)
	m.open("b", nil)
	m.push("a", []Record{mrec("a", "1", 3*time.Second), mrec("a", "2", 1*time.Second)}, t0.Add(10*time.Second))
	m.push("b", []Record{mrec("b", "1", 2*time.Second)}, t0.Add(10*time.Second))
	got := seqs(m.release(nil, false))
	want := []string{"b/1", "a/1", "a/2"}
	if len(got) != 3 || got[0] != want[0] || got[1] != want[1] || got[2] != want[2] {
		t.Fatalf("got %v, want %v", got, want)
	}
}
