package cmd

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kinesis"

	"github.com/kinspect/kinspect/kinesisx"
	"github.com/kinspect/kinspect/kinesisx/local"
)

func TestConsumersFlags(t *testing.T) {
	tests := []flagCase{
		{args: []string{"s"}, want: "s false  0s table"},
		{args: []string{"s", "--prune", "--older-than", "2h", "-o", "json"}, want: "s true  2h0m0s json"},
		{args: []string{"s", "--register", "app-1"}, want: "s false app-1 0s table"},
		{args: []string{"s", "--register", "bad name"}, wantErr: "only letters"},
		{args: []string{"s", "--prune", "--register", "x"}, wantErr: "choose one of"},
		{args: []string{"s", "--older-than", "0s"}, wantErr: "--older-than"},
		{args: []string{"s", "-o", "text"}, wantErr: "-o text"},
	}
	checkFlags(t, tests, func(got *string) *cobraCommand {
		return newConsumersCmdWith(newFactory(Stdio{}), func(_ context.Context, o *consumersOptions) error {
			*got = strings.Join([]string{o.Stream, boolStr(o.Prune), o.Register, o.OlderThan.String(), o.Output}, " ")
			return nil
		})
	})
}

func TestConsumersCommand(t *testing.T) {
	e := newWriteEnv(t, local.Options{})
	stream := e.stream(1)

	r := e.run("", false, "consumers", stream, "--register", "billing")
	wantExit(t, r, 2, "register consumer needs confirmation")
	r = e.run("", false, "--read-only", "consumers", stream, "--register", "billing", "--yes")
	wantExit(t, r, 1, "read-only mode refused it")
	for _, name := range []string{"billing", "kinspect-old-0badf00d", "kinspect-other-12345678"} {
		r = e.run("", false, "consumers", stream, "--register", name, "--yes")
		wantExit(t, r, 0, "aws kinesis register-stream-consumer --stream-arn arn:aws:kinesis:")
		if !strings.Contains(r.stdout, "registered "+name) {
			t.Errorf("stdout %q", r.stdout)
		}
	}
	waitConsumersActive(t, e, stream, 3)

	r = e.run("", false, "consumers", stream, "-o", "json")
	wantExit(t, r, 0, "")
	var list []struct {
		Name     string
		Status   string
		Kinspect bool
		Created  time.Time
	}
	if err := json.Unmarshal([]byte(r.stdout), &list); err != nil {
		t.Fatalf("%v: %s", err, r.stdout)
	}
	kinds := map[string]bool{}
	for _, c := range list {
		kinds[c.Name] = c.Kinspect
		if c.Status != "ACTIVE" || c.Created.IsZero() {
			t.Errorf("consumer %+v", c)
		}
	}
	if len(list) != 3 || kinds["billing"] || !kinds["kinspect-old-0badf00d"] {
		t.Errorf("list %+v", list)
	}
	r = e.run("", false, "consumers", stream)
	wantExit(t, r, 0, "")
	if !strings.Contains(r.stdout, "NAME") || !strings.Contains(r.stdout, "billing") || !strings.Contains(r.stdout, "ACTIVE") {
		t.Errorf("table:\n%s", r.stdout)
	}

	// Nothing is a day old: prune finds nothing and changes nothing.
	r = e.run("", false, "consumers", stream, "--prune", "--yes")
	wantExit(t, r, 0, "")
	if !strings.Contains(r.stdout, "no stale kinspect consumers") {
		t.Errorf("prune output %q", r.stdout)
	}
	// Everything is older than a nanosecond: prune takes the two kinspect
	// consumers, after confirmation, and leaves billing alone.
	r = e.run("", false, "consumers", stream, "--prune", "--older-than", "1ns")
	wantExit(t, r, 2, "needs confirmation")
	r = e.run("yes\n", true, "consumers", stream, "--prune", "--older-than", "1ns")
	wantExit(t, r, 0, "deregister these 2 stale kinspect consumers")
	if !strings.Contains(r.stdout, "deregistered kinspect-old-0badf00d") || !strings.Contains(r.stdout, "deregistered kinspect-other-12345678") {
		t.Errorf("prune output %q", r.stdout)
	}
	r = e.run("", false, "consumers", stream, "--deregister", "nobody", "--yes")
	wantExit(t, r, 1, "has no consumer named nobody")
	r = e.run("", false, "consumers", stream, "--deregister", "billing", "--yes")
	wantExit(t, r, 0, "aws kinesis deregister-stream-consumer --consumer-arn")
	waitConsumersActive(t, e, stream, 0)
}

