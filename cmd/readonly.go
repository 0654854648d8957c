package cmd

import (
	"fmt"
	"os"
	"path"
	"strings"

	"github.com/kinspect/kinspect/kinesisx"
)

// readOnlyProfilesEnv lists the AWS profiles kinspect never changes
// anything through, as comma-separated names or glob patterns (prod*).
const readOnlyProfilesEnv = "KINSPECT_READ_ONLY_PROFILES"

// ActiveProfile is the AWS profile in use: --profile, else AWS_PROFILE.
func (f *Factory) ActiveProfile() string {
	if f.Profile != "" {
		return f.Profile
	}
	return os.Getenv("AWS_PROFILE")
}

// Guard is this run's read-only decision, the one every mutation of the CLI
// and the TUI passes through: --read-only, or an active profile listed in
// KINSPECT_READ_ONLY_PROFILES.
func (f *Factory) Guard() kinesisx.Guard {
	if f.ReadOnly {
		return kinesisx.Guard{ReadOnly: true}
	}
	if p := f.ActiveProfile(); p != "" && profileListed(p, os.Getenv(readOnlyProfilesEnv)) {
		return kinesisx.Guard{ReadOnly: true, Why: fmt.Sprintf("profile %s is listed in %s", p, readOnlyProfilesEnv)}
	}
	return kinesisx.Guard{}
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
