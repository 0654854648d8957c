package kinesisx

import (
	"context"
	"errors"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kinesis"
	"github.com/aws/aws-sdk-go-v2/service/kinesis/types"
)

func TestDeregisterConsumer(t *testing.T) {
	tests := []struct {
		name     string
		readOnly bool
		apiErr   error
		wantErr  string
		wantKept bool
	}{
		{name: "deregisters"},
		{name: "already gone is fine", apiErr: &types.ResourceNotFoundException{Message: aws.String("gone")}},
		{name: "limit error is reported", apiErr: &types.LimitExceededException{Message: aws.String("slow down")}, wantErr: "slow down", wantKept: true},
		{name: "read-only refuses", readOnly: true, wantErr: "read-only", wantKept: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var sent []string
			api := &fakeAPI{DeregisterStreamConsumerFn: func(_ context.Context, in *kinesis.DeregisterStreamConsumerInput) (*kinesis.DeregisterStreamConsumerOutput, error) {
				sent = append(sent, aws.ToString(in.ConsumerARN))
				return &kinesis.DeregisterStreamConsumerOutput{}, tt.apiErr
			}}
			c := newClient(api, WithReadOnly(tt.readOnly))
			c.consumer.add("arn:c1", testStreamARN)
			err := c.DeregisterConsumer(context.Background(), "arn:c1")
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want %q", err, tt.wantErr)
				}
			} else if err != nil {
				t.Fatal(err)
			}
			if tt.readOnly != (len(sent) == 0) {
				t.Errorf("sent %v", sent)
			}
			if _, kept := c.consumer.all()["arn:c1"]; kept != tt.wantKept {
				t.Errorf("kept in registry = %v", kept)
			}
		})
	}
}

func TestCleanupConsumers(t *testing.T) {
	var sent []string
	api := &fakeAPI{DeregisterStreamConsumerFn: func(ctx context.Context, in *kinesis.DeregisterStreamConsumerInput) (*kinesis.DeregisterStreamConsumerOutput, error) {
		arn := aws.ToString(in.ConsumerARN)
		sent = append(sent, arn)
		if arn == "arn:bad" {
			return nil, &types.LimitExceededException{Message: aws.String("rate exceeded")}
		}
		return &kinesis.DeregisterStreamConsumerOutput{}, ctx.Err()
	}}
	c := newClient(api)
	for _, arn := range []string{"arn:a", "arn:bad", "arn:b"} {
		c.consumer.add(arn, testStreamARN)
	}
	err := c.CleanupConsumers(context.Background())
	if err == nil || !strings.Contains(err.Error(), "arn:bad") || !strings.Contains(err.Error(), "rate exceeded") {
		t.Errorf("err = %v", err)
	}
	sort.Strings(sent)
	if strings.Join(sent, ",") != "arn:a,arn:b,arn:bad" {
		t.Errorf("deregistered %v", sent)
	}
	left := c.consumer.all()
	if len(left) != 1 || left["arn:bad"] == "" {
		t.Errorf("registry after cleanup: %v", left)
	}
	// A second cleanup retries only what failed.
	sent = nil
	api.DeregisterStreamConsumerFn = func(context.Context, *kinesis.DeregisterStreamConsumerInput) (*kinesis.DeregisterStreamConsumerOutput, error) {
		sent = append(sent, "x")
		return &kinesis.DeregisterStreamConsumerOutput{}, nil
	}
	if err := c.CleanupConsumers(context.Background()); err != nil || len(sent) != 1 || len(c.consumer.all()) != 0 {
		t.Errorf("second cleanup: err %v, sent %d, left %v", err, len(sent), c.consumer.all())
	}
}

func TestStaleConsumers(t *testing.T) {
	now := time.Date(2026, 11, 26, 8, 0, 0, 0, time.UTC)
	cs := []Consumer{
		{Name: "kinspect-a-1", Status: ConsumerActive, CreatedAt: now.Add(-48 * time.Hour), Kinspect: true},
		{Name: "kinspect-a-2", Status: ConsumerActive, CreatedAt: now.Add(-time.Hour), Kinspect: true},
		{Name: "kinspect-a-3", Status: ConsumerDeleting, CreatedAt: now.Add(-48 * time.Hour), Kinspect: true},
		{Name: "kinspect-a-4", Status: ConsumerCreating, CreatedAt: now.Add(-48 * time.Hour), Kinspect: true},
		{Name: "app", Status: ConsumerActive, CreatedAt: now.Add(-480 * time.Hour)},
	}
	tests := []struct {
		olderThan time.Duration
		want      string
	}{
		{24 * time.Hour, "kinspect-a-1"},
		{30 * time.Minute, "kinspect-a-1,kinspect-a-2"},
		{100 * time.Hour, ""},
	}
	for _, tt := range tests {
		var names []string
		for _, c := range StaleConsumers(cs, now, tt.olderThan) {
			names = append(names, c.Name)
		}
		if got := strings.Join(names, ","); got != tt.want {
			t.Errorf("olderThan %v: %q, want %q", tt.olderThan, got, tt.want)
		}
	}
}

func TestPruneConsumers(t *testing.T) {
	clk := newFakeClock()
	old := clk.now().Add(-72 * time.Hour)
	list := []types.Consumer{
		sdkConsumer("kinspect-old-1", "ACTIVE", old),
		sdkConsumer("kinspect-old-2", "ACTIVE", old),
		sdkConsumer("kinspect-mine", "ACTIVE", old),
		sdkConsumer("kinspect-new", "ACTIVE", clk.now().Add(-time.Minute)),
		sdkConsumer("billing-app", "ACTIVE", old),
	}
	var sent []string
	api := &fakeAPI{
		ListStreamConsumersFn: func(context.Context, *kinesis.ListStreamConsumersInput) (*kinesis.ListStreamConsumersOutput, error) {
			return &kinesis.ListStreamConsumersOutput{Consumers: list}, nil
		},
		DeregisterStreamConsumerFn: func(_ context.Context, in *kinesis.DeregisterStreamConsumerInput) (*kinesis.DeregisterStreamConsumerOutput, error) {
			arn := aws.ToString(in.ConsumerARN)
			sent = append(sent, arn)
			if strings.Contains(arn, "old-2") {
				return nil, errors.New("boom")
			}
			return &kinesis.DeregisterStreamConsumerOutput{}, nil
		},
	}
	c := newClient(api, clk.options()...)
	c.consumer.add(aws.ToString(list[2].ConsumerARN), testStreamARN)
	done, err := c.PruneConsumers(context.Background(), testStreamARN, 24*time.Hour)
	if err == nil || !strings.Contains(err.Error(), "boom") {
		t.Errorf("err = %v", err)
	}
	if len(done) != 1 || done[0].Name != "kinspect-old-1" {
		t.Errorf("pruned %+v", done)
	}
	if len(sent) != 2 {
		t.Errorf("deregister calls %v: must skip our own, the young and the foreign", sent)
	}

	ro := newClient(api, append(clk.options(), WithReadOnly(true))...)
	sent = nil
	if _, err := ro.PruneConsumers(context.Background(), testStreamARN, time.Hour); !errors.Is(err, ErrReadOnly) || len(sent) != 0 {
		t.Errorf("read-only prune: err %v, sent %v", err, sent)
	}
}
