package cmd

import (
	"context"
	"strings"
	"testing"

	"github.com/kinspect/kinspect/kinesisx/local"
)

func TestMonitoringFlags(t *testing.T) {
	tests := []flagCase{
		{args: []string{"s", "on"}, want: "s true ALL false"},
		{args: []string{"s", "OFF", "--metrics", "incomingbytes,OutgoingBytes", "--yes"}, want: "s false IncomingBytes,OutgoingBytes true"},
		{args: []string{"s", "maybe"}, wantErr: `want on or off`},
		{args: []string{"s", "on", "--metrics", "Latency"}, wantErr: `unknown shard-level metric "Latency"`},
		{args: []string{"s"}, wantErr: "accepts 2 arg"},
	}
	checkFlags(t, tests, func(got *string) *cobraCommand {
		return newMonitoringCmdWith(newFactory(Stdio{}), func(_ context.Context, o *monitoringOptions) error {
			*got = strings.Join([]string{o.Stream, boolStr(o.On), strings.Join(o.Metrics, ","), boolStr(o.Yes)}, " ")
			return nil
		})
	})
}

func TestMonitoringCommand(t *testing.T) {
	e := newWriteEnv(t, local.Options{})
	stream := e.stream(1)
	r := e.run("", false, "monitoring", stream, "on")
	wantExit(t, r, 2, "enable enhanced monitoring needs confirmation")
	r = e.run("n\n", true, "monitoring", stream, "on")
	wantExit(t, r, 1, "nothing was changed")
	if !strings.Contains(r.stderr, "charged by CloudWatch") {
		t.Errorf("no cost note: %s", r.stderr)
	}
	r = e.run("", false, "--read-only", "monitoring", stream, "on", "--yes")
	wantExit(t, r, 1, "read-only mode refused it")
	if got := e.srv.EnhancedMonitoring(stream); len(got) != 0 {
		t.Fatalf("refused calls turned on %v", got)
	}
	r = e.run("", false, "monitoring", stream, "on", "--metrics", "IncomingBytes,IncomingRecords", "--yes")
	wantExit(t, r, 0, "aws kinesis enable-enhanced-monitoring --stream-name "+stream+" --shard-level-metrics IncomingBytes IncomingRecords")
	if got := strings.Join(e.srv.EnhancedMonitoring(stream), ","); got != "IncomingBytes,IncomingRecords" {
		t.Errorf("server has %q", got)
	}
	r = e.run("y\n", true, "monitoring", stream, "off")
	wantExit(t, r, 0, "")
	if got := e.srv.EnhancedMonitoring(stream); len(got) != 0 || !strings.Contains(r.stdout, "off") {
		t.Errorf("after off: server %v, stdout %q", got, r.stdout)
	}
}
