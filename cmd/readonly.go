package cmd

import (
	"context"
	"fmt"
	"os"
	"path"
	"strings"
	"unicode"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"

	"github.com/kinspect/kinspect/kinesisx"
)

// readOnlyProfilesEnv lists the AWS profiles kinspect never changes
// anything through, as names or glob patterns (prod*) separated by commas,
// semicolons or spaces, matched regardless of case.
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
// when the profile cannot be told, or a pattern of the list is malformed,
// every mutation is refused.
func (f *Factory) Guard() kinesisx.Guard {
	if f.ReadOnly {
		return kinesisx.Guard{ReadOnly: true}
	}
	pats, err := profilePatterns(os.Getenv(readOnlyProfilesEnv))
	if err != nil {
		return kinesisx.Guard{ReadOnly: true, Why: fmt.Sprintf("%s: %v", readOnlyProfilesEnv, err)}
	}
	if len(pats) == 0 {
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
	if profileListed(p, pats) {
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

// profilePatterns splits a KINSPECT_READ_ONLY_PROFILES value into its
// names and glob patterns (separated by commas, semicolons or white
// space), lower-cased, or names the first malformed one.
func profilePatterns(list string) ([]string, error) {
	var pats []string
	for _, pat := range strings.FieldsFunc(list, func(r rune) bool { return r == ',' || r == ';' || unicode.IsSpace(r) }) {
		if _, err := path.Match(pat, ""); err != nil {
			return nil, fmt.Errorf("malformed pattern %q (%v): every mutation is refused", pat, err)
		}
		pats = append(pats, strings.ToLower(pat))
	}
	return pats, nil
}

// profileListed says whether profile matches one of pats (see
// profilePatterns), regardless of case.
func profileListed(profile string, pats []string) bool {
	profile = strings.ToLower(profile)
	for _, pat := range pats {
		if ok, _ := path.Match(pat, profile); ok {
			return true
		}
	}
	return false
}
