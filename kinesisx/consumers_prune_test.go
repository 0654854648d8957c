package kinesisx_test

import (
	"context"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kinesis"

	"github.com/kinspect/kinspect/internal/testenv"
	"github.com/kinspect/kinspect/kinesisx"
	"github.com/kinspect/kinspect/kinesisx/local"
	"github.com/kinspect/kinspect/kinesisx/local/localtest"
)

// testClock is a clock shared by the endpoint and the client.
type testClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *testClock) now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *testClock) add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// heartbeatAt writes a heartbeat tag with the real SDK, as a kinspect
// elsewhere would.
func heartbeatAt(t *testing.T, sdk *kinesis.Client, arn string, at time.Time) {
	t.Helper()
	_, err := sdk.TagResource(context.Background(), &kinesis.TagResourceInput{ResourceARN: aws.String(arn),
		Tags: map[string]string{kinesisx.HeartbeatTag: at.UTC().Format(time.RFC3339)}})
	if err != nil {
		t.Fatal(err)
	}
}

func names(cs []kinesisx.Consumer) string {
	var out []string
	for _, c := range cs {
		out = append(out, c.Name)
	}
	sort.Strings(out)
	return strings.Join(out, ",")
}

func keptWhy(kept []kinesisx.KeptConsumer) map[string]string {
	out := map[string]string{}
	for _, k := range kept {
		out[k.Name] = k.Why
	}
	return out
}

// TestPruneByHeartbeat: on the built-in endpoint, with consumers that are
// live (fresh heartbeat), stale (old heartbeat), without heartbeat (old
// and young), someone else's, and one this process uses: a prune removes
// the stale one whatever --older-than says, keeps the live ones whatever
// --older-than says, removes one without heartbeat only with --older-than,
// and re-reads the heartbeat before each removal.
func TestPruneByHeartbeat(t *testing.T) {
	clk := &testClock{t: time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)}
	_, url := localtest.Start(t, local.Options{Now: clk.now})
	sdk := testenv.KinesisClient(t, url)
	testenv.CreateStream(t, sdk, "p", 1)
	ctx := context.Background()
	c := kinesisx.New(sdk, kinesisx.WithClock(clk.now))
	st, err := c.DescribeStream(ctx, "p")
	if err != nil {
		t.Fatal(err)
	}
	arn := map[string]string{}
	for _, n := range []string{"kinspect-live-1", "kinspect-stale-1", "kinspect-old-1", "kinspect-revived-1", "other-app"} {
		arn[n] = testenv.RegisterConsumer(t, sdk, "p", n)
	}
	clk.add(48 * time.Hour)
	arn["kinspect-young-1"] = testenv.RegisterConsumer(t, sdk, "p", "kinspect-young-1")
	heartbeatAt(t, sdk, arn["kinspect-live-1"], clk.now().Add(-30*time.Second))
	heartbeatAt(t, sdk, arn["kinspect-stale-1"], clk.now().Add(-20*time.Minute))
	heartbeatAt(t, sdk, arn["kinspect-revived-1"], clk.now().Add(-20*time.Minute))

	// This process's own tail: EnsureConsumer starts its heartbeat.
	tailCtx, stopTail := context.WithCancel(ctx)
	defer stopTail()
	mine, created, err := c.EnsureConsumer(tailCtx, st.ARN, "kinspect-mine-1")
	if err != nil || !created {
		t.Fatalf("EnsureConsumer: %v %v", created, err)
	}
	// Another kinspect (a second client) sees the heartbeat of this one.
	// Its heartbeats older than HeartbeatConfirmWithin are stale at once:
	// it never waits to watch them.
	other := kinesisx.New(sdk, kinesisx.WithClock(clk.now), kinesisx.WithWait(func(context.Context, time.Duration) error {
		t.Error("waited to confirm heartbeats older than HeartbeatConfirmWithin")
		return nil
	}))
	deadline := time.Now().Add(10 * time.Second)
	for {
		list, err := other.ListConsumers(ctx, st.ARN)
		if err != nil {
			t.Fatal(err)
		}
		list = other.ReadHeartbeats(ctx, list)
		beat := time.Time{}
		for _, cons := range list {
			if cons.ARN == mine.ARN {
				beat = cons.Heartbeat
			}
		}
		if beat.Equal(clk.now().Truncate(time.Second)) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("no heartbeat on the tail's consumer: %+v", list)
		}
		time.Sleep(20 * time.Millisecond)
	}

	// Without --older-than: only the stale-heartbeat ones.
	p, err := other.PlanStreamPrune(ctx, st.ARN, 0, nil)
	if err != nil {
		t.Fatal(err)
	}
	if got := names(p.Prune); got != "kinspect-revived-1,kinspect-stale-1" {
		t.Fatalf("prune %s", got)
	}
	why := keptWhy(p.Kept)
	for n, want := range map[string]string{"kinspect-live-1": "live: heartbeat 30s ago", "kinspect-mine-1": "live: heartbeat 0s ago",
		"kinspect-old-1": "no heartbeat", "kinspect-young-1": "no heartbeat", "other-app": "not a kinspect consumer"} {
		if !strings.HasPrefix(why[n], want) {
			t.Errorf("%s kept because %q, want %q", n, why[n], want)
		}
	}
	// The client whose tail uses it says so.
	if p, _ := c.PlanStreamPrune(ctx, st.ARN, time.Hour, nil); keptWhy(p.Kept)["kinspect-mine-1"] != "this kinspect is using it" {
		t.Errorf("own consumer kept because %q", keptWhy(p.Kept)["kinspect-mine-1"])
	}

	// With --older-than 1h: the old one without heartbeat too; the live
	// ones (48h old) stay whatever --older-than says.
	p, err = other.PlanStreamPrune(ctx, st.ARN, time.Hour, nil)
	if err != nil {
		t.Fatal(err)
	}
	if got := names(p.Prune); got != "kinspect-old-1,kinspect-revived-1,kinspect-stale-1" {
		t.Fatalf("prune with --older-than 1h: %s", got)
	}
	// revived starts beating again between the plan and its removal.
	heartbeatAt(t, sdk, arn["kinspect-revived-1"], clk.now())
	done, kept, err := other.ApplyPrune(ctx, p)
	if err != nil {
		t.Fatal(err)
	}
	if got := names(done); got != "kinspect-old-1,kinspect-stale-1" {
		t.Fatalf("deregistered %s", got)
	}
	if len(kept) != 1 || kept[0].Name != "kinspect-revived-1" {
		t.Fatalf("kept at apply: %+v", kept)
	}
	out, err := sdk.ListStreamConsumers(ctx, &kinesis.ListStreamConsumersInput{StreamARN: aws.String(st.ARN)})
	if err != nil {
		t.Fatal(err)
	}
	var left []string
	for _, sc := range out.Consumers {
		left = append(left, aws.ToString(sc.ConsumerName))
	}
	sort.Strings(left)
	if got := strings.Join(left, ","); got != "kinspect-live-1,kinspect-mine-1,kinspect-revived-1,kinspect-young-1,other-app" {
		t.Fatalf("left on the stream: %s", got)
	}

	// The start-up hint counts the stale ones, and names --older-than when
	// a consumer without heartbeat is among them.
	clk.add(25 * time.Hour) // live-1 and revived-1 go stale, young-1 passes 24h; mine-1 is this client's
	hint, err := c.StaleHint(ctx, "p", st.ARN, "", 24*time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	if want := "3 stale kinspect consumer(s) on p, billed while registered; prune with: kinspect consumers p --prune --older-than 24h"; hint != want {
		t.Fatalf("hint %q, want %q", hint, want)
	}
	stopTail()
	if err := c.CleanupConsumers(ctx); err != nil {
		t.Fatal(err)
	}
}

