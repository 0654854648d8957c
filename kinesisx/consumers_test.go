package kinesisx

import (
	"bytes"
	"context"
	"errors"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kinesis"
	"github.com/aws/aws-sdk-go-v2/service/kinesis/types"
)

// fakeClock is an injected clock whose wait advances time instead of
// sleeping, and records every delay asked for.
type fakeClock struct {
	mu     sync.Mutex
	t      time.Time
	delays []time.Duration
}

func newFakeClock() *fakeClock {
	return &fakeClock{t: time.Date(2026, 11, 26, 8, 0, 0, 0, time.UTC)}
}

func (f *fakeClock) now() time.Time {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.t
}

func (f *fakeClock) wait(ctx context.Context, d time.Duration) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.delays = append(f.delays, d)
	f.t = f.t.Add(d)
	return nil
}

func (f *fakeClock) options() []Option {
	return []Option{WithClock(f.now), WithWait(f.wait)}
}

const testStreamARN = "arn:aws:kinesis:us-east-1:123456789012:stream/s"

var validConsumerRE = regexp.MustCompile(`^[a-zA-Z0-9_.-]{1,128}$`)

func TestConsumerName(t *testing.T) {
	rnd := []byte{0xde, 0xad, 0xbe, 0xef}
	tests := []struct {
		host, want string
	}{
		{"laptop", "kinspect-laptop-deadbeef"},
		{"ip-10-0-0-1.ec2.internal", "kinspect-ip-10-0-0-1-deadbeef"},
		{"Jo's MacBook", "kinspect-Jo-s-MacBook-deadbeef"},
		{"", "kinspect-host-deadbeef"},
		{"???", "kinspect-host-deadbeef"},
		{"héllo", "kinspect-h-llo-deadbeef"},
		{strings.Repeat("a", 300), "kinspect-" + strings.Repeat("a", 40) + "-deadbeef"},
	}
	for _, tt := range tests {
		got := consumerName(tt.host, bytes.NewReader(rnd))
		if got != tt.want {
			t.Errorf("consumerName(%q) = %q, want %q", tt.host, got, tt.want)
		}
		if !validConsumerRE.MatchString(got) || !IsKinspectConsumer(got) {
			t.Errorf("consumerName(%q) = %q is not a valid kinspect consumer name", tt.host, got)
		}
	}
	// A failing random source still yields a valid name.
	if got := consumerName("h", bytes.NewReader(nil)); !validConsumerRE.MatchString(got) || len(got) != len("kinspect-h-")+8 {
		t.Errorf("consumerName with no entropy = %q", got)
	}
}

func TestNewConsumerNameIsFreshAndValid(t *testing.T) {
	a, b := NewConsumerName(), NewConsumerName()
	if a == b {
		t.Errorf("two names are equal: %q", a)
	}
	for _, n := range []string{a, b} {
		if !validConsumerRE.MatchString(n) || !IsKinspectConsumer(n) {
			t.Errorf("NewConsumerName() = %q", n)
		}
	}
}

func TestIsKinspectConsumer(t *testing.T) {
	for name, want := range map[string]bool{
		"kinspect-h-01234567": true, "kinspect-": true, "kinspect": false, "my-app": false, "Kinspect-x": false, "": false,
	} {
		if got := IsKinspectConsumer(name); got != want {
			t.Errorf("IsKinspectConsumer(%q) = %v", name, got)
		}
	}
}

func sdkConsumer(name, status string, created time.Time) types.Consumer {
	return types.Consumer{
		ConsumerName:              aws.String(name),
		ConsumerARN:               aws.String(testStreamARN + "/consumer/" + name + ":1"),
		ConsumerStatus:            types.ConsumerStatus(status),
		ConsumerCreationTimestamp: aws.Time(created),
	}
}

