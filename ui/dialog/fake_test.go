package dialog

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
	"go.uber.org/goleak"

	"github.com/kinspect/kinspect/kinesisx"
	"github.com/kinspect/kinspect/kinesisx/hashkey"
	"github.com/kinspect/kinspect/session"
	"github.com/kinspect/kinspect/ui/internal/uitest"
	"github.com/kinspect/kinspect/ui/screen"
	"github.com/kinspect/kinspect/ui/theme"
)

// TestMain checks for leaked goroutines. A cursor blink abandoned by drive
// ends by itself within 530 ms; it is not a leak.
func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m, goleak.IgnoreTopFunction("charm.land/bubbles/v2/cursor.(*Model).Blink.func1"))
}

// fakeWriter records the calls of the dialogs; a field error makes the
// matching call fail.
type fakeWriter struct {
	mu      sync.Mutex
	stream  kinesisx.Stream
	shards  []kinesisx.Shard
	after   []kinesisx.Shard // ListShards once a reshard was sent
	planErr error
	runErr  error
	putRes  kinesisx.PutResult
	calls   []string
	puts    []kinesisx.PutOptions
	data    []string
	changed bool
}

func (f *fakeWriter) call(s string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls = append(f.calls, s)
}

func (f *fakeWriter) called() string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return strings.Join(f.calls, "; ")
}

func (f *fakeWriter) DescribeStream(context.Context, string) (kinesisx.Stream, error) {
	return f.stream, nil
}

func (f *fakeWriter) ListShards(context.Context, string) ([]kinesisx.Shard, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.changed && f.after != nil {
		return f.after, nil
	}
	return f.shards, nil
}

func (f *fakeWriter) PlanPut(_ context.Context, o kinesisx.PutOptions) (*kinesisx.PutPlan, error) {
	f.call(fmt.Sprintf("plan put %v count %d", o.Keys, o.Count))
	if f.planErr != nil {
		return nil, f.planErr
	}
	p := &kinesisx.PutPlan{Stream: f.stream}
	if o.Keys == kinesisx.KeyFixed {
		if s, ok := kinesisx.ShardForKey(f.shards, o.Key); ok {
			p.Target = &s
		}
	}
	return p, nil
}

func (f *fakeWriter) Put(_ context.Context, o kinesisx.PutOptions, src kinesisx.RecordSource, progress func(kinesisx.PutResult)) (kinesisx.PutResult, error) {
	f.call("put")
	for i := 1; i <= o.Count; i++ {
		b, err := src.Next(kinesisx.RecordInfo{Seq: i, Key: o.Key})
		if err != nil {
			return kinesisx.PutResult{}, err
		}
		f.mu.Lock()
		f.puts, f.data = append(f.puts, o), append(f.data, string(b))
		f.mu.Unlock()
	}
	progress(kinesisx.PutResult{Sent: 1})
	return f.putRes, f.runErr
}

func (f *fakeWriter) plan(what string) (kinesisx.ReshardPlan, error) {
	f.call("plan " + what)
	return kinesisx.ReshardPlan{Stream: f.stream, Shards: f.shards}, f.planErr
}

func (f *fakeWriter) PlanSplit(_ context.Context, stream, shard string, at hashkey.Key) (kinesisx.ReshardPlan, error) {
	p, err := f.plan("split " + shard + " at " + at.String())
	p.ShardID, p.At, p.Command = shard, at, kinesisx.SplitCommand(stream, shard, at)
	return p, err
}

func (f *fakeWriter) Split(_ context.Context, _, shard string, at hashkey.Key) error {
	return f.run("split " + shard + " at " + at.String())
}

func (f *fakeWriter) PlanMerge(_ context.Context, stream, a, b string) (kinesisx.ReshardPlan, error) {
	p, err := f.plan("merge " + a + " " + b)
	p.ShardID, p.Adjacent, p.Command = a, b, kinesisx.MergeCommand(stream, a, b)
	return p, err
}

func (f *fakeWriter) Merge(_ context.Context, _, a, b string) error {
	return f.run("merge " + a + " " + b)
}

func (f *fakeWriter) PlanScale(_ context.Context, stream string, n int) (kinesisx.ReshardPlan, error) {
	p, err := f.plan(fmt.Sprint("scale ", n))
	p.OpenShards, p.Target, p.Command = len(openIDs(f.shards)), n, kinesisx.ScaleCommand(stream, n)
	return p, err
}

func (f *fakeWriter) Scale(_ context.Context, _ string, n int) error {
	return f.run(fmt.Sprint("scale ", n))
}

func (f *fakeWriter) run(what string) error {
	f.call(what)
	if f.runErr != nil {
		return f.runErr
	}
	f.mu.Lock()
	f.changed = true
	f.mu.Unlock()
	return nil
}

func (f *fakeWriter) WaitActive(_ context.Context, _ string, progress func(string)) error {
	f.call("wait")
	progress("UPDATING")
	progress("ACTIVE")
	return nil
}

func shardID(i int) string { return fmt.Sprintf("shardId-%012d", i) }

// fourShards is a stream of four open shards.
func fourShards() *fakeWriter {
	f := &fakeWriter{stream: kinesisx.Stream{Name: "orders", Status: "ACTIVE", Mode: "PROVISIONED", MaxRecordSizeKiB: 1024}}
	for i, r := range hashkey.Split(4) {
		f.shards = append(f.shards, kinesisx.Shard{ID: shardID(i), HashRange: r, Open: true})
	}
	return f
}

// drive runs cmd and feeds every message it yields back to m, as the
// event loop would, collecting the messages meant for the root. A Cmd
// that waits (a cursor blink) is abandoned after a moment; it ends on its
// own.
func drive(m screen.Model, cmd tea.Cmd) []tea.Msg {
	if cmd == nil {
		return nil
	}
	done := make(chan tea.Msg, 1)
	go func() { done <- cmd() }()
	var msg tea.Msg
	select {
	case msg = <-done:
	case <-time.After(50 * time.Millisecond):
		return nil
	}
	switch msg := msg.(type) {
	case nil:
		return nil
	case tea.BatchMsg:
		var root []tea.Msg
		for _, c := range msg {
			root = append(root, drive(m, c)...)
		}
		return root
	case screen.BackMsg, screen.InfoMsg, screen.ErrorMsg, screen.StreamChangedMsg:
		return []tea.Msg{msg}
	default:
		return drive(m, m.Update(msg))
	}
}

// open builds, sizes and loads a dialog.
func open(t *testing.T, m screen.Model, w, h int) screen.Model {
	t.Helper()
	m.SetSize(w, h)
	drive(m, m.Init())
	t.Cleanup(m.Close)
	return m
}

func press(m screen.Model, keys ...string) []tea.Msg {
	var out []tea.Msg
	for _, k := range keys {
		out = append(out, drive(m, m.Update(uitest.Key(k)))...)
	}
	return out
}

func typeText(m screen.Model, s string) {
	for _, k := range uitest.Type(s) {
		drive(m, m.Update(k))
	}
}

func plainView(m screen.Model) string { return ansi.Strip(m.View()) }

func styles() *theme.Styles {
	st := theme.New(theme.Plain())
	return &st
}

func deps(f *fakeWriter, s *session.Traffic) Deps {
	return Deps{Writer: f, Traffic: s, Styles: styles()}
}

// flat is the screen with runs of white space as one space, so that a
// wrapped command reads as one line.
// flat is the screen's words on one line, a command's " \" line
// continuations undone.
func flat(m screen.Model) string {
	return strings.ReplaceAll(strings.Join(strings.Fields(plainView(m)), " "), ` \ `, " ")
}
