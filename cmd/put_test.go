package cmd

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/kinspect/kinspect/kinesisx"
	"github.com/kinspect/kinspect/kinesisx/hashkey"
	"github.com/kinspect/kinspect/kinesisx/local"
)

func TestPutFlags(t *testing.T) {
	tests := []struct {
		args    []string
		want    kinesisx.PutOptions
		wantErr string
	}{
		{args: []string{"s", "--data", "x"}, want: kinesisx.PutOptions{Stream: "s", Keys: kinesisx.KeyRandom, Count: 1, ReadAhead: true}},
		{args: []string{"s", "--key", "k", "--data", ""}, want: kinesisx.PutOptions{Stream: "s", Keys: kinesisx.KeyFixed, Key: "k", Count: 1, ReadAhead: true}},
		{args: []string{"s", "--key", "k"}, want: kinesisx.PutOptions{Stream: "s", Keys: kinesisx.KeyFixed, Key: "k", ReadAhead: true}},
		{args: []string{"s", "--random-keys", "--template", "{{seq}}", "--count", "5", "--rate", "2.5"}, want: kinesisx.PutOptions{Stream: "s", Keys: kinesisx.KeyRandom, Count: 5, Rate: 2.5}},
		{args: []string{"s", "--hash-key", "7", "--key", "pk", "--file", "f"}, want: kinesisx.PutOptions{Stream: "s", Keys: kinesisx.KeyHash, HashKey: "7", Key: "pk", Count: 1, ReadAhead: true}},
		{args: []string{"s", "--shard", "shardId-1", "--count", "3"}, want: kinesisx.PutOptions{Stream: "s", Keys: kinesisx.KeyShard, ShardID: "shardId-1", Count: 3, ReadAhead: true}},
		{args: []string{"s", "--random-keys", "--key", "k"}, wantErr: "choose one of --key"},
		{args: []string{"s", "--random-keys", "--key", ""}, wantErr: "choose one of --key"},
		{args: []string{"s", "--key", ""}, wantErr: "--key: partition key is empty"},
		{args: []string{"s", "--hash-key", "-1"}, wantErr: "--hash-key"},
		{args: []string{"s", "--hash-key", "1", "--shard", "x"}, wantErr: "choose one of --key"},
		{args: []string{"s", "--data", "a", "--file", "f"}, wantErr: "choose one of --data"},
		{args: []string{"s", "--count", "-1"}, wantErr: "--count"},
		{args: []string{"s", "--rate", "-1"}, wantErr: "--rate"},
		{args: []string{"s", "--data", "x", "--count", "0"}, wantErr: "--count 0: want at least 1"},
		{args: []string{"s", "--rate", "0"}, wantErr: "--rate 0: want a positive"},
		{args: []string{"s", "--rate", "NaN"}, wantErr: "--rate NaN"},
		{args: []string{"s", "--rate", "+Inf"}, wantErr: "--rate +Inf"},
		{args: []string{"s", "--rate", "1e-10"}, wantErr: "--rate 1e-10: want at least 0.001 records per second"},
		{args: []string{"s", "--rate", "1e-300"}, wantErr: "--rate 1e-300: want at least 0.001"},
		{args: []string{"s", "--rate", "0.0009"}, wantErr: "--rate 0.0009: want at least 0.001"},
		{args: []string{"s", "--data", "x", "--rate", "0.001"}, want: kinesisx.PutOptions{Stream: "s", Keys: kinesisx.KeyRandom, Count: 1, Rate: 0.001, ReadAhead: true}},
		{args: []string{"s", "--template", "{{seq}}", "--count", "2"}, want: kinesisx.PutOptions{Stream: "s", Keys: kinesisx.KeyRandom, Count: 2, ReadAhead: true}},
		{args: []string{"s", "-o", "yaml"}, wantErr: "-o yaml"},
		{args: []string{}, wantErr: "accepts 1 arg"},
	}
	for _, tt := range tests {
		var got *putOptions
		c := newPutCmdWith(newFactory(Stdio{}), func(_ context.Context, o *putOptions) error { got = o; return nil })
		c.SetArgs(tt.args)
		c.SetOut(&strings.Builder{})
		c.SetErr(&strings.Builder{})
		err := c.Execute()
		if tt.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("%v: err = %v, want %q", tt.args, err, tt.wantErr)
			}
			continue
		}
		if err != nil {
			t.Errorf("%v: %v", tt.args, err)
			continue
		}
		if po := got.kinesisOptions(); po != tt.want {
			t.Errorf("%v:\n got %+v\nwant %+v", tt.args, po, tt.want)
		}
	}
}

