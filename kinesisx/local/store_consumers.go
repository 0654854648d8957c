package local

import (
	"sort"
	"strconv"
	"time"
)

// The store's EFO consumers: registration, lookup, deregistration. A
// consumer's state is guarded by its stream's lock.

const (
	maxConsumersPerStream = 20
	maxConsumersCreating  = 5
)

// consumer is a registered EFO consumer; its status follows from the clock.
type consumer struct {
	name     string
	arn      string
	created  time.Time
	readyAt  time.Time
	deleting bool
	goneAt   time.Time
	tags     map[string]string // TagResource's (tags.go), under the stream's lock
}

func (c *consumer) status(now time.Time) string {
	switch {
	case c.deleting && !now.Before(c.goneAt):
		return ""
	case c.deleting:
		return "DELETING"
	case now.Before(c.readyAt):
		return "CREATING"
	}
	return "ACTIVE"
}

// consumerView is a consumer as the API describes it.
type consumerView struct {
	name, arn, status string
	created           time.Time
}

// consumerView reads k under the stream's lock.
func (st *stream) consumerView(k *consumer, now time.Time) consumerView {
	st.mu.RLock()
	defer st.mu.RUnlock()
	return consumerView{k.name, k.arn, k.status(now), k.created}
}

// liveConsumers drops consumers whose deregistration is complete and
// returns the rest in creation order.
func (st *stream) liveConsumers(now time.Time) []*consumer {
	st.mu.Lock()
	defer st.mu.Unlock()
	out := make([]*consumer, 0, len(st.consumers))
	for name, c := range st.consumers {
		if c.status(now) == "" {
			delete(st.consumers, name)
			continue
		}
		out = append(out, c)
	}
	sort.Slice(out, func(i, j int) bool {
		if !out[i].created.Equal(out[j].created) {
			return out[i].created.Before(out[j].created)
		}
		return out[i].name < out[j].name
	})
	return out
}

// consumer returns the consumer name of stream sn, which must have arn
// when arn is given.
func (s *store) consumer(sn, name, arn string, now time.Time) (*stream, *consumer, error) {
	st, err := s.get(sn, now)
	if err != nil {
		return nil, nil, err
	}
	st.liveConsumers(now)
	st.mu.RLock()
	c := st.consumers[name]
	st.mu.RUnlock()
	if c == nil || (arn != "" && c.arn != arn) {
		return nil, nil, notFound("Consumer %s under stream %s under account %s not found.", name, sn, account)
	}
	return st, c, nil
}

// register adds consumer name, CREATING for opts.ConsumerDelay.
func (st *stream) register(name string, now time.Time) (consumerView, error) {
	live := st.liveConsumers(now)
	creating := 0
	for _, k := range live {
		if k.status(now) == "CREATING" {
			creating++
		}
	}
	st.mu.Lock()
	defer st.mu.Unlock()
	if st.status != "ACTIVE" && st.status != "UPDATING" {
		return consumerView{}, inUse("Stream %s under account %s not ACTIVE, instead in state %s", st.name, account, st.status)
	}
	if _, ok := st.consumers[name]; ok {
		return consumerView{}, inUse("Consumer %s under stream %s under account %s already exists.", name, st.name, account)
	}
	if len(live) >= maxConsumersPerStream {
		return consumerView{}, overLimit("Stream %s under account %s already has %d consumers (the limit).", st.name, account, maxConsumersPerStream)
	}
	if creating >= maxConsumersCreating {
		return consumerView{}, overLimit("At most %d consumers can be CREATING at once.", maxConsumersCreating)
	}
	k := &consumer{name: name, created: now, readyAt: now.Add(st.opts.ConsumerDelay),
		arn: st.arn + "/consumer/" + name + ":" + strconv.FormatInt(now.Unix(), 10)}
	st.consumers[k.name] = k
	return consumerView{k.name, k.arn, k.status(now), k.created}, nil
}

// deregister starts removing k (DELETING for opts.ConsumerDelay); the
// caller ends its sessions.
func (st *stream) deregister(k *consumer, now time.Time) {
	st.mu.Lock()
	defer st.mu.Unlock()
	if !k.deleting {
		k.deleting = true
		k.goneAt = now.Add(st.opts.ConsumerDelay)
	}
}
