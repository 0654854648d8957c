package kinesisx

import "sync"

// consumerRegistry remembers the EFO consumers this process registered, so
// that they can be deregistered on every exit path.
type consumerRegistry struct {
	mu   sync.Mutex
	arns map[string]string // consumer ARN -> stream ARN
}

func newConsumerRegistry() *consumerRegistry {
	return &consumerRegistry{arns: map[string]string{}}
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
