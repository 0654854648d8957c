package cmd

import (
	"bufio"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"slices"
	"strconv"
	"strings"
	"unicode"

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

// profileColorsEnv gives profiles a colour in the TUI's header, as
// PATTERN=COLOUR pairs separated by commas, semicolons or spaces
// ("prod*=red,dev=green"): the first pattern that matches the profile,
// regardless of case, wins. A colour is a name (red, green, yellow, blue,
// magenta, cyan), an ANSI number (0-255) or #rrggbb.
const profileColorsEnv = "KINSPECT_PROFILE_COLORS"

// profileColor is the colour KINSPECT_PROFILE_COLORS gives profile ("" for
// none), or the error that names a malformed pair.
func profileColor(list, profile string) (string, error) {
	names := map[string]string{"red": "1", "green": "2", "yellow": "3", "blue": "4", "magenta": "5", "cyan": "6"}
	for _, pair := range strings.FieldsFunc(list, func(r rune) bool { return r == ',' || r == ';' || unicode.IsSpace(r) }) {
		pat, c, ok := strings.Cut(pair, "=")
		if n, named := names[strings.ToLower(c)]; named {
			c = n
		}
		if _, err := path.Match(pat, ""); !ok || err != nil || !validColor(c) {
			return "", fmt.Errorf("%s: malformed %q: want PROFILE=COLOUR, the profile a name or glob, the colour a name (red, green, yellow, blue, magenta, cyan), 0-255 or #rrggbb", profileColorsEnv, pair)
		}
		if profileListed(profile, []string{strings.ToLower(pat)}) {
			return c, nil
		}
	}
	return "", nil
}

// validColor reports whether c is an ANSI number or #rrggbb.
func validColor(c string) bool {
	if n, err := strconv.Atoi(c); err == nil {
		return n >= 0 && n <= 255
	}
	if len(c) != 7 || c[0] != '#' {
		return false
	}
	_, err := strconv.ParseUint(c[1:], 16, 32)
	return err == nil
}
