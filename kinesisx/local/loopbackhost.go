package local

import (
	"net"
	"net/http"
	"strings"
)

// isLoopbackListener reports whether ln listens on a loopback address only.
func isLoopbackListener(ln net.Listener) bool {
	a, ok := ln.Addr().(*net.TCPAddr)
	return ok && a.IP.IsLoopback()
}

// loopbackHostsOnly refuses, with 403 and an AWS-shaped body, a request
// whose Host (HTTP/1.1) or :authority (h2c) is not a loopback name or
// address. An endpoint bound to loopback is meant for programs on this
// machine; a web page can still reach it from the user's browser by
// rebinding its own domain name to 127.0.0.1 (DNS rebinding), but the
// browser then sends that name as the Host.
func loopbackHostsOnly(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !loopbackHost(r.Host) {
			writeError(w, newErr(http.StatusForbidden, "AccessDeniedException",
				"Host %q is not a loopback name or address: this endpoint listens on loopback and answers only requests to localhost, 127.0.0.1 or [::1] (a guard against DNS rebinding); bind it to another address to serve other names", r.Host))
			return
		}
		next.ServeHTTP(w, r)
	})
}

// loopbackHost reports whether host (a Host header: name or address, with
// or without a port) names this machine's loopback interface: localhost or
// a name under .localhost (RFC 6761), an address in 127.0.0.0/8, or ::1.
// An empty Host (HTTP/1.0) is allowed: a browser always sends one.
func loopbackHost(host string) bool {
	if host == "" {
		return true
	}
	if h, _, err := net.SplitHostPort(host); err == nil {
		host = h
	} else if strings.HasPrefix(host, "[") && strings.HasSuffix(host, "]") {
		host = host[1 : len(host)-1]
	}
	if ip := net.ParseIP(host); ip != nil {
		return ip.IsLoopback()
	}
	name := strings.TrimSuffix(strings.ToLower(host), ".")
	return name == "localhost" || strings.HasSuffix(name, ".localhost")
}
