package local

import (
	"context"
	"errors"
	"fmt"
	"github.com/kinspect/kinspect/kinesisx/local/cwserver"
	"net"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Defaults for the zero values of Options.
const (
	DefaultIteratorTTL       = 5 * time.Minute
	DefaultSessionLifetime   = 5 * time.Minute
	DefaultMaxBytesPerStream = 256 << 20
	DefaultMaxBytes          = 256 << 20
	// DefaultReadHeaderTimeout is how long a client may take to send a
	// request's headers.
	DefaultReadHeaderTimeout = 10 * time.Second
	// DefaultBodyReadTimeout is how long a client may take to send a
	// request's body, plus a second for every MiB it declares (see
	// Options.BodyReadTimeout).
	DefaultBodyReadTimeout = 10 * time.Second
)

// Options configure a Server. The zero value is a fast endpoint with
// immediate state transitions, no limits and no faults.
type Options struct {
	// CreateDelay, UpdateDelay, DeleteDelay and ConsumerDelay are how long a
	// stream stays CREATING, UPDATING (after a split, merge or scale) and
	// DELETING, and a consumer CREATING or DELETING. Zero is immediate.
	CreateDelay, UpdateDelay, DeleteDelay, ConsumerDelay time.Duration
	// Limits enforces the per-shard limits of Kinesis: writes 1 MiB/s and
	// 1,000 records/s, polling reads 5 calls/s and 2 MiB/s shared, and EFO
	// paced at 2 MiB/s per consumer-shard.
	Limits bool
	// Faults injects seeded throttling, internal errors and dropped
	// connections into data-plane calls.
	Faults Faults
	// IteratorTTL is how long a shard iterator stays valid (default 5m).
	IteratorTTL time.Duration
	// SessionLifetime is how long a SubscribeToShard session lasts
	// (default 5m).
	SessionLifetime time.Duration
	// MaxBytesPerStream caps the memory the records of a stream take (data,
	// key and a fixed per-record overhead of 128 bytes); the
	// oldest records are trimmed first (default 256 MiB).
	MaxBytesPerStream int64
	// MaxBytes caps the same over all streams together, trimming the
	// oldest records of any stream first (default 256 MiB).
	MaxBytes int64
	// Now is the clock (default time.Now).
	Now func() time.Time
	// MetricsDelay is CloudWatch's publication lag as the endpoint's
	// GetMetricData shows it: a minute is served only once it is this old
	// (zero serves the current minute). NoCloudWatch leaves GetMetricData
	// out.
	MetricsDelay time.Duration
	NoCloudWatch bool
	// ReadHeaderTimeout is how long Start's server waits for a request's
	// headers (default DefaultReadHeaderTimeout).
	ReadHeaderTimeout time.Duration
	// BodyReadTimeout is how long Start's server waits for a request's body
	// to arrive in full, plus a second for every MiB of its Content-Length
	// (a 16 MiB PutRecords gets 26 s by default); a body that trickles is
	// cut then. Once the body is in, the response may take as long as it
	// needs: a SubscribeToShard stream lives on (default
	// DefaultBodyReadTimeout).
	BodyReadTimeout time.Duration
}

func (o Options) withDefaults() Options {
	if o.IteratorTTL <= 0 {
		o.IteratorTTL = DefaultIteratorTTL
	}
	if o.SessionLifetime <= 0 {
		o.SessionLifetime = DefaultSessionLifetime
	}
	if o.MaxBytesPerStream <= 0 {
		o.MaxBytesPerStream = DefaultMaxBytesPerStream
	}
	if o.MaxBytes <= 0 {
		o.MaxBytes = DefaultMaxBytes
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.ReadHeaderTimeout <= 0 {
		o.ReadHeaderTimeout = DefaultReadHeaderTimeout
	}
	if o.BodyReadTimeout <= 0 {
		o.BodyReadTimeout = DefaultBodyReadTimeout
	}
	return o
}

// Server is the local Kinesis endpoint. Build it with New; serve it with
// Start, or mount Handler in a server of your own; end it with Close.
type Server struct {
	opts    Options
	store   *store
	metrics *metricStore
	faults  *faultSource
	efo     *sessions
	chunks  chunkPool // GetRecords answer buffers

	ctx    context.Context // cancelled by Close: ends EFO sessions
	cancel context.CancelFunc

	requests atomic.Uint64 // request IDs

	routesMu sync.RWMutex
	routes   map[string]http.Handler // extra handlers by path prefix
	matched  []matchedRoute          // extra handlers by request (HandleIf)

	mu      sync.Mutex
	servers []served
	serving sync.WaitGroup
}

// New returns a Server with opts.
func New(opts Options) *Server {
	opts = opts.withDefaults()
	ctx, cancel := context.WithCancel(context.Background())
	s := &Server{
		opts:    opts,
		metrics: newMetricStore(),
		faults:  newFaultSource(opts.Faults),
		ctx:     ctx,
		cancel:  cancel,
	}
	s.store = newStore(opts, s.metrics)
	s.efo = newSessions()
	if !opts.NoCloudWatch {
		cwserver.Mount[Bucket](s, cwserver.Options{Delay: opts.MetricsDelay, Now: opts.Now})
	}
	return s
}

// Handler returns the endpoint as an http.Handler. It speaks HTTP/1.1 as
// is; for h2c (HTTP/2 without TLS, prior knowledge) serve it from an
// http.Server whose Protocols include UnencryptedHTTP2, as Start does.
// (golang.org/x/net/http2/h2c is deprecated in favour of that field.)
func (s *Server) Handler() http.Handler {
	return http.HandlerFunc(s.serveHTTP)
}

// Handle serves requests whose URL path starts with prefix with h instead
// of the Kinesis protocol (whose requests all go to "/"). It is how another
// protocol shares the port, e.g. CloudWatch's Smithy RPC v2 CBOR at
// "/service/GraniteServiceVersion20100801/". Call it before serving.
func (s *Server) Handle(prefix string, h http.Handler) {
	s.routesMu.Lock()
	defer s.routesMu.Unlock()
	if s.routes == nil {
		s.routes = map[string]http.Handler{}
	}
	s.routes[prefix] = h
}

// matchedRoute is a handler of HandleIf.
type matchedRoute struct {
	match func(*http.Request) bool
	h     http.Handler
}

// HandleIf serves requests for which match reports true with h, as Handle
// does by path: how a protocol on "/" with its own header or form
// (CloudWatch's JSON 1.0 and Query) shares the port. Call it before
// serving; match must not read the body.
func (s *Server) HandleIf(match func(*http.Request) bool, h http.Handler) {
	s.routesMu.Lock()
	defer s.routesMu.Unlock()
	s.matched = append(s.matched, matchedRoute{match, h})
}

// route returns the extra handler for r, or nil.
func (s *Server) route(r *http.Request) http.Handler {
	s.routesMu.RLock()
	defer s.routesMu.RUnlock()
	for _, m := range s.matched {
		if m.match(r) {
			return m.h
		}
	}
	path := r.URL.Path
	best := ""
	for p := range s.routes {
		if strings.HasPrefix(path, p) && len(p) > len(best) {
			best = p
		}
	}
	if best == "" {
		return nil
	}
	return s.routes[best]
}

// Start listens on addr (e.g. "127.0.0.1:0"), serves HTTP/1.1 and h2c on
// the one port in the background, and returns the endpoint URL
// "http://HOST:PORT". Its server cuts clients that send a request too
// slowly (Options.ReadHeaderTimeout, Options.BodyReadTimeout), and, when
// addr is a loopback address, refuses requests addressed to any other host
// name (a web page that rebinds its own name to 127.0.0.1 must not reach
// the endpoint).
func (s *Server) Start(addr string) (string, error) {
	if s.ctx.Err() != nil {
		return "", errors.New("local endpoint: start after close")
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return "", fmt.Errorf("local endpoint: listen on %s: %w", addr, err)
	}
	var protocols http.Protocols
	protocols.SetHTTP1(true)
	protocols.SetUnencryptedHTTP2(true)
	cs := newConns()
	handler := limitBodyTime(s.Handler(), s.opts.BodyReadTimeout)
	if isLoopbackListener(ln) {
		handler = loopbackHostsOnly(handler)
	}
	hs := &http.Server{
		Handler:           handler,
		ConnState:         cs.track,
		Protocols:         &protocols,
		ReadHeaderTimeout: s.opts.ReadHeaderTimeout,
		IdleTimeout:       2 * time.Minute,
		BaseContext:       func(net.Listener) context.Context { return s.ctx },
	}
	s.mu.Lock()
	s.servers = append(s.servers, served{hs, cs})
	s.mu.Unlock()
	s.serving.Add(1)
	go func() {
		defer s.serving.Done()
		_ = hs.Serve(ln) // returns http.ErrServerClosed on Close
	}()
	return "http://" + ln.Addr().String(), nil
}

// served is one http.Server of Start and its connections.
type served struct {
	hs    *http.Server
	conns *conns
}

// shutdown lets requests in progress finish (they see the server's context
// cancelled) and closes the connections, within five seconds.
func (sv served) shutdown() error {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	done := make(chan error, 1)
	go func() { done <- sv.hs.Shutdown(ctx) }()
	// Shutdown closes the listeners at once; from then on no connection
	// arrives, and one that never sent a request only delays the end.
	tick := time.NewTicker(20 * time.Millisecond)
	defer tick.Stop()
	for {
		select {
		case err := <-done:
			if err != nil {
				_ = sv.hs.Close()
			}
			return err
		case <-tick.C:
			sv.conns.closeNew()
		}
	}
}

// Close stops serving, ends every SubscribeToShard session and waits for
// the server's goroutines to finish.
func (s *Server) Close() error {
	s.cancel()
	s.mu.Lock()
	servers := s.servers
	s.servers = nil
	s.mu.Unlock()
	var errs []error
	for _, sv := range servers {
		if err := sv.shutdown(); err != nil {
			errs = append(errs, fmt.Errorf("local endpoint: shutdown: %w", err))
		}
	}
	s.serving.Wait()
	s.efo.wait()
	return errors.Join(errs...)
}

// EnhancedMonitoring returns the shard-level metrics enabled on a stream
// (nil if none, or if the stream does not exist).
func (s *Server) EnhancedMonitoring(stream string) []string {
	st, err := s.store.get(stream, s.opts.Now())
	if err != nil {
		return nil
	}
	return st.enhancedMonitoring()
}
