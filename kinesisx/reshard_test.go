package kinesisx

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kinesis"

	"github.com/kinspect/kinspect/kinesisx/hashkey"
)

// reshardRecorder fakes the three reshard calls and remembers what was sent.
type reshardRecorder struct {
	splits []*kinesis.SplitShardInput
	merges []*kinesis.MergeShardsInput
	scales []*kinesis.UpdateShardCountInput
}

func (r *reshardRecorder) api(fs *fakeStream) *fakeAPI {
	api := fs.api()
	api.SplitShardFn = func(_ context.Context, in *kinesis.SplitShardInput) (*kinesis.SplitShardOutput, error) {
		r.splits = append(r.splits, in)
		return &kinesis.SplitShardOutput{}, nil
	}
	api.MergeShardsFn = func(_ context.Context, in *kinesis.MergeShardsInput) (*kinesis.MergeShardsOutput, error) {
		r.merges = append(r.merges, in)
		return &kinesis.MergeShardsOutput{}, nil
	}
	api.UpdateShardCountFn = func(_ context.Context, in *kinesis.UpdateShardCountInput) (*kinesis.UpdateShardCountOutput, error) {
		r.scales = append(r.scales, in)
		return &kinesis.UpdateShardCountOutput{}, nil
	}
	return api
}

func (r *reshardRecorder) calls() int { return len(r.splits) + len(r.merges) + len(r.scales) }

// lineageStream has shard 0 closed (split into 2 and 3) and open shards 1, 2, 3:
// ranges by position: 2 = [0, q1-1], 3 = [q1, q2-1] (children of 0), 1 = [q2, max].
func lineageStream() *fakeStream {
	fs := newFakeStream("s", 2)
	half := hashkey.Split(2)
	q := hashkey.Split(4)
	fs.shards[0].SequenceNumberRange.EndingSequenceNumber = aws.String("50")
	fs.shards = append(fs.shards,
		sdkShard("shardId-000000000002", "shardId-000000000000", "", q[0], false),
		sdkShard("shardId-000000000003", "shardId-000000000000", "", hashkey.Range{Start: q[1].Start, End: half[0].End}, false),
	)
	return fs
}

func TestSplit(t *testing.T) {
	q := hashkey.Split(4)
	tests := []struct {
		name     string
		shard    string
		at       hashkey.Key
		readOnly bool
		setup    func(*fakeStream)
		wantErr  string
	}{
		{name: "at the midpoint", shard: "shardId-000000000002", at: MidpointKey(q[0])},
		{name: "read-only", shard: "shardId-000000000002", at: MidpointKey(q[0]), readOnly: true, wantErr: "read-only"},
		{name: "on-demand", shard: "shardId-000000000002", at: MidpointKey(q[0]), setup: func(fs *fakeStream) { fs.mode = "ON_DEMAND" }, wantErr: "ON_DEMAND"},
		{name: "updating", shard: "shardId-000000000002", at: MidpointKey(q[0]), setup: func(fs *fakeStream) { fs.status = "UPDATING" }, wantErr: "is UPDATING, not ACTIVE"},
		{name: "closed shard", shard: "shardId-000000000000", at: MidpointKey(q[0]), wantErr: "the shard is closed"},
		{name: "unknown shard", shard: "shardId-000000000042", at: MidpointKey(q[0]), wantErr: "has no such shard (open shards: shardId-000000000002, shardId-000000000003, shardId-000000000001)"},
		{name: "key outside the shard", shard: "shardId-000000000002", at: q[2].Start, wantErr: "outside the shard"},
		{name: "key at start+1", shard: "shardId-000000000002", at: hashkey.Key{Lo: 1}, wantErr: "outside the shard"},
		{name: "unknown stream", shard: "x", at: hashkey.Key{}, setup: func(fs *fakeStream) { fs.name = "other" }, wantErr: "describe stream s"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fs := lineageStream()
			if tt.setup != nil {
				tt.setup(fs)
			}
			rec := &reshardRecorder{}
			c := newClient(rec.api(fs), WithReadOnly(tt.readOnly))
			err := c.Split(context.Background(), "s", tt.shard, tt.at)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want %q", err, tt.wantErr)
				}
				if rec.calls() != 0 {
					t.Errorf("sent %d reshard calls despite the error", rec.calls())
				}
				if tt.readOnly && !errors.Is(err, ErrReadOnly) {
					t.Errorf("not ErrReadOnly: %v", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if len(rec.splits) != 1 || aws.ToString(rec.splits[0].ShardToSplit) != tt.shard || aws.ToString(rec.splits[0].NewStartingHashKey) != tt.at.String() || aws.ToString(rec.splits[0].StreamName) != "s" {
				t.Errorf("sent %+v", rec.splits)
			}
		})
	}
}