func TestListConsumersPages(t *testing.T) {
	t0 := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	var calls []*kinesis.ListStreamConsumersInput
	api := &fakeAPI{ListStreamConsumersFn: func(_ context.Context, in *kinesis.ListStreamConsumersInput) (*kinesis.ListStreamConsumersOutput, error) {
		calls = append(calls, in)
		if in.NextToken == nil {
			return &kinesis.ListStreamConsumersOutput{Consumers: []types.Consumer{sdkConsumer("app", "ACTIVE", t0)}, NextToken: aws.String("p2")}, nil
		}
		return &kinesis.ListStreamConsumersOutput{Consumers: []types.Consumer{sdkConsumer("kinspect-h-1", "CREATING", t0)}}, nil
	}}
	got, err := newClient(api).ListConsumers(context.Background(), testStreamARN)
	if err != nil {
		t.Fatal(err)
	}
	want := []Consumer{
		{Name: "app", ARN: testStreamARN + "/consumer/app:1", Status: "ACTIVE", CreatedAt: t0},
		{Name: "kinspect-h-1", ARN: testStreamARN + "/consumer/kinspect-h-1:1", Status: "CREATING", CreatedAt: t0, Kinspect: true},
	}
	if len(got) != len(want) || got[0] != want[0] || got[1] != want[1] {
		t.Errorf("got %+v\nwant %+v", got, want)
	}
	if len(calls) != 2 || aws.ToString(calls[1].NextToken) != "p2" || aws.ToString(calls[1].StreamARN) != testStreamARN {
		t.Errorf("paging calls: %+v", calls)
	}

	api.ListStreamConsumersFn = func(context.Context, *kinesis.ListStreamConsumersInput) (*kinesis.ListStreamConsumersOutput, error) {
		return nil, &types.ResourceNotFoundException{Message: aws.String("no stream")}
	}
	if _, err := newClient(api).ListConsumers(context.Background(), testStreamARN); !isKinesisNotFound(err) || !strings.Contains(err.Error(), "list consumers") {
		t.Errorf("error = %v", err)
	}
}

func TestRegisterConsumer(t *testing.T) {
	registered := 0
	api := &fakeAPI{RegisterStreamConsumerFn: func(_ context.Context, in *kinesis.RegisterStreamConsumerInput) (*kinesis.RegisterStreamConsumerOutput, error) {
		registered++
		c := sdkConsumer(aws.ToString(in.ConsumerName), "CREATING", time.Now())
		return &kinesis.RegisterStreamConsumerOutput{Consumer: &c}, nil
	}}
	tests := []struct {
		name     string
		readOnly bool
		consumer string
		wantErr  string
		wantCall bool
	}{
		{"registers", false, "kinspect-h-1", "", true},
		{"read-only refuses", true, "kinspect-h-1", "read-only", false},
		{"bad name refused before sending", false, "has space", "only letters", false},
		{"empty name", false, "", "1 to 128", false},
		{"long name", false, strings.Repeat("x", 129), "1 to 128", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			registered = 0
			c := newClient(api, WithReadOnly(tt.readOnly))
			cons, err := c.RegisterConsumer(context.Background(), testStreamARN, tt.consumer)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want %q", err, tt.wantErr)
				}
			} else if err != nil {
				t.Fatal(err)
			}
			if (registered == 1) != tt.wantCall {
				t.Errorf("RegisterStreamConsumer calls = %d", registered)
			}
			if tt.readOnly && !errors.Is(err, ErrReadOnly) {
				t.Errorf("err %v is not ErrReadOnly", err)
			}
			reg := c.consumer.all()
			if tt.wantCall && (reg[cons.ARN] != testStreamARN || cons.Status != "CREATING" || !cons.Kinspect) {
				t.Errorf("consumer %+v, registry %v", cons, reg)
			}
			if !tt.wantCall && len(reg) != 0 {
				t.Errorf("registry %v after a refused registration", reg)
			}
		})
	}
}

// consumerServer is a tiny in-memory consumer table behind fakeAPI: a
// consumer becomes ACTIVE after activeAfter describes.
type consumerServer struct {
	byName      map[string]*types.ConsumerDescription
	describes   int
	activeAfter int
	registers   int
}

