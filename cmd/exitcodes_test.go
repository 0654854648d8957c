package cmd

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kinspect/kinspect/kinesisx/local"
)

// A malformed --endpoint-url and an unreadable --file are bad usage: exit
// 2, one line that names the flag, and no call made.
func TestBadEndpointAndFileAreUsageErrors(t *testing.T) {
	e := newWriteEnv(t, local.Options{})
	stream := e.stream(1)
	missing := filepath.Join(t.TempDir(), "nonexistent")
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"--endpoint-url", "not a url", "ls"}, "--endpoint-url"},
		{[]string{"--endpoint-url", "ftp://127.0.0.1:21", "ls"}, "http or https"},
		{[]string{"--endpoint-url", "127.0.0.1:4567", "ls"}, "http://127.0.0.1:4567"},
		{[]string{"--endpoint-url", "http://", "ls"}, "--endpoint-url"},
		{[]string{"--endpoint-url", "ftp://x", "put", stream, "--yes", "--data", "x"}, "--endpoint-url"},
		{[]string{"--endpoint-url", e.url, "put", stream, "--yes", "--file", missing}, "--file"},
	} {
		var out, errb bytes.Buffer
		f := newFactory(Stdio{In: strings.NewReader(""), Out: &out, Err: &errb})
		f.IsTerminal = func() bool { return false }
		code := execute(context.Background(), f, append([]string{"--region", "us-east-1"}, tt.args...))
		if code != ExitUsage || strings.Count(errb.String(), "\n") != 1 || !strings.Contains(errb.String(), tt.want) {
			t.Errorf("kinspect %s: exit %d, stderr %q; want exit 2 and one line with %q", strings.Join(tt.args, " "), code, errb.String(), tt.want)
		}
		if n := f.CallLog.Total(); n != 0 {
			t.Errorf("kinspect %s: %d calls made before the usage error", strings.Join(tt.args, " "), n)
		}
	}
	if n := len(e.readShard(stream, "shardId-000000000000")); n != 0 {
		t.Errorf("%d records were put", n)
	}
}
