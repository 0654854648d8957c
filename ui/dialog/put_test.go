package dialog

import (
	"context"
	"errors"
	"strings"
	"testing"

	"charm.land/lipgloss/v2"

	"github.com/kinspect/kinspect/kinesisx"
	"github.com/kinspect/kinspect/kinesisx/hashkey"
	"github.com/kinspect/kinspect/ui/internal/uitest"
	"github.com/kinspect/kinspect/ui/screen"
)

func newPut(t *testing.T, f *fakeWriter, shard string, w, h int) *Put {
	return open(t, NewPut(context.Background(), 1, "orders", shard, deps(f, nil)), w, h).(*Put)
}

func TestPutPreviewFollowsKeyMode(t *testing.T) {
	f := fourShards()
	p := newPut(t, f, "", 120, 30)
	want, _ := kinesisx.ShardForKey(f.shards, "kinspect-test")
	if s := plainView(p); !strings.Contains(s, "→ hash "+hashkey.FromPartitionKey("kinspect-test").String()+" → "+want.ID) {
		t.Errorf("the fixed key should preview its shard:\n%s", s)
	}
	p.focus(rowMode)
	tests := []struct {
		key, typed, want string
	}{
		{"right", "", "spread over the 4 open shards"},
		{"right", "0", "→ " + shardID(0)},
		{"right", "", "a random hash key in"},
	}
	for _, tt := range tests {
		press(p, tt.key)
		if tt.typed != "" {
			p.focus(rowKey)
			p.inputs[rowKey].SetValue(tt.typed)
			p.focus(rowMode)
		}
		if s := plainView(p); !strings.Contains(s, tt.want) {
			t.Errorf("mode %v: want %q:\n%s", keyModes[p.mode], tt.want, s)
		}
	}
	p.inputs[rowKey].SetValue("shardId-999")
	if s := plainView(p); !strings.Contains(s, "no such shard; open: "+shardID(0)) {
		t.Errorf("an unknown shard should say which are open:\n%s", s)
	}
}

func TestPutFlow(t *testing.T) {
	f := fourShards()
	f.putRes = kinesisx.PutResult{Sent: 3, Retries: 1, Shards: map[string]int{shardID(2): 3}, Errors: map[string]int{"ProvisionedThroughputExceededException": 1}}
	p := newPut(t, f, "", 100, 30)
	p.inputs[rowData].SetValue("hello-{{seq}}")
	p.inputs[rowCount].SetValue("3")
	press(p, "enter")
	if p.stage != stageConfirm {
		t.Fatalf("enter should plan and confirm, stage %d, err %v", p.stage, p.err)
	}
	s := plainView(p)
	for _, want := range []string{"Send 3 record(s) with fixed key", "aws kinesis put-record --stream-name orders --partition-key kinspect-test", "--data hello-1"} {
		if !strings.Contains(s, want) {
			t.Errorf("confirmation lacks %q:\n%s", want, s)
		}
	}
	if strings.Contains(f.called(), "put;") || strings.HasSuffix(f.called(), "put") {
		t.Fatal("nothing may be sent before y")
	}
	msgs := press(p, "y")
	if got := strings.Join(f.data, ","); got != "hello-1,hello-2,hello-3" {
		t.Errorf("sent %q", got)
	}
	if _, ok := uitest.Find[screen.InfoMsg](msgs); !ok {
		t.Error("a put should say what it sent on the status line")
	}
	s = plainView(p)
	for _, want := range []string{"✓ done", "sent 3", "retries 1", shardID(2) + "   3", "ProvisionedThroughputExceededException"} {
		if !strings.Contains(s, want) {
			t.Errorf("result lacks %q:\n%s", want, s)
		}
	}
	if msgs := press(p, "enter"); len(msgs) != 1 {
		t.Errorf("enter should close the result: %v", msgs)
	}
}

func TestPutRefusals(t *testing.T) {
	tests := []struct {
		name  string
		edit  func(p *Put)
		plan  error
		want  string
		plans bool
	}{
		{"bad count", func(p *Put) { p.inputs[rowCount].SetValue("zero") }, nil, "count: want a whole number", false},
		{"bad rate", func(p *Put) { p.inputs[rowRate].SetValue("-1") }, nil, "rate: want records per second", false},
		{"bad template", func(p *Put) { p.inputs[rowData].SetValue("{{nope}}") }, nil, "unknown placeholder", false},
		{"read-only", func(*Put) {}, kinesisx.ErrReadOnly, "read-only mode refused it", true},
		{"not active", func(*Put) {}, errors.New("put: stream orders is CREATING"), "stream orders is CREATING", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := fourShards()
			f.planErr = tt.plan
			p := newPut(t, f, "", 100, 20)
			tt.edit(p)
			press(p, "enter")
			if p.stage != stageForm || !strings.Contains(plainView(p), tt.want) {
				t.Errorf("stage %d, want %q on screen:\n%s", p.stage, tt.want, plainView(p))
			}
			if planned := strings.Contains(f.called(), "plan put"); planned != tt.plans {
				t.Errorf("planned %v, want %v (%s)", planned, tt.plans, f.called())
			}
			if strings.Contains(f.called(), "; put") || f.called() == "put" {
				t.Error("nothing may be sent")
			}
		})
	}
}

func TestPutTargetShard(t *testing.T) {
	f := fourShards()
	p := newPut(t, f, shardID(3), 100, 20)
	if keyModes[p.mode] != kinesisx.KeyShard || p.inputs[rowKey].Value() != shardID(3) {
		t.Fatalf("a selected shard should start in target-shard mode: %v %q", keyModes[p.mode], p.inputs[rowKey].Value())
	}
	press(p, "enter", "y")
	if len(f.puts) != 1 || f.puts[0].Keys != kinesisx.KeyShard || f.puts[0].ShardID != shardID(3) {
		t.Errorf("put options %+v", f.puts)
	}
}

func TestPutFits(t *testing.T) {
	for _, w := range []int{40, 80, 120} {
		f := fourShards()
		p := newPut(t, f, "", w, 12)
		for _, keys := range [][]string{nil, {"enter"}, {"y"}} {
			press(p, keys...)
			lines := strings.Split(p.View(), "\n")
			if len(lines) != 12 {
				t.Errorf("width %d: %d lines", w, len(lines))
			}
			for _, l := range lines {
				if lipgloss.Width(l) > w {
					t.Errorf("width %d: line %q too wide", w, l)
				}
			}
		}
	}
}

func TestPutCommandQuotes(t *testing.T) {
	got := PutCommand(kinesisx.PutOptions{Stream: "s", Keys: kinesisx.KeyHash, HashKey: "42"}, []byte(`{"a":"it's"}`))
	want := `aws kinesis put-record --stream-name s --explicit-hash-key 42 --partition-key '<random key>' --cli-binary-format raw-in-base64-out --data '{"a":"it'\''s"}'`
	if got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
}