func TestPlanSplitCommand(t *testing.T) {
	q := hashkey.Split(4)
	p, err := newClient(lineageStream().api()).PlanSplit(context.Background(), "s", "shardId-000000000002", MidpointKey(q[0]))
	if err != nil {
		t.Fatal(err)
	}
	want := "aws kinesis split-shard --stream-name s --shard-to-split shardId-000000000002 --new-starting-hash-key 42535295865117307932921825928971026432"
	if p.Command != want {
		t.Errorf("command\n%s\nwant\n%s", p.Command, want)
	}
}

func TestMerge(t *testing.T) {
	tests := []struct {
		name          string
		a, b          string
		wantErr       string
		wantShard     string
		wantAdjacent  string
		wantCommandIn string
	}{
		{name: "in order", a: "shardId-000000000002", b: "shardId-000000000003", wantShard: "shardId-000000000002", wantAdjacent: "shardId-000000000003"},
		{name: "reversed is put in order", a: "shardId-000000000001", b: "shardId-000000000003", wantShard: "shardId-000000000003", wantAdjacent: "shardId-000000000001",
			wantCommandIn: "--shard-to-merge shardId-000000000003 --adjacent-shard-to-merge shardId-000000000001"},
		{name: "not adjacent", a: "shardId-000000000002", b: "shardId-000000000001", wantErr: "not adjacent; open shards adjacent to shardId-000000000002: shardId-000000000003"},
		{name: "same shard", a: "shardId-000000000003", b: "shardId-000000000003", wantErr: "with itself"},
		{name: "closed", a: "shardId-000000000000", b: "shardId-000000000001", wantErr: "cannot merge shardId-000000000000: the shard is closed"},
		{name: "unknown", a: "shardId-000000000002", b: "nope", wantErr: "cannot merge nope: stream s has no such shard"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := &reshardRecorder{}
			c := newClient(rec.api(lineageStream()))
			p, perr := c.PlanMerge(context.Background(), "s", tt.a, tt.b)
			err := c.Merge(context.Background(), "s", tt.a, tt.b)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) || perr == nil {
					t.Fatalf("err = %v, want %q", err, tt.wantErr)
				}
				if rec.calls() != 0 {
					t.Errorf("sent despite the error")
				}
				return
			}
			if err != nil || perr != nil {
				t.Fatal(err, perr)
			}
			if len(rec.merges) != 1 || aws.ToString(rec.merges[0].ShardToMerge) != tt.wantShard || aws.ToString(rec.merges[0].AdjacentShardToMerge) != tt.wantAdjacent {
				t.Errorf("sent %+v", rec.merges)
			}
			if !strings.Contains(p.Command, "aws kinesis merge-shards --stream-name s --shard-to-merge "+tt.wantShard) || !strings.Contains(p.Command, tt.wantCommandIn) {
				t.Errorf("command %q", p.Command)
			}
		})
	}
}