func TestPutCommand(t *testing.T) {
	e := newWriteEnv(t, local.Options{})
	stream := e.stream(4)
	ranges := hashkey.Split(4)

	t.Run("fixed key, json summary, read back", func(t *testing.T) {
		r := e.run("", false, "put", "--yes", stream, "--key", "a", "--data", `{"hello":"world"}`, "--count", "10", "-o", "json")
		wantExit(t, r, 0, "")
		var sum struct {
			Sent, Failed, Retries int
			Shards                map[string]int
		}
		if err := json.Unmarshal([]byte(r.stdout), &sum); err != nil {
			t.Fatalf("%v in %q", err, r.stdout)
		}
		// MD5("a") lies in the first quarter of the key space.
		if sum.Sent != 10 || sum.Failed != 0 || len(sum.Shards) != 1 || sum.Shards["shardId-000000000000"] != 10 {
			t.Errorf("summary %+v", sum)
		}
		recs := e.readShard(stream, "shardId-000000000000")
		if len(recs) != 10 || aws.ToString(recs[0].PartitionKey) != "a" || string(recs[9].Data) != `{"hello":"world"}` {
			t.Errorf("read back %d records: %+v", len(recs), recs)
		}
	})

	t.Run("target shard with a template", func(t *testing.T) {
		r := e.run("", false, "put", "--yes", stream, "--shard", "shardId-000000000002", "--template", `{"id":{{seq}},"k":"{{key}}"}`, "--count", "700")
		wantExit(t, r, 0, "")
		if !strings.Contains(r.stdout, "sent 700 records") || !strings.Contains(r.stdout, "shardId-000000000002  700") {
			t.Errorf("stdout %q", r.stdout)
		}
		recs := e.readShard(stream, "shardId-000000000002")
		if len(recs) != 700 {
			t.Fatalf("shard 2 holds %d records", len(recs))
		}
		for i, rec := range recs {
			want := fmt.Sprintf(`{"id":%d,"k":"%s"}`, i+1, aws.ToString(rec.PartitionKey))
			if string(rec.Data) != want {
				t.Fatalf("record %d = %s, want %s", i, rec.Data, want)
			}
		}
	})

	t.Run("stdin lines with an explicit hash key", func(t *testing.T) {
		r := e.run("one\ntwo\n\nthree\n", false, "put", "--yes", stream, "--hash-key", ranges[3].End.String(), "--key", "pk")
		wantExit(t, r, 0, "")
		recs := e.readShard(stream, "shardId-000000000003")
		var got []string
		for _, rec := range recs {
			got = append(got, string(rec.Data))
		}
		if strings.Join(got, ",") != "one,two,three" {
			t.Errorf("shard 3 holds %q", got)
		}
	})

	before := len(e.readShard(stream, "shardId-000000000001"))
	bad := []struct {
		name string
		args []string
		code int
		want string
	}{
		{"oversized record", []string{"--key", "k", "--data", strings.Repeat("x", 1<<20)}, 1, "record 1 is 1048577 bytes"},
		{"empty key", []string{"--key", "", "--data", "x"}, 2, "--key: partition key is empty"},
		{"257-character key", []string{"--key", strings.Repeat("k", 257), "--data", "x"}, 2, "--key: partition key has 257 characters"},
		{"malformed hash key", []string{"--hash-key", "12x", "--data", "x"}, 2, `--hash-key: hash key "12x": not a decimal number`},
		{"unknown shard", []string{"--shard", "shardId-000000000099", "--data", "x"}, 1, "has no shard shardId-000000000099"},
		{"bad template", []string{"--template", "{{nope}}"}, 2, `unknown placeholder "nope"`},
		{"read-only", []string{"--read-only", "--key", "k", "--data", "x"}, 1, "read-only mode refused it"},
		{"unknown flag", []string{"--key", "k", "--data", "x", "--no-such-flag"}, 2, "unknown flag"},
	}
	for _, tt := range bad {
		t.Run(tt.name, func(t *testing.T) {
			r := e.run("", false, append([]string{"put", "--yes", stream}, tt.args...)...)
			wantExit(t, r, tt.code, tt.want)
			if n := strings.Count(strings.TrimSpace(r.stderr), "\n"); n != 0 {
				t.Errorf("error is %d lines: %q", n+1, r.stderr)
			}
		})
	}
	if after := len(e.readShard(stream, "shardId-000000000001")); after != before {
		t.Errorf("bad input changed the stream: %d -> %d records", before, after)
	}
	r := e.run("", false, "put", "--yes", "no-such-stream", "--key", "k", "--data", "x")
	wantExit(t, r, 1, "no-such-stream")
}

// With the endpoint's limits on, a put far over a 2-shard stream's 2,000
// records/s is throttled, retried, and every record lands.
func TestPutThrottledRetriesUntilAllLand(t *testing.T) {
	if testing.Short() {
		t.Skip("takes a few seconds")
	}
	e := newWriteEnv(t, local.Options{Limits: true})
	stream := e.stream(2)
	r := e.run("", false, "put", "--yes", stream, "--random-keys", "--data", "x", "--count", "6000", "--rate", "6000", "-o", "json")
	wantExit(t, r, 0, "")
	var sum struct {
		Sent, Failed, Retries int
		Errors                map[string]int
	}
	if err := json.Unmarshal([]byte(r.stdout), &sum); err != nil {
		t.Fatal(err)
	}
	if sum.Sent != 6000 || sum.Failed != 0 || sum.Retries == 0 || sum.Errors["ProvisionedThroughputExceededException"] == 0 {
		t.Errorf("summary %+v", sum)
	}
	n := len(e.readShard(stream, "shardId-000000000000")) + len(e.readShard(stream, "shardId-000000000001"))
	if n != 6000 {
		t.Errorf("read back %d records, want 6000", n)
	}
	t.Logf("6000 records at 6000/s onto 2 shards: %d retries, errors %v", sum.Retries, sum.Errors)
}

// A put is a mutation like any other: without a terminal it needs --yes,
// and on one it shows the equivalent AWS CLI command before it asks.
func TestPutConfirms(t *testing.T) {
	e := newWriteEnv(t, local.Options{})
	stream := e.stream(1)
	r := e.run("", false, "put", stream, "--key", "k", "--data", "x")
	wantExit(t, r, 2, "--yes")
	r = e.run("n\n", true, "put", stream, "--key", "k", "--data", "x")
	wantExit(t, r, 1, "nothing was changed")
	r = e.run("y\n", true, "put", stream, "--key", "k", "--data", "x")
	wantExit(t, r, 0, "aws kinesis put-record --stream-name "+stream+" --partition-key k --data eA==")
}
