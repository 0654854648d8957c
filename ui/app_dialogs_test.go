package ui

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/kinspect/kinspect/kinesisx"
	"github.com/kinspect/kinspect/kinesisx/hashkey"
	"github.com/kinspect/kinspect/ui/internal/uitest"
)

// fakeWriter is a Writer that refuses everything; the dialogs' own tests
// cover the flows, these check the routing.
type fakeWriter struct{ *fakeKinesis }

var errFake = errors.New("fake writer refuses")

func (fakeWriter) PlanPut(context.Context, kinesisx.PutOptions) (*kinesisx.PutPlan, error) {
	return nil, errFake
}
func (fakeWriter) Put(context.Context, kinesisx.PutOptions, kinesisx.RecordSource, func(kinesisx.PutResult)) (kinesisx.PutResult, error) {
	return kinesisx.PutResult{}, errFake
}
func (fakeWriter) PlanSplit(context.Context, string, string, hashkey.Key) (kinesisx.ReshardPlan, error) {
	return kinesisx.ReshardPlan{}, errFake
}
func (fakeWriter) Split(context.Context, string, string, hashkey.Key) error { return errFake }
func (fakeWriter) PlanMerge(context.Context, string, string, string) (kinesisx.ReshardPlan, error) {
	return kinesisx.ReshardPlan{}, errFake
}
func (fakeWriter) Merge(context.Context, string, string, string) error { return errFake }
func (fakeWriter) PlanScale(context.Context, string, int) (kinesisx.ReshardPlan, error) {
	return kinesisx.ReshardPlan{}, errFake
}
func (fakeWriter) Scale(context.Context, string, int) error               { return errFake }
func (fakeWriter) WaitActive(context.Context, string, func(string)) error { return errFake }
func (fakeWriter) ListConsumers(context.Context, string) ([]kinesisx.Consumer, error) {
	return []kinesisx.Consumer{{Name: "kinspect-x-1", Status: "ACTIVE", CreatedAt: time.Now(), Kinspect: true}}, nil
}
func (fakeWriter) ReadHeartbeats(_ context.Context, cs []kinesisx.Consumer) []kinesisx.Consumer {
	return cs
}
func (fakeWriter) DeregisterConsumer(context.Context, string) error { return errFake }
func (fakeWriter) PruneConsumers(context.Context, string, time.Duration) ([]kinesisx.Consumer, error) {
	return nil, errFake
}

func TestPutDialogOverTail(t *testing.T) {
	w := fakeWriter{}
	d := newDriver(t, setup{Stream: "orders", Writer: w, Consumers: w}, 100, 24)
	d.keys("t", "enter") // tail the stream
	d.keys("p")
	if s := d.screen(); !strings.Contains(s, "Put records to orders") || !strings.Contains(s, "data/template") {
		t.Fatalf("p on the tail should open the put dialog:\n%s", s)
	}
	if d.k.allClosed() {
		t.Fatal("the tail should keep running under the dialog")
	}
	d.checkFits(100, 24)
	d.keys("q") // typed into the form, not a quit
	if d.quit {
		t.Fatal("q in a dialog must not quit")
	}
	d.keys("enter")
	if s := d.screen(); !strings.Contains(s, "fake writer refuses") {
		t.Errorf("the plan's refusal should show in the dialog:\n%s", s)
	}
	d.keys("esc")
	if d.a.overlay != nil || d.k.allClosed() || !strings.Contains(d.screen(), "● live") {
		t.Errorf("esc should close the dialog and leave the tail:\n%s", d.screen())
	}
}

func TestSplitDialogFromStream(t *testing.T) {
	d := newDriver(t, setup{Stream: "orders", Writer: fakeWriter{}}, 120, 24)
	d.keys("s")
	s := d.screen()
	if !strings.Contains(s, "Split shardId-000000000000 of orders") || !strings.Contains(s, "midpoint") {
		t.Fatalf("s should open the split dialog on the selected shard:\n%s", s)
	}
	d.keys("enter")
	if s := d.screen(); !strings.Contains(s, "fake writer refuses") {
		t.Errorf("the plan's refusal should show:\n%s", s)
	}
}

func TestConsumersCommand(t *testing.T) {
	d := newDriver(t, setup{Stream: "orders", Consumers: fakeWriter{}}, 120, 12)
	d.keys(":")
	for _, k := range uitest.Type("consumers") {
		d.send(k)
	}
	d.keys("enter")
	s := d.screen()
	if !strings.Contains(s, "orders › consumers") || !strings.Contains(s, "kinspect-x-1") || !strings.Contains(s, "d deregister") {
		t.Errorf(":consumers should list the stream's consumers:\n%s", s)
	}
}
