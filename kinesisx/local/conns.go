package local

import (
	"net"
	"net/http"
	"sync"
)

// conns tracks the state of a server's connections (http.Server.ConnState),
// so that Close can drop those that never sent a request. http.Server's
// Shutdown waits up to five seconds for such a connection, and clients
// leave them behind routinely: the transport dials a spare connection
// while a busy one frees up, and keeps it idle.
type conns struct {
	mu    sync.Mutex
	state map[net.Conn]http.ConnState
}

func newConns() *conns { return &conns{state: map[net.Conn]http.ConnState{}} }

// track is the http.Server.ConnState hook.
func (cs *conns) track(c net.Conn, s http.ConnState) {
	cs.mu.Lock()
	defer cs.mu.Unlock()
	switch s {
	case http.StateClosed, http.StateHijacked:
		delete(cs.state, c)
	default:
		cs.state[c] = s
	}
}

// closeNew closes the connections that have not sent a request yet.
func (cs *conns) closeNew() {
	cs.mu.Lock()
	defer cs.mu.Unlock()
	for c, s := range cs.state {
		if s == http.StateNew {
			_ = c.Close()
		}
	}
}
