package kinesisx

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kinesis/types"

	"github.com/kinspect/kinspect/kinesisx/hashkey"
)

func TestValidatePartitionKey(t *testing.T) {
	tests := []struct {
		key     string
		wantErr string
	}{
		{"a", ""},
		{strings.Repeat("é", 256), ""}, // 512 bytes, 256 characters
		{"", "empty"},
		{strings.Repeat("k", 257), "257 characters"},
		{"\xff", "UTF-8"},
	}
	for _, tt := range tests {
		err := ValidatePartitionKey(tt.key)
		if (err == nil) != (tt.wantErr == "") || (err != nil && !strings.Contains(err.Error(), tt.wantErr)) {
			t.Errorf("ValidatePartitionKey(%.20q) = %v, want %q", tt.key, err, tt.wantErr)
		}
	}
}

func TestPlanPutRefusesBadInputBeforeSending(t *testing.T) {
	closed := func(fs *fakeStream) {
		fs.shards[0].SequenceNumberRange.EndingSequenceNumber = aws.String("9")
	}
	tests := []struct {
		name     string
		opts     PutOptions
		readOnly bool
		setup    func(*fakeStream)
		wantErr  string
	}{
		{name: "read-only", opts: PutOptions{Stream: "s", Key: "k"}, readOnly: true, wantErr: "read-only"},
		{name: "empty key", opts: PutOptions{Stream: "s"}, wantErr: "partition key is empty"},
		{name: "257-character key", opts: PutOptions{Stream: "s", Key: strings.Repeat("x", 257)}, wantErr: "at most 256"},
		{name: "long key with hash key", opts: PutOptions{Stream: "s", Keys: KeyHash, HashKey: "1", Key: strings.Repeat("x", 257)}, wantErr: "at most 256"},
		{name: "malformed hash key", opts: PutOptions{Stream: "s", Keys: KeyHash, HashKey: "12a"}, wantErr: "not a decimal number"},
		{name: "negative hash key", opts: PutOptions{Stream: "s", Keys: KeyHash, HashKey: "-1"}, wantErr: "not a decimal number"},
		{name: "hash key beyond 2^128-1", opts: PutOptions{Stream: "s", Keys: KeyHash, HashKey: "340282366920938463463374607431768211456"}, wantErr: "not a decimal number"},
		{name: "unknown shard", opts: PutOptions{Stream: "s", Keys: KeyShard, ShardID: "shardId-000000000009"}, wantErr: "has no shard shardId-000000000009 (open shards: shardId-000000000000, shardId-000000000001)"},
		{name: "closed shard", opts: PutOptions{Stream: "s", Keys: KeyShard, ShardID: "shardId-000000000000"}, setup: closed, wantErr: "shard shardId-000000000000 is closed"},
		{name: "unknown stream", opts: PutOptions{Stream: "nope", Key: "k"}, wantErr: "describe stream nope"},
		{name: "stream not active", opts: PutOptions{Stream: "s", Key: "k"}, setup: func(fs *fakeStream) { fs.status = "CREATING" }, wantErr: "is CREATING"},
		{name: "negative count", opts: PutOptions{Stream: "s", Key: "k", Count: -1}, wantErr: "negative"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fs := newFakeStream("s", 2)
			if tt.setup != nil {
				tt.setup(fs)
			}
			c := newClient(fs.api(), WithReadOnly(tt.readOnly))
			res, err := c.Put(context.Background(), tt.opts, Repeat([]byte("x")), nil)
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("err = %v, want %q", err, tt.wantErr)
			}
			if tt.readOnly && !errors.Is(err, ErrReadOnly) {
				t.Errorf("not ErrReadOnly: %v", err)
			}
			if len(fs.puts) != 0 || res.Sent != 0 {
				t.Errorf("sent %d calls despite the error", len(fs.puts))
			}
		})
	}
}

