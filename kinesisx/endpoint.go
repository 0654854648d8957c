package kinesisx

import (
	"net"
	"net/url"
)

// IsLoopbackEndpoint says whether an endpoint URL points at this machine
// (localhost or a loopback address): the built-in endpoint, kinesis-mock or
// LocalStack, which take dummy credentials.
func IsLoopbackEndpoint(endpoint string) bool {
	if endpoint == "" {
		return false
	}
	u, err := url.Parse(endpoint)
	if err != nil {
		return false
	}
	host := u.Hostname()
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
