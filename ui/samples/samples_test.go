package samples

import (
	"fmt"
	"testing"

	"github.com/kinspect/kinspect/kinesisx"
	"github.com/kinspect/kinspect/kinesisx/hashkey"
)

func TestOf(t *testing.T) {
	tests := []struct {
		name string
		rec  kinesisx.Record
		want hashkey.Key
	}{
		{"partition key", kinesisx.Record{PartitionKey: "a", Data: []byte("xyz")}, hashkey.FromPartitionKey("a")},
		{"explicit hash key wins", kinesisx.Record{PartitionKey: "a", ExplicitHashKey: "42", Data: []byte("xyz")}, hashkey.MustParse("42")},
		{"bad explicit key falls back", kinesisx.Record{PartitionKey: "a", ExplicitHashKey: "x", Data: []byte("xyz")}, hashkey.FromPartitionKey("a")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Of(&tt.rec)
			if got.Key != tt.want || got.Bytes != 3 {
				t.Errorf("got %v %d, want %v 3", got.Key, got.Bytes, tt.want)
			}
		})
	}
}

func TestStoreBounds(t *testing.T) {
	s := New(3, 2)
	rec := func(shard string, n int) kinesisx.Record {
		return kinesisx.Record{Stream: "s", ShardID: shard, PartitionKey: fmt.Sprint(n), Data: make([]byte, n)}
	}
	s.AddRecords([]kinesisx.Record{rec("a", 1), rec("a", 2), rec("a", 3), rec("a", 4), rec("a", 5)})
	got := s.Shard("s", "a")
	if len(got) != 3 {
		t.Fatalf("kept %d samples, want the newest 3", len(got))
	}
	sizes := map[int]bool{}
	for _, g := range got {
		sizes[g.Bytes] = true
	}
	if !sizes[3] || !sizes[4] || !sizes[5] {
		t.Errorf("want the newest samples (3, 4, 5), got %v", got)
	}
	s.AddRecords([]kinesisx.Record{rec("b", 1)})
	s.AddRecords([]kinesisx.Record{rec("a", 6)}) // a is now fresher than b
	s.AddRecords([]kinesisx.Record{rec("c", 1)}) // evicts b, the least recently fed
	if s.Shard("s", "b") != nil || s.Shard("s", "a") == nil || s.Shard("s", "c") == nil {
		t.Errorf("eviction should drop b: a %v b %v c %v", s.Shard("s", "a"), s.Shard("s", "b"), s.Shard("s", "c"))
	}
	got[0].Bytes = 999
	if s.Shard("s", "a")[0].Bytes == 999 {
		t.Error("Shard should return a copy")
	}
	var nilStore *Store
	nilStore.AddRecords([]kinesisx.Record{rec("a", 1)})
	if nilStore.Shard("s", "a") != nil {
		t.Error("a nil store holds nothing")
	}
}
