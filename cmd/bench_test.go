package cmd

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/kinspect/kinspect/kinesisx"
	"github.com/kinspect/kinspect/kinesisx/latency"
	"github.com/kinspect/kinspect/kinesisx/local"
)

func TestBenchLatencyFlags(t *testing.T) {
	f := newFactory(Stdio{})
	tests := []flagCase{
		{args: []string{"s"}, want: "s 4000 0 [polling efo] [] 30s table false"},
		{args: []string{"s", "--records", "10", "--rate", "5", "--modes", "efo", "--shard", "a", "--shard", "b", "-o", "json", "-y"},
			want: "s 10 5 [efo] [a b] 30s json true"},
		{args: []string{"s", "--modes", "EFO,polling,efo"}, want: "s 4000 0 [efo polling] [] 30s table false"},
		{args: []string{"s", "--modes", "kcl"}, wantErr: `--modes: "kcl"`},
		{args: []string{"s", "--records", "0"}, wantErr: "--records must be positive"},
		{args: []string{"s", "--rate", "-1"}, wantErr: "--rate must be positive"},
		{args: []string{"s", "--rate", "0"}, wantErr: "--rate must be positive"},
		{args: []string{"s", "--timeout", "0s"}, wantErr: "--timeout must be positive"},
		{args: []string{"s", "-o", "yaml"}, wantErr: "-o yaml"},
		{args: []string{}, wantErr: "accepts 1 arg"},
	}
	checkFlags(t, tests, func(got *string) *cobraCommand {
		return newBenchLatencyCmdWith(f, func(_ context.Context, o *benchLatencyOptions) error {
			*got = fmt.Sprint(o.Stream, " ", o.Records, " ", o.Rate, " ", o.modes, " ", o.Shards, " ", o.Timeout, " ", o.Output, " ", o.Yes)
			return nil
		})
	})
}

// runBench runs a command line with the bench command registered (the
// lead registers it in allCommands).
func (e *writeEnv) runBench(in string, terminal bool, args ...string) cmdRun {
	e.t.Helper()
	var out, errb bytes.Buffer
	f := newFactory(Stdio{In: strings.NewReader(in), Out: &out, Err: &errb})
	f.IsTerminal = func() bool { return terminal }
	if !hasBench(f) {
		f.commands = append(f.commands, newBenchCmd)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	code := execute(ctx, f, append([]string{"--endpoint-url", e.url, "--region", "us-east-1"}, args...))
	return cmdRun{code: code, stdout: out.String(), stderr: errb.String()}
}

func hasBench(f *Factory) bool {
	for _, c := range f.commands {
		if c(f).Name() == "bench" {
			return true
		}
	}
	return false
}

func TestBenchLatencyCommand(t *testing.T) {
	e := newWriteEnv(t, local.Options{Limits: true})
	stream := e.stream(2)

	// Confirmation: no terminal and no --yes is a usage error; read-only
	// refuses before asking; "n" changes nothing.
	r := e.runBench("", false, "bench", "latency", stream, "--records", "50")
	wantExit(t, r, 2, "put records needs confirmation: pass --yes")
	r = e.runBench("y\n", true, "--read-only", "bench", "latency", stream)
	wantExit(t, r, 1, "read-only mode refused it")
	r = e.runBench("n\n", true, "bench", "latency", stream)
	wantExit(t, r, 1, "cancelled: nothing was changed")
	if !strings.Contains(r.stderr, "aws kinesis put-records --stream-name "+stream) || !strings.Contains(r.stderr, "consumer-shard-hour") {
		t.Errorf("prompt lacks the command or the EFO cost: %s", r.stderr)
	}

	// JSON.
	r = e.runBench("", false, "bench", "latency", stream, "--records", "300", "--rate", "600", "-o", "json", "--yes")
	wantExit(t, r, 0, "putting...")
	var got benchJSON
	if err := json.Unmarshal([]byte(r.stdout), &got); err != nil {
		t.Fatalf("%v\n%s", err, r.stdout)
	}
	if got.Stream != stream || got.Sent != 300 || len(got.Shards) != 2 || len(got.Modes) != 2 || got.RunID == "" {
		t.Fatalf("report %+v", got)
	}
	for _, m := range got.Modes {
		if m.Seen != 300 || m.Missing != 0 || m.Duplicates != 0 || m.P50Ms <= 0 || m.P50Ms > m.P99Ms || m.P99Ms > m.MaxMs || m.LastArrivalMs <= 0 {
			t.Errorf("mode %+v", m)
		}
	}
	if got.Modes[0].Mode != "polling" || got.Modes[1].Mode != "efo" || !strings.Contains(got.Modes[1].Consumer, "kinspect-") {
		t.Errorf("modes %+v", got.Modes)
	}

	// Table, one mode, one shard.
	r = e.runBench("", false, "bench", "latency", stream, "--records", "100", "--rate", "500", "--modes", "polling", "--shard", "shardId-000000000001", "-y")
	wantExit(t, r, 0, "")
	for _, want := range []string{"latency lab on " + stream, "100 probes at 500/s over 1 shard(s)", "MODE", "LAST ARRIVED", "polling  100"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("table lacks %q:\n%s", want, r.stdout)
		}
	}
	if strings.Contains(r.stdout, "efo") || strings.Contains(r.stderr, "consumer-shard-hour") {
		t.Errorf("polling only, yet EFO shows:\n%s\n%s", r.stdout, r.stderr)
	}
	r = e.runBench("", false, "bench", "latency", stream, "--shard", "shardId-000000000042", "-y")
	wantExit(t, r, 1, "has no shard shardId-000000000042")
}