func TestScale(t *testing.T) {
	tests := []struct {
		target  int
		mode    string
		wantErr string
	}{
		{target: 2}, {target: 6}, {target: 5},
		{target: 1, wantErr: "between half and double the open count (2 to 6)"},
		{target: 7, wantErr: "from 3 to 7 shards"},
		{target: 3, wantErr: "already has 3 open shards"},
		{target: 0, wantErr: "at least 1"},
		{target: 4, mode: "ON_DEMAND", wantErr: "ON_DEMAND"},
	}
	for _, tt := range tests {
		fs := lineageStream()
		if tt.mode != "" {
			fs.mode = tt.mode
		}
		rec := &reshardRecorder{}
		err := newClient(rec.api(fs)).Scale(context.Background(), "s", tt.target)
		if tt.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) || rec.calls() != 0 {
				t.Errorf("target %d: err = %v (calls %d), want %q", tt.target, err, rec.calls(), tt.wantErr)
			}
			continue
		}
		if err != nil || len(rec.scales) != 1 || aws.ToInt32(rec.scales[0].TargetShardCount) != int32(tt.target) || rec.scales[0].ScalingType != "UNIFORM_SCALING" {
			t.Errorf("target %d: err %v, sent %+v", tt.target, err, rec.scales)
		}
	}
	if got := ScaleCommand("s", 6); got != "aws kinesis update-shard-count --stream-name s --target-shard-count 6 --scaling-type UNIFORM_SCALING" {
		t.Errorf("ScaleCommand = %q", got)
	}
}

func TestWaitActive(t *testing.T) {
	tests := []struct {
		name       string
		statuses   []string
		cancelAt   int
		wantErr    string
		wantDelays []time.Duration
	}{
		{name: "already active", statuses: []string{"ACTIVE"}},
		{name: "after updates", statuses: []string{"UPDATING", "UPDATING", "UPDATING", "ACTIVE"}, wantDelays: []time.Duration{time.Second, 1500 * time.Millisecond, 2250 * time.Millisecond}},
		{name: "deleted", statuses: []string{"UPDATING", "DELETING"}, wantErr: "being deleted"},
		{name: "cancelled", statuses: []string{"UPDATING", "UPDATING", "UPDATING"}, cancelAt: 2, wantErr: "still UPDATING"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fs := newFakeStream("s", 1)
			api := fs.api()
			polls := 0
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			api.DescribeStreamSummaryFn = func(ctx context.Context, in *kinesis.DescribeStreamSummaryInput) (*kinesis.DescribeStreamSummaryOutput, error) {
				fs.status = tt.statuses[min(polls, len(tt.statuses)-1)]
				polls++
				if polls == tt.cancelAt {
					cancel()
				}
				return fs.describe(ctx, in)
			}
			clk := newFakeClock()
			var seen []string
			err := newClient(api, clk.options()...).WaitActive(ctx, "s", func(s string) { seen = append(seen, s) })
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want %q", err, tt.wantErr)
				}
			} else if err != nil {
				t.Fatal(err)
			}
			if tt.cancelAt == 0 && strings.Join(seen, ",") != strings.Join(tt.statuses, ",") {
				t.Errorf("progress %v, want %v", seen, tt.statuses)
			}
			if tt.wantDelays != nil && !equalDurations(clk.delays, tt.wantDelays) {
				t.Errorf("delays %v", clk.delays)
			}
		})
	}
}

func TestAWSCommandsQuote(t *testing.T) {
	tests := []struct{ got, want string }{
		{MergeCommand("my stream", "a", "b"), "aws kinesis merge-shards --stream-name 'my stream' --shard-to-merge a --adjacent-shard-to-merge b"},
		{MonitoringCommand("it's", true, []string{"ALL"}), `aws kinesis enable-enhanced-monitoring --stream-name 'it'\''s' --shard-level-metrics ALL`},
		{MonitoringCommand("s", false, []string{"IncomingBytes", "OutgoingBytes"}), "aws kinesis disable-enhanced-monitoring --stream-name s --shard-level-metrics IncomingBytes OutgoingBytes"},
		{DeregisterConsumerCommand("arn:aws:kinesis:us-east-1:1:stream/s/consumer/c:1"), "aws kinesis deregister-stream-consumer --consumer-arn arn:aws:kinesis:us-east-1:1:stream/s/consumer/c:1"},
		{RegisterConsumerCommand("arn:x", "kinspect-h-1"), "aws kinesis register-stream-consumer --stream-arn arn:x --consumer-name kinspect-h-1"},
		{AWSCommand("x", ""), "aws kinesis x ''"},
		{AWSCommand("$(rm -rf /)"), "aws kinesis '$(rm -rf /)'"},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("got  %s\nwant %s", tt.got, tt.want)
		}
	}
}