func TestPlanPutTargetAndWarnings(t *testing.T) {
	fs := newFakeStream("s", 4)
	c := newClient(fs.api())
	ctx := context.Background()

	p, err := c.PlanPut(ctx, PutOptions{Stream: "s", Key: "a"})
	if err != nil {
		t.Fatal(err)
	}
	// MD5("a") = 16955237001963240173058271559858726497 lies in the first quarter.
	if p.Target == nil || p.Target.ID != "shardId-000000000000" || len(p.Warnings) != 0 {
		t.Errorf("target %+v warnings %v", p.Target, p.Warnings)
	}
	p, err = c.PlanPut(ctx, PutOptions{Stream: "s", Keys: KeyHash, HashKey: hashkey.Max.String()})
	if err != nil || p.Target == nil || p.Target.ID != "shardId-000000000003" {
		t.Errorf("hash key target %+v, %v", p.Target, err)
	}
	p, err = c.PlanPut(ctx, PutOptions{Stream: "s", Keys: KeyRandom})
	if err != nil || p.Target != nil {
		t.Errorf("random keys target %+v, %v", p.Target, err)
	}

	fs.dist = "AUTO"
	fs.mode = "ON_DEMAND"
	p, err = c.PlanPut(ctx, PutOptions{Stream: "s", Keys: KeyShard, ShardID: "shardId-000000000001"})
	if err != nil {
		t.Fatal(err)
	}
	if p.Target != nil || len(p.Warnings) != 1 || !strings.Contains(p.Warnings[0], "AUTO") || !strings.Contains(p.Warnings[0], "target shard is ignored") {
		t.Errorf("AUTO: target %+v warnings %q", p.Target, p.Warnings)
	}
	p, err = c.PlanPut(ctx, PutOptions{Stream: "s", Keys: KeyRandom})
	if err != nil || len(p.Warnings) != 0 {
		t.Errorf("AUTO with random keys: %v %v", p.Warnings, err)
	}
}

func TestPutRecordForOneRecord(t *testing.T) {
	fs := newFakeStream("s", 2)
	res, err := newClient(fs.api()).Put(context.Background(), PutOptions{Stream: "s", Key: "a", Count: 1}, Repeat([]byte("hello")), nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(fs.puts) != 1 || !fs.puts[0].single {
		t.Errorf("calls %+v, want one PutRecord", fs.puts)
	}
	got := fs.landed["shardId-000000000000"]
	if res.Sent != 1 || res.Shards["shardId-000000000000"] != 1 || len(got) != 1 || string(got[0].data) != "hello" || got[0].key != "a" {
		t.Errorf("result %+v landed %+v", res, fs.landed)
	}
}

func TestPutBatchesAndKeyModes(t *testing.T) {
	quarter := hashkey.Split(4)
	tests := []struct {
		name      string
		opts      PutOptions
		wantCalls []int
		check     func(t *testing.T, fs *fakeStream, res PutResult)
	}{
		{
			name: "fixed key, 1200 records", opts: PutOptions{Stream: "s", Key: "a", Count: 1200},
			wantCalls: []int{500, 500, 200},
			check: func(t *testing.T, fs *fakeStream, res PutResult) {
				if res.Shards["shardId-000000000000"] != 1200 || len(fs.landed) != 1 {
					t.Errorf("shards %v", res.Shards)
				}
			},
		},
		{
			name: "random keys spread", opts: PutOptions{Stream: "s", Keys: KeyRandom, Count: 2000},
			wantCalls: []int{500, 500, 500, 500},
			check: func(t *testing.T, fs *fakeStream, res PutResult) {
				keys := map[string]bool{}
				for id, rs := range fs.landed {
					if n := res.Shards[id]; n < 350 || n > 650 || n != len(rs) {
						t.Errorf("shard %s got %d of 2000 (result says %d)", id, len(rs), n)
					}
					for _, r := range rs {
						keys[r.key] = true
					}
				}
				if len(keys) < 1990 {
					t.Errorf("only %d distinct random keys", len(keys))
				}
			},
		},
		{
			name: "explicit hash key", opts: PutOptions{Stream: "s", Keys: KeyHash, HashKey: quarter[2].Start.String(), Count: 3},
			wantCalls: []int{3},
			check: func(t *testing.T, fs *fakeStream, res PutResult) {
				rs := fs.landed["shardId-000000000002"]
				if len(rs) != 3 || rs[0].hashKey != quarter[2].Start.String() || rs[0].key == "" {
					t.Errorf("landed %+v", fs.landed)
				}
			},
		},
		{
			name: "target shard", opts: PutOptions{Stream: "s", Keys: KeyShard, ShardID: "shardId-000000000001", Key: "pk", Count: 700},
			wantCalls: []int{500, 200},
			check: func(t *testing.T, fs *fakeStream, res PutResult) {
				rs := fs.landed["shardId-000000000001"]
				hashes := map[string]bool{}
				for _, r := range rs {
					if !quarter[1].Contains(hashkey.MustParse(r.hashKey)) || r.key != "pk" {
						t.Fatalf("record %+v outside the shard", r)
					}
					hashes[r.hashKey] = true
				}
				if len(rs) != 700 || res.Shards["shardId-000000000001"] != 700 || len(hashes) < 690 {
					t.Errorf("%d records, %d distinct hash keys", len(rs), len(hashes))
				}
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fs := newFakeStream("s", 4)
			var progress []int
			res, err := newClient(fs.api()).Put(context.Background(), tt.opts, Repeat([]byte("x")), func(r PutResult) {
				progress = append(progress, r.Sent)
			})
			if err != nil {
				t.Fatal(err)
			}
			var calls []int
			for _, c := range fs.puts {
				calls = append(calls, c.n)
			}
			if !equalInts(calls, tt.wantCalls) {
				t.Errorf("calls %v, want %v", calls, tt.wantCalls)
			}
			if res.Sent != tt.opts.Count || res.Failed != 0 || res.Retries != 0 || fs.total() != tt.opts.Count {
				t.Errorf("result %+v, landed %d", res, fs.total())
			}
			if len(progress) != len(tt.wantCalls) || progress[len(progress)-1] != tt.opts.Count {
				t.Errorf("progress %v", progress)
			}
			tt.check(t, fs, res)
		})
	}
}

func equalInts(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestPutRecordSizeLimits(t *testing.T) {
	tests := []struct {
		name      string
		maxKiB    int32
		dataLen   int
		key       string
		count     int
		wantErr   string
		wantCalls []int
	}{
		{name: "exactly 1 MiB with key", dataLen: 1<<20 - 1, key: "k", count: 1, wantCalls: []int{1}},
		{name: "one byte over", dataLen: 1 << 20, key: "k", count: 1, wantErr: "record 1 is 1048577 bytes"},
		{name: "raised stream limit", maxKiB: 2048, dataLen: 1536 << 10, key: "k", count: 1, wantCalls: []int{1}},
		{name: "10 MiB per call", dataLen: 1 << 20, key: "kk", count: 25, maxKiB: 2048, wantCalls: []int{9, 9, 7}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fs := newFakeStream("s", 1)
			fs.maxKiB = tt.maxKiB
			_, err := newClient(fs.api()).Put(context.Background(), PutOptions{Stream: "s", Key: tt.key, Count: tt.count}, Repeat(make([]byte, tt.dataLen)), nil)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want %q", err, tt.wantErr)
				}
			} else if err != nil {
				t.Fatal(err)
			}
			var calls []int
			for _, c := range fs.puts {
				calls = append(calls, c.n)
			}
			if !equalInts(calls, tt.wantCalls) {
				t.Errorf("calls %v, want %v", calls, tt.wantCalls)
			}
		})
	}
}

