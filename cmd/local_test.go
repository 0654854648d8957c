package cmd

import (
	"bufio"
	"context"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/kinesis"

	"github.com/kinspect/kinspect/kinesisx"
)

func TestLocalFlags(t *testing.T) {
	tests := []struct {
		args    []string
		check   func(o *localOptions) bool
		wantErr string
	}{
		{args: nil, check: func(o *localOptions) bool {
			return o.Addr == "127.0.0.1:4567" && !o.Options.Limits && !o.Options.Faults.Enabled() &&
				o.Options.IteratorTTL == 5*time.Minute && o.Options.SessionLifetime == 5*time.Minute
		}},
		{args: []string{"--addr", "127.0.0.1:0", "--limits", "--faults", "throttle=0.1,reset=0.01,seed=7"}, check: func(o *localOptions) bool {
			return o.Addr == "127.0.0.1:0" && o.Options.Limits && o.Options.Faults.Throttle == 0.1 && o.Options.Faults.Reset == 0.01 && o.Options.Faults.Seed == 7
		}},
		{args: []string{"--iterator-ttl", "2s", "--session-lifetime", "1s", "--create-delay", "500ms", "--update-delay", "1s", "--max-bytes", "1048576"}, check: func(o *localOptions) bool {
			return o.Options.IteratorTTL == 2*time.Second && o.Options.SessionLifetime == time.Second &&
				o.Options.CreateDelay == 500*time.Millisecond && o.Options.UpdateDelay == time.Second && o.Options.MaxBytesPerStream == 1<<20
		}},
		{args: []string{"--faults", "explode=1"}, wantErr: "unknown fault"},
		{args: []string{"--faults", "throttle=2"}, wantErr: "probability"},
		{args: []string{"--addr", "4567"}, wantErr: "--addr"},
		{args: []string{"--create-delay", "-1s"}, wantErr: "negative"},
		{args: []string{"extra"}, wantErr: "unknown command"},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			var got *localOptions
			c := newLocalCmdWith(newFactory(Stdio{}), func(_ context.Context, o *localOptions) error { got = o; return nil })
			c.SetArgs(tt.args)
			c.SetOut(io.Discard)
			c.SetErr(io.Discard)
			err := c.Execute()
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil || got == nil || !tt.check(got) {
				t.Fatalf("err = %v, options = %+v", err, got)
			}
		})
	}
}

func TestLocalServesUntilCancelled(t *testing.T) {
	pr, pw := io.Pipe()
	f := newFactory(Stdio{In: strings.NewReader(""), Out: pw, Err: io.Discard})
	c := newLocalCmd(f)
	c.SetArgs([]string{"--addr", "127.0.0.1:0"})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan error, 1)
	go func() { done <- c.ExecuteContext(ctx) }()

	line, err := bufio.NewReader(pr).ReadString('\n')
	if err != nil {
		t.Fatalf("read first line: %v", err)
	}
	url, ok := strings.CutPrefix(strings.TrimSpace(line), "listening on ")
	if !ok || !strings.HasPrefix(url, "http://127.0.0.1:") {
		t.Fatalf("first line %q, want \"listening on http://127.0.0.1:PORT\"", line)
	}
	k := kinesis.New(kinesis.Options{Region: "us-east-1", BaseEndpoint: aws.String(url), HTTPClient: kinesisx.NewHTTPClient(),
		Credentials: credentials.NewStaticCredentialsProvider("a", "b", "")})
	if _, err := k.CreateStream(ctx, &kinesis.CreateStreamInput{StreamName: aws.String("s"), ShardCount: aws.Int32(1)}); err != nil {
		t.Fatalf("CreateStream against `kinspect local`: %v", err)
	}
	out, err := k.ListStreams(ctx, &kinesis.ListStreamsInput{})
	if err != nil || len(out.StreamNames) != 1 {
		t.Fatalf("ListStreams: %v %v", err, out)
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("local returned %v after cancel, want nil", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("local did not stop after cancel")
	}
}
