package kinesisx

import "sync"

// consumerRegistry remembers the EFO consumers this process registered, so
// that they can be deregistered on every exit path, and the heartbeats it
// runs, so that a deregistration stops its consumer's heartbeat first.
type consumerRegistry struct {
	mu    sync.Mutex
	arns  map[string]string // consumer ARN -> stream ARN
	beats map[string]*beat  // consumer ARN -> its running heartbeat
}

func newConsumerRegistry() *consumerRegistry {
	return &consumerRegistry{arns: map[string]string{}, beats: map[string]*beat{}}
}

func (r *consumerRegistry) add(consumerARN, streamARN string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.arns[consumerARN] = streamARN
}

func (r *consumerRegistry) remove(consumerARN string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	delete(r.arns, consumerARN)
}

func (r *consumerRegistry) all() map[string]string {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := make(map[string]string, len(r.arns))
	for k, v := range r.arns {
		out[k] = v
	}
	return out
}

// startBeat records b as the consumer's heartbeat, unless one runs
// already (false).
func (r *consumerRegistry) startBeat(consumerARN string, b *beat) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	if _, ok := r.beats[consumerARN]; ok {
		return false
	}
	r.beats[consumerARN] = b
	return true
}

// endBeat forgets b when it ends on its own (its context ended).
func (r *consumerRegistry) endBeat(consumerARN string, b *beat) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.beats[consumerARN] == b {
		delete(r.beats, consumerARN)
	}
}

// stopBeat stops the consumer's heartbeat, if one runs, and waits for it.
func (r *consumerRegistry) stopBeat(consumerARN string) {
	r.mu.Lock()
	b := r.beats[consumerARN]
	delete(r.beats, consumerARN)
	r.mu.Unlock()
	if b != nil {
		b.stop()
	}
}

// beating reports whether a heartbeat of this process runs for the
// consumer: a live tail here uses it.
func (r *consumerRegistry) beating(consumerARN string) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	_, ok := r.beats[consumerARN]
	return ok
}