func TestPutStopsAtAFatalError(t *testing.T) {
	fs := newFakeStream("s", 1)
	fs.callError = func(call int) error {
		if call == 1 {
			return &types.AccessDeniedException{Message: aws.String("not allowed")}
		}
		return nil
	}
	res, err := newClient(fs.api()).Put(context.Background(), PutOptions{Stream: "s", Key: "k", Count: 1000}, Repeat([]byte("x")), nil)
	if err == nil || !strings.Contains(err.Error(), "not allowed") || !strings.Contains(err.Error(), "put to s") {
		t.Fatalf("err = %v", err)
	}
	if res.Sent != 500 || res.Failed != 500 || res.Errors["AccessDeniedException"] != 500 || len(fs.puts) != 2 {
		t.Errorf("result %+v after %d calls", res, len(fs.puts))
	}
}

func TestPutSourceErrors(t *testing.T) {
	fs := newFakeStream("s", 1)
	boom := errors.New("disk on fire")
	src := SourceFunc(func(info RecordInfo) ([]byte, error) {
		if info.Seq == 3 {
			return nil, boom
		}
		return []byte("x"), nil
	})
	res, err := newClient(fs.api()).Put(context.Background(), PutOptions{Stream: "s", Key: "k"}, src, nil)
	if !errors.Is(err, boom) || !strings.Contains(err.Error(), "record 3") || res.Sent != 0 || len(fs.puts) != 0 {
		t.Errorf("err %v, result %+v, calls %d", err, res, len(fs.puts))
	}
}

func TestRandomHashKey(t *testing.T) {
	ranges := []hashkey.Range{
		{Start: hashkey.Key{}, End: hashkey.Max},
		{Start: hashkey.MustParse("100"), End: hashkey.MustParse("100")},
		{Start: hashkey.MustParse("100"), End: hashkey.MustParse("101")},
		{Start: hashkey.MustParse("18446744073709551615"), End: hashkey.MustParse("18446744073709551620")},
	}
	ranges = append(ranges, hashkey.Split(7)...)
	for _, r := range ranges {
		seen := map[hashkey.Key]bool{}
		for range 200 {
			k := RandomHashKey(r)
			if !r.Contains(k) {
				t.Fatalf("RandomHashKey(%v..%v) = %v", r.Start, r.End, k)
			}
			seen[k] = true
		}
		width, _ := r.End.Sub(r.Start)
		if width.Hi == 0 && width.Lo < 10 && uint64(len(seen)) != width.Lo+1 {
			t.Errorf("range of %d keys: saw %d", width.Lo+1, len(seen))
		}
	}
}
