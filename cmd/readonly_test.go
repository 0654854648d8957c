package cmd

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kinspect/kinspect/kinesisx/local"
)

func TestProfileListed(t *testing.T) {
	for _, tt := range []struct {
		profile, list string
		want          bool
	}{
		{"prod", "prod", true},
		{"prod", "staging, prod ", true},
		{"prod-eu", "prod*", true},
		{"preprod", "prod*", false},
		{"dev", "prod*,live", false},
		{"dev", "", false},
		{"prod-eu", "PROD*", true}, // case does not matter, either way
		{"Prod-US", "prod*", true},
		{"PROD", "prod", true},
		{"prod-eu", "staging prod-eu", true}, // spaces and semicolons separate too
		{"prod-eu", "staging;prod-eu", true},
		{"prod-eu", "staging ;\tprod-*", true},
		{"live", "staging; prod-*  dev", false},
		{"a[b", "a\\[b", true}, // an escaped bracket is a bracket
	} {
		pats, err := profilePatterns(tt.list)
		if err != nil {
			t.Fatalf("profilePatterns(%q): %v", tt.list, err)
		}
		if got := profileListed(tt.profile, pats); got != tt.want {
			t.Errorf("profileListed(%q, %q) = %v, want %v", tt.profile, tt.list, got, tt.want)
		}
	}
}

// A malformed pattern protects nothing it was meant to: it is refused,
// named in the error.
func TestProfilePatternsMalformed(t *testing.T) {
	for _, list := range []string{"prod-[eu", "staging,prod\\", "a[b", "dev; [Z"} {
		_, err := profilePatterns(list)
		bad := list[strings.LastIndexAny(list, ",; ")+1:]
		if err == nil || !strings.Contains(err.Error(), fmt.Sprintf("%q", bad)) {
			t.Errorf("profilePatterns(%q) = %v, want an error naming %q", list, err, bad)
		}
	}
}

// With a malformed pattern in the list, the guard refuses every mutation,
// whatever the profile, and names the pattern; reading still works.
func TestReadOnlyProfilesMalformedFailsClosed(t *testing.T) {
	e := newWriteEnv(t, local.Options{})
	stream := e.stream(1)
	t.Setenv(readOnlyProfilesEnv, "staging,prod-[eu")
	r := e.run("", false, "put", "--yes", stream, "--key", "k", "--data", "x")
	wantExit(t, r, 1, `read-only mode refused it (KINSPECT_READ_ONLY_PROFILES: malformed pattern "prod-[eu"`)
	wantExit(t, e.run("", false, "ls"), 0, "")
	if n := len(e.readShard(stream, "shardId-000000000000")); n != 0 {
		t.Fatalf("a refused put wrote %d records", n)
	}
}

// A profile listed in KINSPECT_READ_ONLY_PROFILES makes every mutation
// refuse, saying why, whether the profile comes from --profile or
// AWS_PROFILE; reading still works.
func TestReadOnlyProfiles(t *testing.T) {
	e := newWriteEnv(t, local.Options{})
	stream := e.stream(1)
	dir := t.TempDir()
	cfg := filepath.Join(dir, "config")
	if err := os.WriteFile(cfg, []byte("[profile prod-eu]\nregion = us-east-1\n[profile dev]\nregion = us-east-1\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv("AWS_CONFIG_FILE", cfg)
	creds := filepath.Join(dir, "credentials")
	if err := os.WriteFile(creds, []byte("[prod-eu]\naws_access_key_id = a\naws_secret_access_key = b\n[dev]\naws_access_key_id = a\naws_secret_access_key = b\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", creds)
	t.Setenv(readOnlyProfilesEnv, "staging,prod*")

	r := e.run("", false, "--profile", "prod-eu", "put", "--yes", stream, "--key", "k", "--data", "x")
	wantExit(t, r, 1, "put records: read-only mode refused it (profile prod-eu is listed in KINSPECT_READ_ONLY_PROFILES)")
	r = e.run("", false, "--profile", "prod-eu", "split", stream, "shardId-000000000000", "--yes")
	wantExit(t, r, 1, "split shard: read-only mode refused it (profile prod-eu")
	t.Setenv("AWS_PROFILE", "prod-eu")
	r = e.run("", false, "scale", stream, "2", "--yes")
	wantExit(t, r, 1, "read-only mode refused it (profile prod-eu")
	if n := len(e.readShard(stream, "shardId-000000000000")); n != 0 || len(openShardIDs(e.shards(stream))) != 1 {
		t.Fatalf("a refused mutation changed the stream: %d records", n)
	}
	wantExit(t, e.run("", false, "ls"), 0, "")

	r = e.run("", false, "--profile", "dev", "put", "--yes", stream, "--key", "k", "--data", "x")
	wantExit(t, r, 0, "")
}