// The report prints the article's time until the last record was seen
// beside ours, labelled as AWS's, and says whether the run had the
// article's setup; the JSON carries the same.
func TestBenchLatencyReportArticle(t *testing.T) {
	rep := latency.Report{Stream: "orders", RunID: "r1", Shards: []string{"s0", "s1"}, Records: 4000, Rate: 2000, Sent: 4000,
		PutDuration: 2 * time.Second, Modes: []latency.ModeReport{
			{Mode: kinesisx.ModePolling, Seen: 4000, LastArrival: 2987 * time.Millisecond, P50: 500 * time.Millisecond},
			{Mode: kinesisx.ModeEFO, Seen: 4000, LastArrival: 2001 * time.Millisecond, P50: time.Millisecond},
		}}
	render := func(output string, rep latency.Report) string {
		var out bytes.Buffer
		o := &benchLatencyOptions{f: newFactory(Stdio{Out: &out}), Output: output}
		if err := printLatencyReport(o, rep); err != nil {
			t.Fatal(err)
		}
		return out.String()
	}
	table := render("table", rep)
	for _, want := range []string{"LAST ARRIVED  AWS ARTICLE", "2.987s        just over 2.5 s", "2.001s        under 2 s",
		"AWS's article (4000 records, 2 shards, 2000 records/s): AWS's figures, not measured here", "This run has the article's setup."} {
		if !strings.Contains(table, want) {
			t.Errorf("table lacks %q:\n%s", want, table)
		}
	}
	var got benchJSON
	if err := json.Unmarshal([]byte(render("json", rep)), &got); err != nil {
		t.Fatal(err)
	}
	a := got.Article
	if !a.SameSetup || len(a.Differences) != 0 || a.Records != 4000 || a.Shards != 2 || a.Rate != 2000 || !strings.Contains(a.Source, "not measured here") {
		t.Errorf("article %+v", a)
	}
	if m := got.Modes[0]; m.LastArrivalMs != 2987 || m.Article == nil || m.Article.LastSeen != "just over 2.5 s" || m.Article.LastSeenMs != 2500 {
		t.Errorf("polling %+v %+v", m, m.Article)
	}
	if m := got.Modes[1]; m.LastArrivalMs != 2001 || m.Article == nil || m.Article.LastSeen != "under 2 s" || m.Article.LastSeenMs != 2000 {
		t.Errorf("efo %+v %+v", m, m.Article)
	}

	// Another setup is said not to be like for like.
	rep.Records, rep.Rate = 300, 600
	if table := render("table", rep); !strings.Contains(table, "not like for like with it: 300 records, not 4000, 600 records/s, not 2000.") {
		t.Errorf("table:\n%s", table)
	}
	got = benchJSON{}
	if err := json.Unmarshal([]byte(render("json", rep)), &got); err != nil {
		t.Fatal(err)
	}
	if got.Article.SameSetup || fmt.Sprint(got.Article.Differences) != "[300 records, not 4000 600 records/s, not 2000]" {
		t.Errorf("article %+v", got.Article)
	}
}
