package cmd

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
)

// profileFiles writes a shared config and credentials file holding the
// named profiles (and [default]) and points the SDK at them; it clears
// every variable that names a profile.
func profileFiles(t *testing.T, profiles ...string) {
	t.Helper()
	dir := t.TempDir()
	var cfg, creds strings.Builder
	cfg.WriteString("[default]\nregion = us-east-1\n")
	creds.WriteString("[default]\naws_access_key_id = d\naws_secret_access_key = d\n")
	for _, p := range profiles {
		cfg.WriteString("[profile " + p + "]\nregion = us-east-1\n")
		creds.WriteString("[" + p + "]\naws_access_key_id = a\naws_secret_access_key = b\n")
	}
	for name, body := range map[string]string{"config": cfg.String(), "credentials": creds.String()} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	t.Setenv("AWS_CONFIG_FILE", filepath.Join(dir, "config"))
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", filepath.Join(dir, "credentials"))
	for _, v := range []string{"AWS_PROFILE", "AWS_DEFAULT_PROFILE", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"} {
		t.Setenv(v, "")
	}
}

// The guard decides on the profile the SDK resolved, by every route to a
// profile: --profile, AWS_PROFILE before AWS_DEFAULT_PROFILE, then
// default; a profile named but absent from the files still counts.
func TestGuardDecidesOnTheSDKProfile(t *testing.T) {
	for _, tt := range []struct {
		name            string
		flag            string
		awsProfile      string
		awsDefault      string
		list            string
		readOnlyFlag    bool
		wantProfile     string
		wantRO          bool
		wantWhyContains string
	}{
		{name: "flag", flag: "prod-eu", list: "prod*", wantProfile: "prod-eu", wantRO: true, wantWhyContains: "profile prod-eu is listed"},
		{name: "flag beats AWS_PROFILE", flag: "dev", awsProfile: "prod-eu", list: "prod*", wantProfile: "dev"},
		{name: "AWS_PROFILE", awsProfile: "prod-eu", list: "prod*", wantProfile: "prod-eu", wantRO: true},
		{name: "AWS_DEFAULT_PROFILE", awsDefault: "prod-eu", list: "prod*", wantProfile: "prod-eu", wantRO: true, wantWhyContains: "profile prod-eu is listed"},
		{name: "AWS_PROFILE beats AWS_DEFAULT_PROFILE", awsProfile: "dev", awsDefault: "prod-eu", list: "prod*", wantProfile: "dev"},
		{name: "AWS_PROFILE listed over AWS_DEFAULT_PROFILE", awsProfile: "prod-eu", awsDefault: "dev", list: "prod*", wantProfile: "prod-eu", wantRO: true},
		{name: "none is default", list: "default", wantProfile: "default", wantRO: true, wantWhyContains: "profile default is listed"},
		{name: "none under star", list: "*", wantProfile: "default", wantRO: true},
		{name: "AWS_DEFAULT_PROFILE not in the files", awsDefault: "prod-missing", list: "prod*", wantProfile: "prod-missing", wantRO: true},
		{name: "not listed", awsDefault: "dev", list: "prod*", wantProfile: "dev"},
		{name: "no list", awsDefault: "prod-eu", wantProfile: "prod-eu"},
		{name: "--read-only", readOnlyFlag: true, flag: "dev", wantProfile: "dev", wantRO: true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			profileFiles(t, "prod-eu", "dev")
			t.Setenv("AWS_PROFILE", tt.awsProfile)
			t.Setenv("AWS_DEFAULT_PROFILE", tt.awsDefault)
			t.Setenv(readOnlyProfilesEnv, tt.list)
			f := newFactory(Stdio{})
			f.Profile, f.ReadOnly, f.Region = tt.flag, tt.readOnlyFlag, "us-east-1"
			if _, err := f.AWSConfig(context.Background()); err != nil {
				t.Fatal(err)
			}
			if got := f.ActiveProfile(); got != tt.wantProfile {
				t.Errorf("ActiveProfile() = %q, want %q", got, tt.wantProfile)
			}
			g := f.Guard()
			if g.ReadOnly != tt.wantRO || !strings.Contains(g.Why, tt.wantWhyContains) {
				t.Errorf("Guard() = %+v, want ReadOnly %v with %q", g, tt.wantRO, tt.wantWhyContains)
			}
		})
	}
}

// With a list set, a guard that cannot tell the profile refuses: when the
// configuration did not load, and for one LoadDefaultConfig did not make.
func TestGuardFailsClosed(t *testing.T) {
	profileFiles(t)
	t.Setenv(readOnlyProfilesEnv, "prod*")
	f := newFactory(Stdio{})
	f.once.Do(func() { f.cfgErr = errors.New("broken config file") })
	if g := f.Guard(); !g.ReadOnly || !strings.Contains(g.Why, "cannot be told") {
		t.Errorf("Guard() over a failed configuration = %+v, want read-only", g)
	}
	f = newFactory(Stdio{})
	f.once.Do(func() { f.awsCfg = aws.Config{Region: "us-east-1"} })
	if g := f.Guard(); !g.ReadOnly || !strings.Contains(g.Why, "cannot be told") {
		t.Errorf("Guard() over a configuration without sources = %+v, want read-only", g)
	}
	t.Setenv(readOnlyProfilesEnv, " , ")
	if g := f.Guard(); g.ReadOnly {
		t.Errorf("Guard() with an empty list = %+v, want writable", g)
	}
}
