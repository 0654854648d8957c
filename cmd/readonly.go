package cmd

import (
	"context"
	"fmt"
	"os"
	"path"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"

	"github.com/kinspect/kinspect/kinesisx"
)

// readOnlyProfilesEnv lists the AWS profiles kinspect never changes
// anything through, as comma-separated names or glob patterns (prod*).
const readOnlyProfilesEnv = "KINSPECT_READ_ONLY_PROFILES"

// defaultProfile is the shared-config profile the SDK uses when none is
// named.
const defaultProfile = "default"

// ActiveProfile is the shared-config profile the SDK resolved for this
// run (see sdkProfile), or "" when the configuration cannot be loaded.
func (f *Factory) ActiveProfile() string {
	cfg, err := f.AWSConfig(context.Background())
	if err != nil {
		return ""
	}
	p, _ := sdkProfile(cfg)
	return p
}

// Guard is this run's read-only decision, the one every mutation of the CLI
// and the TUI passes through: --read-only, or the profile the SDK resolved
// listed in KINSPECT_READ_ONLY_PROFILES. With a list set it fails closed:
// when the profile cannot be told, every mutation is refused.
func (f *Factory) Guard() kinesisx.Guard {
	if f.ReadOnly {
		return kinesisx.Guard{ReadOnly: true}
	}
	list := os.Getenv(readOnlyProfilesEnv)
	if strings.Trim(list, ", \t") == "" {
		return kinesisx.Guard{}
	}
	cfg, err := f.AWSConfig(context.Background())
	if err != nil {
		return kinesisx.Guard{ReadOnly: true, Why: fmt.Sprintf("%s is set and the AWS profile in use cannot be told: %v", readOnlyProfilesEnv, err)}
	}
	p, ok := sdkProfile(cfg)
	if !ok {
		return kinesisx.Guard{ReadOnly: true, Why: fmt.Sprintf("%s is set and the AWS profile in use cannot be told", readOnlyProfilesEnv)}
	}
	if profileListed(p, list) {
		return kinesisx.Guard{ReadOnly: true, Why: fmt.Sprintf("profile %s is listed in %s", p, readOnlyProfilesEnv)}
	}
	return kinesisx.Guard{}
}

// sdkProfile is the shared-config profile config.LoadDefaultConfig
// resolved, read from the configuration's sources so that it cannot drift
// from the SDK: the profile it loaded, else the one it was asked for
// (--profile, then AWS_PROFILE, then AWS_DEFAULT_PROFILE; a named profile
// that is not in the files loads nothing), else "default". ok is false for
// a configuration that LoadDefaultConfig did not make.
func sdkProfile(cfg aws.Config) (profile string, ok bool) {
	var opts, env string
	sawEnv := false
	for _, src := range cfg.ConfigSources {
		switch s := src.(type) {
		case config.SharedConfig:
			if s.Profile != "" {
				return s.Profile, true
			}
		case config.LoadOptions:
			opts = s.SharedConfigProfile
		case config.EnvConfig:
			env, sawEnv = s.SharedConfigProfile, true
		}
	}
	switch {
	case !sawEnv:
		return "", false
	case opts != "":
		return opts, true
	case env != "":
		return env, true
	}
	return defaultProfile, true
}

// profileListed says whether profile matches one of list's comma-separated
// names or glob patterns.
func profileListed(profile, list string) bool {
	for _, pat := range strings.Split(list, ",") {
		pat = strings.TrimSpace(pat)
		if pat == "" {
			continue
		}
		if ok, err := path.Match(pat, profile); ok || (err != nil && pat == profile) {
			return true
		}
	}
	return false
}
