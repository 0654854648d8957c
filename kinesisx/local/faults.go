package local

import (
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"
	"sync"
)

// Faults are per-call probabilities of injected failures on data-plane
// calls (PutRecord, PutRecords, GetRecords, SubscribeToShard). Seed makes
// the sequence of draws reproducible.
type Faults struct {
	// Throttle: ProvisionedThroughputExceededException (every entry of a
	// PutRecords fails with it; SubscribeToShard gets LimitExceededException
	// as AWS gives for subscribing too often).
	Throttle float64
	// Internal: InternalFailure with status 500.
	Internal float64
	// Reset: the connection is dropped mid-response (an EFO stream is
	// aborted after its first event).
	Reset float64
	// Seed seeds the random draws.
	Seed int64
}

// Enabled reports whether any fault has a non-zero probability.
func (f Faults) Enabled() bool { return f.Throttle > 0 || f.Internal > 0 || f.Reset > 0 }

// String renders f in the syntax ParseFaults reads.
func (f Faults) String() string {
	return fmt.Sprintf("throttle=%g,internal=%g,reset=%g,seed=%d", f.Throttle, f.Internal, f.Reset, f.Seed)
}

// ParseFaults reads a spec such as "throttle=0.1,internal=0.02,reset=0.01,seed=7".
// Every part is optional; probabilities are in [0, 1] and their sum at most 1.
func ParseFaults(spec string) (Faults, error) {
	var f Faults
	spec = strings.TrimSpace(spec)
	if spec == "" {
		return f, nil
	}
	for _, part := range strings.Split(spec, ",") {
		k, v, ok := strings.Cut(strings.TrimSpace(part), "=")
		if !ok {
			return Faults{}, fmt.Errorf("fault spec %q: %q is not key=value", spec, part)
		}
		k = strings.TrimSpace(k)
		v = strings.TrimSpace(v)
		if k == "seed" {
			n, err := strconv.ParseInt(v, 10, 64)
			if err != nil {
				return Faults{}, fmt.Errorf("fault spec %q: seed: %w", spec, err)
			}
			f.Seed = n
			continue
		}
		p, err := strconv.ParseFloat(v, 64)
		if err != nil || p < 0 || p > 1 || p != p {
			return Faults{}, fmt.Errorf("fault spec %q: %s=%s is not a probability between 0 and 1", spec, k, v)
		}
		switch k {
		case "throttle":
			f.Throttle = p
		case "internal":
			f.Internal = p
		case "reset":
			f.Reset = p
		default:
			return Faults{}, fmt.Errorf("fault spec %q: unknown fault %q (want throttle, internal, reset or seed)", spec, k)
		}
	}
	if f.Throttle+f.Internal+f.Reset > 1 {
		return Faults{}, fmt.Errorf("fault spec %q: probabilities add up to more than 1", spec)
	}
	return f, nil
}

type fault int

const (
	faultNone fault = iota
	faultThrottle
	faultInternal
	faultReset
)

// faultSource draws faults from a seeded generator.
type faultSource struct {
	f   Faults
	mu  sync.Mutex
	rng *rand.Rand
}

func newFaultSource(f Faults) *faultSource {
	return &faultSource{f: f, rng: rand.New(rand.NewPCG(uint64(f.Seed), 0x6b696e73))}
}

// draw returns the fault for the next data-plane call.
func (fs *faultSource) draw() fault {
	if !fs.f.Enabled() {
		return faultNone
	}
	fs.mu.Lock()
	u := fs.rng.Float64()
	fs.mu.Unlock()
	switch {
	case u < fs.f.Throttle:
		return faultThrottle
	case u < fs.f.Throttle+fs.f.Internal:
		return faultInternal
	case u < fs.f.Throttle+fs.f.Internal+fs.f.Reset:
		return faultReset
	}
	return faultNone
}