// TestPruneConfirmsRecentStaleHeartbeat: a kinspect whose clock is minutes
// behind writes heartbeats that look stale. A prune watches those younger
// than HeartbeatConfirmWithin for one beat, once for all, and keeps the one
// whose tag changed meanwhile (rewritten, still back-dated, by a goroutine
// during the wait); it removes the one that did not change.
func TestPruneConfirmsRecentStaleHeartbeat(t *testing.T) {
	clk := &testClock{t: time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)}
	_, url := localtest.Start(t, local.Options{Now: clk.now})
	sdk := testenv.KinesisClient(t, url)
	testenv.CreateStream(t, sdk, "p", 1)
	ctx := context.Background()
	arn := map[string]string{}
	for _, n := range []string{"kinspect-skewed-1", "kinspect-dead-1", "kinspect-long-dead-1"} {
		arn[n] = testenv.RegisterConsumer(t, sdk, "p", n)
	}
	heartbeatAt(t, sdk, arn["kinspect-skewed-1"], clk.now().Add(-4*time.Minute))
	heartbeatAt(t, sdk, arn["kinspect-dead-1"], clk.now().Add(-5*time.Minute))
	heartbeatAt(t, sdk, arn["kinspect-long-dead-1"], clk.now().Add(-time.Hour))

	var waits []time.Duration
	wait := func(_ context.Context, d time.Duration) error {
		waits = append(waits, d)
		done := make(chan struct{})
		go func() { // the skewed writer beats on, its clock 4 minutes behind
			defer close(done)
			clk.add(d)
			heartbeatAt(t, sdk, arn["kinspect-skewed-1"], clk.now().Add(-4*time.Minute))
		}()
		<-done
		return nil
	}
	c := kinesisx.New(sdk, kinesisx.WithClock(clk.now), kinesisx.WithWait(wait))
	st, err := c.DescribeStream(ctx, "p")
	if err != nil {
		t.Fatal(err)
	}
	var notes []string
	p, err := c.PlanStreamPrune(ctx, st.ARN, 0, func(s string) { notes = append(notes, s) })
	if err != nil {
		t.Fatal(err)
	}
	if len(waits) != 1 || waits[0] != kinesisx.HeartbeatEvery+15*time.Second {
		t.Fatalf("waits %v, want one of %s", waits, kinesisx.HeartbeatEvery+15*time.Second)
	}
	if want := "waiting 75s to confirm that 2 consumer(s) stopped beating"; strings.Join(notes, "|") != want {
		t.Errorf("notes %q, want %q", notes, want)
	}
	if got := names(p.Prune); got != "kinspect-dead-1,kinspect-long-dead-1" {
		t.Fatalf("prune %s", got)
	}
	if why := keptWhy(p.Kept)["kinspect-skewed-1"]; why != "live: heartbeat changed while we watched" {
		t.Errorf("skewed kept because %q", why)
	}
	done, kept, err := c.ApplyPrune(ctx, p)
	if err != nil || names(done) != "kinspect-dead-1,kinspect-long-dead-1" || len(kept) != 0 {
		t.Fatalf("apply: done %s kept %+v err %v", names(done), kept, err)
	}
}
