package cmd

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"strings"
	"testing"

	"github.com/kinspect/kinspect/internal/testenv"
	"github.com/kinspect/kinspect/kinesisx/local"
	"github.com/kinspect/kinspect/kinesisx/local/localtest"
)

// streamStateScript prints, as JSON, what boto3 sees of a stream: its
// shards, open shards, records (read from the start of every shard) and
// consumers. Arguments: endpoint URL, stream name.
const streamStateScript = `
import boto3, json, sys
url, name = sys.argv[1], sys.argv[2]
k = boto3.client("kinesis", endpoint_url=url, region_name="us-east-1",
                 aws_access_key_id="x", aws_secret_access_key="x")
shards = k.list_shards(StreamName=name)["Shards"]
records = 0
for s in shards:
    it = k.get_shard_iterator(StreamName=name, ShardId=s["ShardId"], ShardIteratorType="TRIM_HORIZON")["ShardIterator"]
    while it:
        out = k.get_records(ShardIterator=it)
        records += len(out["Records"])
        if not out["Records"] and out.get("MillisBehindLatest", 0) == 0:
            break
        it = out.get("NextShardIterator")
arn = k.describe_stream_summary(StreamName=name)["StreamDescriptionSummary"]["StreamARN"]
consumers = k.list_stream_consumers(StreamARN=arn)["Consumers"]
print(json.dumps({"shards": len(shards),
                  "open": sum(1 for s in shards if "EndingSequenceNumber" not in s["SequenceNumberRange"]),
                  "records": records, "consumers": len(consumers)}))
`

// streamState is what an independent client (boto3) reads of a stream.
type streamState struct {
	Shards, Open, Records, Consumers int
}

// boto3State reads the stream with boto3 in python3. It skips where
// python3 or boto3 is missing, unless CI is set.
func boto3State(t *testing.T, url, stream string) streamState {
	t.Helper()
	if err := exec.Command("python3", "-c", "import boto3").Run(); err != nil {
		if os.Getenv("CI") == "" {
			t.Skipf("python3 with boto3 is needed to read the stream back: %v", err)
		}
		t.Fatalf("python3 with boto3 is needed to read the stream back: %v", err)
	}
	cmd := exec.Command("python3", "-c", streamStateScript, url, stream)
	cmd.Env = []string{"AWS_CONFIG_FILE=/dev/null", "AWS_SHARED_CREDENTIALS_FILE=/dev/null"}
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "AWS_") {
			cmd.Env = append(cmd.Env, kv)
		}
	}
	out, err := cmd.Output()
	if err != nil {
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			t.Fatalf("boto3: %v\n%s", err, ee.Stderr)
		}
		t.Fatalf("boto3: %v", err)
	}
	var s streamState
	if err := json.Unmarshal(out, &s); err != nil {
		t.Fatalf("boto3 printed %q: %v", out, err)
	}
	return s
}

// runKinspect runs this test binary as kinspect to its end, with env added
// to the test's environment, and returns its exit code and stderr.
func runKinspect(t *testing.T, env []string, args ...string) (int, string) {
	t.Helper()
	c := exec.Command(os.Args[0], args...)
	c.Env = append(append(os.Environ(), envRunAsKinspect+"=1"), env...)
	var stderr bytes.Buffer
	c.Stderr = &stderr
	err := c.Run()
	var ee *exec.ExitError
	switch {
	case err == nil:
		return 0, stderr.String()
	case errors.As(err, &ee):
		return ee.ExitCode(), stderr.String()
	}
	t.Fatalf("run kinspect: %v", err)
	return 0, ""
}

// Under KINSPECT_READ_ONLY_PROFILES, every route to a profile (--profile,
// AWS_PROFILE, AWS_DEFAULT_PROFILE, none: default) refuses put, split and
// consumers --register in the real binary, naming the profile, and boto3
// reads the stream back unchanged; a profile not listed still writes.
func TestReadOnlyProfilesEveryRouteEndToEnd(t *testing.T) {
	profileFiles(t, "prod-eu", "dev")
	t.Setenv(readOnlyProfilesEnv, "prod*,default")
	_, url := localtest.Start(t, local.Options{})
	stream := testenv.StreamName(t)
	testenv.CreateStream(t, testenv.KinesisClient(t, url), stream, 1)
	if s := boto3State(t, url, stream); s != (streamState{Shards: 1, Open: 1}) {
		t.Fatalf("a new stream reads back as %+v", s)
	}

	mutations := [][]string{
		{"put", stream, "--yes", "--key", "k", "--data", "x"},
		{"split", stream, "shardId-000000000000", "--yes"},
		{"consumers", stream, "--register", "guarded", "--yes"},
	}
	for _, route := range []struct {
		name    string
		env     []string
		flags   []string
		profile string
	}{
		{name: "--profile", flags: []string{"--profile", "prod-eu"}, profile: "prod-eu"},
		{name: "AWS_PROFILE", env: []string{"AWS_PROFILE=prod-eu"}, profile: "prod-eu"},
		{name: "AWS_DEFAULT_PROFILE", env: []string{"AWS_DEFAULT_PROFILE=prod-eu"}, profile: "prod-eu"},
		{name: "none", profile: "default"},
	} {
		for _, m := range mutations {
			args := append(append([]string{"--endpoint-url", url, "--region", "us-east-1"}, route.flags...), m...)
			code, stderr := runKinspect(t, route.env, args...)
			want := "profile " + route.profile + " is listed in " + readOnlyProfilesEnv
			if code != ExitFailure || !strings.Contains(stderr, want) || strings.Count(stderr, "\n") != 1 {
				t.Errorf("%s: kinspect %s: exit %d, stderr %q; want exit 1 and one line with %q", route.name, m[0], code, stderr, want)
			}
		}
	}
	if s := boto3State(t, url, stream); s != (streamState{Shards: 1, Open: 1}) {
		t.Errorf("after the refused mutations the stream reads back as %+v, want it unchanged", s)
	}

	// The reader sees what a profile that is not listed writes.
	code, stderr := runKinspect(t, nil, append([]string{"--endpoint-url", url, "--region", "us-east-1", "--profile", "dev"}, mutations[0]...)...)
	if code != ExitOK {
		t.Fatalf("put with profile dev: exit %d: %s", code, stderr)
	}
	if s := boto3State(t, url, stream); s != (streamState{Shards: 1, Open: 1, Records: 1}) {
		t.Errorf("after a put through profile dev the stream reads back as %+v, want 1 record", s)
	}
}
