package cmd

import (
	"context"
	"strconv"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/kinspect/kinspect/kinesisx"
	"github.com/kinspect/kinspect/kinesisx/hashkey"
	"github.com/kinspect/kinspect/kinesisx/local"
)

func TestReshardFlags(t *testing.T) {
	f := newFactory(Stdio{})
	tests := []struct {
		cmd     func() (run func([]string) error, got func() string)
		args    []string
		want    string
		wantErr string
	}{
		{cmd: splitProbe(f), args: []string{"s", "shardId-1"}, want: "s shardId-1 mid false"},
		{cmd: splitProbe(f), args: []string{"s", "shardId-1", "--at", "median", "-y"}, want: "s shardId-1 median true"},
		{cmd: splitProbe(f), args: []string{"s", "shardId-1", "--at", "123"}, want: "s shardId-1 123 false"},
		{cmd: splitProbe(f), args: []string{"s", "shardId-1", "--at", "middle"}, wantErr: "--at: want mid, median or a decimal hash key"},
		{cmd: splitProbe(f), args: []string{"s"}, wantErr: "accepts 2 arg"},
		{cmd: mergeProbe(f), args: []string{"s", "a", "b", "--yes"}, want: "s a b true"},
		{cmd: mergeProbe(f), args: []string{"s", "a"}, wantErr: "accepts 3 arg"},
		{cmd: scaleProbe(f), args: []string{"s", "8"}, want: "s 8 false"},
		{cmd: scaleProbe(f), args: []string{"s", "eight"}, wantErr: `COUNT "eight"`},
		{cmd: scaleProbe(f), args: []string{"s", "0"}, wantErr: "positive"},
	}
	for _, tt := range tests {
		run, got := tt.cmd()
		err := run(tt.args)
		if tt.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("%v: err = %v, want %q", tt.args, err, tt.wantErr)
			}
			continue
		}
		if err != nil || got() != tt.want {
			t.Errorf("%v: got %q, %v; want %q", tt.args, got(), err, tt.want)
		}
	}
}

func execProbe(c *cobraCommand) func([]string) error {
	return func(args []string) error {
		c.SetArgs(args)
		c.SetOut(&strings.Builder{})
		c.SetErr(&strings.Builder{})
		return c.Execute()
	}
}

// flagCase is one command line of a flags test: what the parsed options
// read as (want), or the usage error it fails with (wantErr).
type flagCase struct {
	args    []string
	want    string
	wantErr string
}

// checkFlags runs each case through a fresh command from newCmd, whose
// stand-in run function writes the parsed options into *got.
func checkFlags(t *testing.T, cases []flagCase, newCmd func(got *string) *cobraCommand) {
	t.Helper()
	for _, tt := range cases {
		var got string
		err := execProbe(newCmd(&got))(tt.args)
		if tt.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("%v: err = %v, want %q", tt.args, err, tt.wantErr)
			}
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("%v: got %q, %v; want %q", tt.args, got, err, tt.want)
		}
	}
}

func splitProbe(f *Factory) func() (func([]string) error, func() string) {
	return func() (func([]string) error, func() string) {
		var s string
		c := newSplitCmdWith(f, func(_ context.Context, o *splitOptions) error {
			s = strings.Join([]string{o.Stream, o.Shard, o.At, boolStr(o.Yes)}, " ")
			return nil
		})
		return execProbe(c), func() string { return s }
	}
}

func mergeProbe(f *Factory) func() (func([]string) error, func() string) {
	return func() (func([]string) error, func() string) {
		var s string
		c := newMergeCmdWith(f, func(_ context.Context, o *mergeOptions) error {
			s = strings.Join([]string{o.Stream, o.Shard, o.Adjacent, boolStr(o.Yes)}, " ")
			return nil
		})
		return execProbe(c), func() string { return s }
	}
}

func scaleProbe(f *Factory) func() (func([]string) error, func() string) {
	return func() (func([]string) error, func() string) {
		var s string
		c := newScaleCmdWith(f, func(_ context.Context, o *scaleOptions) error {
			s = strings.Join([]string{o.Stream, strconv.Itoa(o.Count), boolStr(o.Yes)}, " ")
			return nil
		})
		return execProbe(c), func() string { return s }
	}
}

func boolStr(b bool) string {
	if b {
		return "true"
	}
	return "false"
}

func TestSplitCommand(t *testing.T) {
	e := newWriteEnv(t, local.Options{})
	stream := e.stream(2)
	half := hashkey.Split(2)

	// No terminal and no --yes: usage error, nothing changes.
	r := e.run("", false, "split", stream, "shardId-000000000000")
	wantExit(t, r, 2, "split shard needs confirmation: pass --yes")
	// A terminal, answered no, after the plan and its aws command.
	r = e.run("n\n", true, "split", stream, "shardId-000000000000")
	wantExit(t, r, 1, "cancelled: nothing was changed")
	if !strings.Contains(r.stderr, "aws kinesis split-shard --stream-name "+stream+" --shard-to-split shardId-000000000000 --new-starting-hash-key 85070591730234615865843651857942052864") {
		t.Errorf("no aws command shown: %s", r.stderr)
	}
	// Read-only refuses before asking.
	r = e.run("y\n", true, "--read-only", "split", stream, "shardId-000000000000")
	wantExit(t, r, 1, "read-only mode refused it")
	if strings.Contains(r.stderr, "Proceed?") {
		t.Error("read-only mode asked before refusing")
	}
	// Bad keys.
	r = e.run("", false, "split", stream, "shardId-000000000000", "--at", half[1].Start.String(), "--yes")
	wantExit(t, r, 1, "outside the shard")
	if got := openShardIDs(e.shards(stream)); len(got) != 2 {
		t.Fatalf("refused splits changed the stream: %v", got)
	}

	// A terminal, answered yes: split at the midpoint.
	r = e.run("y\n", true, "split", stream, "shardId-000000000000")
	wantExit(t, r, 0, "Proceed? [y/N]")
	shards := e.shards(stream)
	if got := openShardIDs(shards); strings.Join(got, ",") != "shardId-000000000001,shardId-000000000002,shardId-000000000003" {
		t.Fatalf("open shards after split: %v", got)
	}
	mid := kinesisx.MidpointKey(half[0])
	for _, s := range shards {
		id := aws.ToString(s.ShardId)
		if id != "shardId-000000000002" && id != "shardId-000000000003" {
			continue
		}
		if aws.ToString(s.ParentShardId) != "shardId-000000000000" {
			t.Errorf("%s has parent %q", id, aws.ToString(s.ParentShardId))
		}
		start, end := aws.ToString(s.HashKeyRange.StartingHashKey), aws.ToString(s.HashKeyRange.EndingHashKey)
		if !(start == "0" && end == mid.Dec().String()) && !(start == mid.String() && end == half[0].End.String()) {
			t.Errorf("%s covers %s..%s", id, start, end)
		}
	}
	for _, want := range []string{"shardId-000000000000  closed", "shardId-000000000002  open", "shardId-000000000003  open", "50.0%", "25.0%"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("lineage output lacks %q:\n%s", want, r.stdout)
		}
	}
	if !strings.Contains(r.stderr, "ACTIVE") {
		t.Errorf("no progress on stderr: %s", r.stderr)
	}

	// The parent is closed now.
	r = e.run("", false, "split", stream, "shardId-000000000000", "--yes")
	wantExit(t, r, 1, "cannot split shardId-000000000000: the shard is closed")
	r = e.run("", false, "split", stream, "shardId-000000000042", "--yes")
	wantExit(t, r, 1, "has no such shard")
}