// waitConsumersActive waits until the stream has n consumers, all ACTIVE.
func waitConsumersActive(t *testing.T, e *writeEnv, stream string, n int) {
	t.Helper()
	sum, err := e.sdk.DescribeStreamSummary(context.Background(), &kinesis.DescribeStreamSummaryInput{StreamName: aws.String(stream)})
	if err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(10 * time.Second)
	for {
		out, err := e.sdk.ListStreamConsumers(context.Background(), &kinesis.ListStreamConsumersInput{StreamARN: sum.StreamDescriptionSummary.StreamARN})
		if err != nil {
			t.Fatal(err)
		}
		active := 0
		for _, c := range out.Consumers {
			if c.ConsumerStatus == "ACTIVE" {
				active++
			}
		}
		if active == n && len(out.Consumers) == n {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d consumers, %d ACTIVE; want %d", len(out.Consumers), active, n)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// TestConsumersPruneByHeartbeat: with a live, a stale and a
// no-heartbeat kinspect consumer, `consumers` prints the one-line hint on
// stderr, --prune removes only the stale one and says why it kept the
// others, and --older-than adds the one without heartbeat, never the live
// one; `tail --efo` prints the hint too.
func TestConsumersPruneByHeartbeat(t *testing.T) {
	e := newWriteEnv(t, local.Options{})
	stream := e.stream(1)
	ctx := context.Background()
	sum, err := e.sdk.DescribeStreamSummary(ctx, &kinesis.DescribeStreamSummaryInput{StreamName: aws.String(stream)})
	if err != nil {
		t.Fatal(err)
	}
	streamARN := aws.ToString(sum.StreamDescriptionSummary.StreamARN)
	beat := map[string]time.Duration{"kinspect-live-1": 30 * time.Second, "kinspect-stale-1": 20 * time.Minute}
	for _, name := range []string{"kinspect-live-1", "kinspect-stale-1", "kinspect-nohb-1"} {
		out, err := e.sdk.RegisterStreamConsumer(ctx, &kinesis.RegisterStreamConsumerInput{StreamARN: aws.String(streamARN), ConsumerName: aws.String(name)})
		if err != nil {
			t.Fatal(err)
		}
		if d, ok := beat[name]; ok {
			_, err := e.sdk.TagResource(ctx, &kinesis.TagResourceInput{ResourceARN: out.Consumer.ConsumerARN,
				Tags: map[string]string{kinesisx.HeartbeatTag: time.Now().Add(-d).UTC().Format(time.RFC3339)}})
			if err != nil {
				t.Fatal(err)
			}
		}
	}
	waitConsumersActive(t, e, stream, 3)
	hint := "kinspect: 1 stale kinspect consumer(s) on " + stream + ", billed while registered; prune with: kinspect consumers " + stream + " --prune\n"

	r := e.run("", false, "consumers", stream)
	wantExit(t, r, 0, "")
	if r.stderr != hint {
		t.Errorf("stderr %q, want %q", r.stderr, hint)
	}
	if !strings.Contains(r.stdout, "HEARTBEAT") || !strings.Contains(r.stdout, "20m ago") {
		t.Errorf("table:\n%s", r.stdout)
	}
	r = e.run("", false, "tail", stream, "--efo", "--idle", "1s")
	wantExit(t, r, 0, "")
	if r.stderr != hint {
		t.Errorf("tail --efo stderr %q, want %q", r.stderr, hint)
	}

	r = e.run("", false, "consumers", stream, "--prune", "--yes")
	wantExit(t, r, 0, "")
	for _, want := range []string{"kept   kinspect-live-1: live: heartbeat 3", "kept   kinspect-nohb-1: no heartbeat", "stale  kinspect-stale-1: heartbeat 20m", "deregistered kinspect-stale-1\n"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("prune output lacks %q:\n%s", want, r.stdout)
		}
	}
	if strings.Contains(r.stdout, "deregistered kinspect-live-1") || strings.Contains(r.stdout, "deregistered kinspect-nohb-1") {
		t.Errorf("prune output:\n%s", r.stdout)
	}
	waitConsumersActive(t, e, stream, 2)
	r = e.run("", false, "consumers", stream, "--prune", "--older-than", "1ns")
	wantExit(t, r, 2, "needs confirmation")
	r = e.run("", false, "consumers", stream, "--prune", "--older-than", "1ns", "--yes")
	wantExit(t, r, 0, "")
	if !strings.Contains(r.stdout, "deregistered kinspect-nohb-1") || !strings.Contains(r.stdout, "kept   kinspect-live-1: live") {
		t.Errorf("prune --older-than output:\n%s", r.stdout)
	}
	waitConsumersActive(t, e, stream, 1)
}
