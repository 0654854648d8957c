package cmd

import (
	"net/url"
	"strings"
)

// checkEndpointURL checks --endpoint-url before any call: an http or https
// URL with a host, such as http://127.0.0.1:4567. Anything else is bad
// usage (exit 2); the SDK would fail later and less clearly.
func checkEndpointURL(s string) error {
	if s == "" {
		return nil
	}
	u, err := url.Parse(s)
	if err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != "" && u.Hostname() != "" {
		return nil
	}
	if err == nil && u.Scheme != "" && u.Scheme != "http" && u.Scheme != "https" && u.Opaque == "" {
		return usagef("--endpoint-url %q: the scheme must be http or https, not %s", s, u.Scheme)
	}
	hint := ""
	if !strings.Contains(s, "://") && !strings.ContainsAny(s, " \t") {
		hint = ", e.g. http://" + strings.TrimSpace(s)
	}
	return usagef("--endpoint-url %q: want an http or https URL with a host%s", s, hint)
}
