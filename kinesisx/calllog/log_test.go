package calllog

import (
	"fmt"
	"sync"
	"testing"
	"time"
)

func TestRing(t *testing.T) {
	tests := []struct {
		name      string
		size, add int
		since     uint64
		wantSeqs  string
	}{
		{"empty", 3, 0, 0, "[]"},
		{"not full", 3, 2, 0, "[1 2]"},
		{"full", 3, 3, 0, "[1 2 3]"},
		{"wrapped", 3, 7, 0, "[5 6 7]"},
		{"since inside", 3, 7, 5, "[6 7]"},
		{"since before the oldest", 3, 7, 2, "[5 6 7]"},
		{"since the newest", 3, 7, 7, "[]"},
		{"default size", 0, 5, 0, "[1 2 3 4 5]"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := New(tt.size)
			for i := 0; i < tt.add; i++ {
				l.Add(Entry{Operation: fmt.Sprint(i)})
			}
			var seqs []uint64
			for _, e := range l.Since(tt.since) {
				seqs = append(seqs, e.Seq)
				if e.Operation != fmt.Sprint(e.Seq-1) {
					t.Errorf("entry %d holds %q", e.Seq, e.Operation)
				}
			}
			if got := fmt.Sprint(seqs); got != tt.wantSeqs && !(seqs == nil && tt.wantSeqs == "[]") {
				t.Errorf("Since(%d) = %s, want %s", tt.since, got, tt.wantSeqs)
			}
			if l.Total() != uint64(tt.add) {
				t.Errorf("Total = %d", l.Total())
			}
		})
	}
	if New(0).Entries() == nil || cap(New(0).ring) != DefaultSize {
		t.Error("default log")
	}
}

func TestConcurrentUse(t *testing.T) {
	l := New(50)
	var wg sync.WaitGroup
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 500; i++ {
				l.Add(Entry{Time: time.Now()})
				if i%50 == 0 {
					es := l.Entries()
					for j := 1; j < len(es); j++ {
						if es[j].Seq <= es[j-1].Seq {
							t.Errorf("entries out of order: %d after %d", es[j].Seq, es[j-1].Seq)
							return
						}
					}
				}
			}
		}()
	}
	wg.Wait()
	if l.Total() != 4000 || len(l.Entries()) != 50 || l.Entries()[49].Seq != 4000 {
		t.Errorf("total %d, kept %d", l.Total(), len(l.Entries()))
	}
}