func (s *consumerServer) api() *fakeAPI {
	return &fakeAPI{
		DescribeStreamConsumerFn: func(_ context.Context, in *kinesis.DescribeStreamConsumerInput) (*kinesis.DescribeStreamConsumerOutput, error) {
			for _, d := range s.byName {
				if aws.ToString(d.ConsumerName) == aws.ToString(in.ConsumerName) || aws.ToString(d.ConsumerARN) == aws.ToString(in.ConsumerARN) {
					if in.ConsumerARN != nil {
						s.describes++
						if s.describes >= s.activeAfter && d.ConsumerStatus == types.ConsumerStatusCreating {
							d.ConsumerStatus = types.ConsumerStatusActive
						}
					}
					cp := *d
					return &kinesis.DescribeStreamConsumerOutput{ConsumerDescription: &cp}, nil
				}
			}
			return nil, &types.ResourceNotFoundException{Message: aws.String("consumer not found")}
		},
		RegisterStreamConsumerFn: func(_ context.Context, in *kinesis.RegisterStreamConsumerInput) (*kinesis.RegisterStreamConsumerOutput, error) {
			s.registers++
			c := sdkConsumer(aws.ToString(in.ConsumerName), "CREATING", time.Now())
			s.byName[*c.ConsumerName] = &types.ConsumerDescription{
				ConsumerName: c.ConsumerName, ConsumerARN: c.ConsumerARN, ConsumerStatus: c.ConsumerStatus,
				ConsumerCreationTimestamp: c.ConsumerCreationTimestamp, StreamARN: in.StreamARN,
			}
			return &kinesis.RegisterStreamConsumerOutput{Consumer: &c}, nil
		},
	}
}

func TestEnsureConsumer(t *testing.T) {
	existing := func(status types.ConsumerStatus) map[string]*types.ConsumerDescription {
		c := sdkConsumer("mine", string(status), time.Now())
		return map[string]*types.ConsumerDescription{"mine": {
			ConsumerName: c.ConsumerName, ConsumerARN: c.ConsumerARN, ConsumerStatus: status, ConsumerCreationTimestamp: c.ConsumerCreationTimestamp,
		}}
	}
	tests := []struct {
		name        string
		table       map[string]*types.ConsumerDescription
		activeAfter int
		readOnly    bool
		wantCreated bool
		wantErr     string
		wantDelays  []time.Duration
	}{
		{name: "reuses an ACTIVE consumer", table: existing(types.ConsumerStatusActive)},
		{name: "waits for an existing CREATING one", table: existing(types.ConsumerStatusCreating), activeAfter: 2,
			wantDelays: []time.Duration{time.Second, 1500 * time.Millisecond}},
		{name: "registers and waits", table: map[string]*types.ConsumerDescription{}, activeAfter: 4, wantCreated: true,
			wantDelays: []time.Duration{time.Second, 1500 * time.Millisecond, 2250 * time.Millisecond, 3375 * time.Millisecond}},
		{name: "times out", table: map[string]*types.ConsumerDescription{}, activeAfter: 1 << 30, wantCreated: true, wantErr: "still CREATING after 2m0s"},
		{name: "refuses a DELETING one", table: existing(types.ConsumerStatusDeleting), wantErr: "being deregistered"},
		{name: "read-only cannot register", table: map[string]*types.ConsumerDescription{}, readOnly: true, wantErr: "read-only"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := &consumerServer{byName: tt.table, activeAfter: tt.activeAfter}
			clk := newFakeClock()
			c := newClient(srv.api(), append(clk.options(), WithReadOnly(tt.readOnly))...)
			cons, created, err := c.EnsureConsumer(context.Background(), testStreamARN, "mine")
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want %q", err, tt.wantErr)
				}
			} else {
				if err != nil {
					t.Fatal(err)
				}
				if cons.Status != ConsumerActive || cons.Name != "mine" {
					t.Errorf("consumer %+v", cons)
				}
				if tt.wantDelays != nil && !equalDurations(clk.delays, tt.wantDelays) {
					t.Errorf("delays %v, want %v", clk.delays, tt.wantDelays)
				}
			}
			if created != tt.wantCreated {
				t.Errorf("created = %v", created)
			}
			if got := len(c.consumer.all()); got != srv.registers {
				t.Errorf("registry holds %d, registered %d", got, srv.registers)
			}
		})
	}
}

func TestEnsureConsumerHonoursContext(t *testing.T) {
	srv := &consumerServer{byName: map[string]*types.ConsumerDescription{}, activeAfter: 1 << 30}
	ctx, cancel := context.WithCancel(context.Background())
	waits := 0
	c := newClient(srv.api(), WithWait(func(ctx context.Context, _ time.Duration) error {
		waits++
		if waits == 3 {
			cancel()
		}
		return ctx.Err()
	}))
	_, _, err := c.EnsureConsumer(ctx, testStreamARN, "mine")
	if !errors.Is(err, context.Canceled) || waits != 3 {
		t.Errorf("err = %v after %d waits", err, waits)
	}
	if len(c.consumer.all()) != 1 {
		t.Error("a consumer registered before the cancel must stay in the registry for cleanup")
	}
}

func equalDurations(a, b []time.Duration) bool {
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
