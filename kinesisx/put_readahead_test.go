package kinesisx

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
)

// With ReadAhead, a bad record within the read-ahead bounds stops the put
// before its first call; beyond them, the error says how many records were
// sent. Without it, batches leave as they fill (latency probes).
func TestPutReadAhead(t *testing.T) {
	bad := func(at int) RecordSource {
		return SourceFunc(func(info RecordInfo) ([]byte, error) {
			if info.Seq == at {
				return make([]byte, 2<<20), nil
			}
			return []byte("x"), nil
		})
	}
	for _, tt := range []struct {
		name      string
		at        int
		readAhead bool
		wantSent  int
		wantErr   string
	}{
		{name: "within the bound", at: 601, readAhead: true, wantSent: 0, wantErr: "record 601 is"},
		{name: "at the bound", at: ReadAheadRecords, readAhead: true, wantSent: 0, wantErr: fmt.Sprintf("record %d is", ReadAheadRecords)},
		{name: "beyond the bound", at: ReadAheadRecords + 601, readAhead: true, wantSent: ReadAheadRecords + 500, wantErr: fmt.Sprintf("; %d records were sent before it", ReadAheadRecords+500)},
		{name: "no read-ahead", at: 601, wantSent: 500, wantErr: "; 500 records were sent before it"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			fs := newFakeStream("s", 1)
			res, err := newClient(fs.api()).Put(context.Background(), PutOptions{Stream: "s", Key: "k", ReadAhead: tt.readAhead}, bad(tt.at), nil)
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) || res.Sent != tt.wantSent {
				t.Errorf("sent %d, err %v; want %d sent and %q", res.Sent, err, tt.wantSent, tt.wantErr)
			}
			if tt.wantSent == 0 && len(fs.puts) != 0 {
				t.Errorf("%d calls before the bad record", len(fs.puts))
			}
		})
	}
}

// The read-ahead holds at most ReadAheadBytes: records beyond it are drawn
// as batches leave, and an input that ends within both bounds is sent
// whole.
func TestPutReadAheadBounds(t *testing.T) {
	fs := newFakeStream("s", 1)
	fs.maxKiB = 2048
	drawn, sentAtFirstCall := 0, -1
	const size = 1 << 20
	src := SourceFunc(func(RecordInfo) ([]byte, error) {
		if sentAtFirstCall < 0 && len(fs.puts) > 0 {
			sentAtFirstCall = drawn
		}
		drawn++
		return make([]byte, size), nil
	})
	n := ReadAheadBytes/size + 20
	res, err := newClient(fs.api()).Put(context.Background(), PutOptions{Stream: "s", Key: "k", Count: n, ReadAhead: true}, src, nil)
	if err != nil || res.Sent != n {
		t.Fatalf("sent %d of %d: %v", res.Sent, n, err)
	}
	if want := ReadAheadBytes / (size + 1); sentAtFirstCall < want || sentAtFirstCall > want+1 {
		t.Errorf("%d records drawn before the first call, want about %d (ReadAheadBytes)", sentAtFirstCall, want)
	}

	fs = newFakeStream("s", 1)
	boom := errors.New("disk on fire")
	lines := 0
	src = SourceFunc(func(RecordInfo) ([]byte, error) {
		lines++
		if lines > 1200 {
			return nil, boom
		}
		return []byte("x"), nil
	})
	if _, err := newClient(fs.api()).Put(context.Background(), PutOptions{Stream: "s", Key: "k", ReadAhead: true}, src, nil); !errors.Is(err, boom) || len(fs.puts) != 0 {
		t.Errorf("err %v after %d calls; want the source's error and no call", err, len(fs.puts))
	}
}
