package local

import (
	"net"
	"net/http"
	"sync"
	"time"
)

// conns tracks the state of a server's connections (http.Server.ConnState),
// so that Close can drop those that never sent a request. http.Server's
// Shutdown waits up to five seconds for such a connection, and clients
// leave them behind routinely: the transport dials a spare connection
// while a busy one frees up, and keeps it idle.
type conns struct {
	mu    sync.Mutex
	state map[net.Conn]connState
}

type connState struct {
	s     http.ConnState
	since time.Time
}

// newConnGrace is how long a connection may stay new (no request read)
// before Close takes it for a spare: a request that was just sent gets the
// time to be read, and then Shutdown waits for it.
const newConnGrace = 100 * time.Millisecond

func newConns() *conns { return &conns{state: map[net.Conn]connState{}} }

// track is the http.Server.ConnState hook.
func (cs *conns) track(c net.Conn, s http.ConnState) {
	cs.mu.Lock()
	defer cs.mu.Unlock()
	switch s {
	case http.StateClosed, http.StateHijacked:
		delete(cs.state, c)
	default:
		cs.state[c] = connState{s: s, since: time.Now()}
	}
}

// closeNew closes the connections that have not sent a request for
// newConnGrace.
func (cs *conns) closeNew() {
	cs.mu.Lock()
	defer cs.mu.Unlock()
	for c, st := range cs.state {
		if st.s == http.StateNew && time.Since(st.since) >= newConnGrace {
			_ = c.Close()
		}
	}
}
