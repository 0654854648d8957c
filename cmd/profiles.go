package cmd

import (
	"bufio"
	"errors"
	"io/fs"
	"os"
	"slices"
	"strings"

	"github.com/aws/aws-sdk-go-v2/config"
)

// sharedProfiles lists the profiles of the shared config and credentials
// files the SDK reads (AWS_CONFIG_FILE and AWS_SHARED_CREDENTIALS_FILE,
// else ~/.aws/config and ~/.aws/credentials), sorted; missing files list
// nothing.
func sharedProfiles() ([]string, error) {
	files := []struct {
		env, def string
		config   bool
	}{
		{"AWS_CONFIG_FILE", config.DefaultSharedConfigFilename(), true},
		{"AWS_SHARED_CREDENTIALS_FILE", config.DefaultSharedCredentialsFilename(), false},
	}
	seen := map[string]bool{}
	for _, f := range files {
		path := os.Getenv(f.env)
		if path == "" {
			path = f.def
		}
		names, err := profilesIn(path, f.config)
		if err != nil {
			return nil, err
		}
		for _, n := range names {
			seen[n] = true
		}
	}
	out := make([]string, 0, len(seen))
	for n := range seen {
		out = append(out, n)
	}
	slices.Sort(out)
	return out, nil
}

// profilesIn reads the profile names of one shared file: its section
// headers, "[profile NAME]" or "[default]" in the config file, "[NAME]"
// in the credentials file (other sections, [sso-session …], are left
// out).
func profilesIn(path string, isConfig bool) ([]string, error) {
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var out []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if !strings.HasPrefix(line, "[") || !strings.HasSuffix(line, "]") {
			continue
		}
		name := strings.TrimSpace(line[1 : len(line)-1])
		if isConfig && name != defaultProfile {
			rest, ok := strings.CutPrefix(name, "profile ")
			if !ok {
				continue
			}
			name = strings.TrimSpace(rest)
		}
		if name != "" {
			out = append(out, name)
		}
	}
	return out, sc.Err()
}
