package local

import (
	"sort"
	"strconv"
	"strings"
	"time"
)

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

func (c *consumer) json(now time.Time) map[string]any {
	return map[string]any{"ConsumerName": c.name, "ConsumerARN": c.arn,
		"ConsumerStatus": c.status(now), "ConsumerCreationTimestamp": epoch(c.created)}
}

// liveConsumers drops consumers whose deregistration is complete and
// returns the rest in creation order.
func (s *Server) liveConsumers(st *stream, now time.Time) []*consumer {
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

type consumerInput struct {
	StreamARN    string   `json:"StreamARN"`
	ConsumerName string   `json:"ConsumerName"`
	ConsumerARN  string   `json:"ConsumerARN"`
	MaxResults   *int     `json:"MaxResults"`
	NextToken    string   `json:"NextToken"`
	Created      *float64 `json:"StreamCreationTimestamp"`
}

// parseConsumerARN splits streamARN/consumer/name:epoch.
func parseConsumerARN(arn string) (streamARN, name string, ok bool) {
	streamARN, rest, ok := strings.Cut(arn, "/consumer/")
	if !ok {
		return "", "", false
	}
	name, _, ok = strings.Cut(rest, ":")
	return streamARN, name, ok && nameRE.MatchString(name)
}

// findConsumer resolves ConsumerARN, or StreamARN + ConsumerName, to a
// consumer that exists.
func (s *Server) findConsumer(in consumerInput, now time.Time) (*stream, *consumer, error) {
	streamARN, name := in.StreamARN, in.ConsumerName
	if in.ConsumerARN != "" {
		var ok bool
		if streamARN, name, ok = parseConsumerARN(in.ConsumerARN); !ok {
			return nil, nil, errInvalid("ConsumerARN %q is not a valid consumer ARN", in.ConsumerARN)
		}
	} else if streamARN == "" || name == "" {
		return nil, nil, errInvalid("Either ConsumerARN or both StreamARN and ConsumerName must be provided")
	}
	sn, err := streamName("", streamARN)
	if err != nil {
		return nil, nil, err
	}
	st, err := s.store.get(sn, now)
	if err != nil {
		return nil, nil, err
	}
	s.liveConsumers(st, now)
	st.mu.RLock()
	c := st.consumers[name]
	st.mu.RUnlock()
	if c == nil || (in.ConsumerARN != "" && c.arn != in.ConsumerARN) {
		return nil, nil, errNotFound("Consumer %s under stream %s under account %s not found.", name, sn, account)
	}
	return st, c, nil
}

func (s *Server) registerConsumer(c *call) (any, error) {
	var in consumerInput
	if err := c.decode(&in); err != nil {
		return nil, err
	}
	if !nameRE.MatchString(in.ConsumerName) {
		return nil, errValidation("1 validation error detected: Value %q at 'consumerName' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+ and have length 1..128", in.ConsumerName)
	}
	if in.StreamARN == "" {
		return nil, errValidation("1 validation error detected: Value null at 'streamARN' failed to satisfy constraint: Member must not be null")
	}
	sn, err := streamName("", in.StreamARN)
	if err != nil {
		return nil, err
	}
	st, err := s.store.get(sn, c.now)
	if err != nil {
		return nil, err
	}
	live := s.liveConsumers(st, c.now)
	creating := 0
	for _, k := range live {
		if k.status(c.now) == "CREATING" {
			creating++
		}
	}
	st.mu.Lock()
	defer st.mu.Unlock()
	if st.status != "ACTIVE" && st.status != "UPDATING" {
		return nil, errInUse("Stream %s under account %s not ACTIVE, instead in state %s", sn, account, st.status)
	}
	if _, ok := st.consumers[in.ConsumerName]; ok {
		return nil, errInUse("Consumer %s under stream %s under account %s already exists.", in.ConsumerName, sn, account)
	}
	if len(live) >= maxConsumersPerStream {
		return nil, errLimit("Stream %s under account %s already has %d consumers (the limit).", sn, account, maxConsumersPerStream)
	}
	if creating >= maxConsumersCreating {
		return nil, errLimit("At most %d consumers can be CREATING at once.", maxConsumersCreating)
	}
	k := &consumer{name: in.ConsumerName, created: c.now, readyAt: c.now.Add(s.opts.ConsumerDelay),
		arn: st.arn + "/consumer/" + in.ConsumerName + ":" + strconv.FormatInt(c.now.Unix(), 10)}
	st.consumers[k.name] = k
	return map[string]any{"Consumer": k.json(c.now)}, nil
}

func (s *Server) describeConsumer(c *call) (any, error) {
	var in consumerInput
	if err := c.decode(&in); err != nil {
		return nil, err
	}
	st, k, err := s.findConsumer(in, c.now)
	if err != nil {
		return nil, err
	}
	d := k.json(c.now)
	d["StreamARN"] = st.arn
	return map[string]any{"ConsumerDescription": d}, nil
}

func (s *Server) listConsumers(c *call) (any, error) {
	var in consumerInput
	if err := c.decode(&in); err != nil {
		return nil, err
	}
	limit, err := pageSize(in.MaxResults, "maxResults", 100)
	if err != nil {
		return nil, err
	}
	sn, err := streamName("", in.StreamARN)
	if err != nil {
		return nil, err
	}
	st, err := s.store.get(sn, c.now)
	if err != nil {
		return nil, err
	}
	skip := 0
	if in.NextToken != "" {
		if skip, err = strconv.Atoi(in.NextToken); err != nil || skip < 0 {
			return nil, errInvalid("Invalid NextToken.")
		}
	}
	live := s.liveConsumers(st, c.now)
	list := []map[string]any{}
	for i := skip; i < len(live) && len(list) < limit; i++ {
		list = append(list, live[i].json(c.now))
	}
	out := map[string]any{"Consumers": list}
	if skip+len(list) < len(live) {
		out["NextToken"] = strconv.Itoa(skip + len(list))
	}
	return out, nil
}

func (s *Server) deregisterConsumer(c *call) (any, error) {
	var in consumerInput
	if err := c.decode(&in); err != nil {
		return nil, err
	}
	st, k, err := s.findConsumer(in, c.now)
	if err != nil {
		return nil, err
	}
	st.mu.Lock()
	if !k.deleting {
		k.deleting = true
		k.goneAt = c.now.Add(s.opts.ConsumerDelay)
	}
	st.mu.Unlock()
	s.efo.endPrefix(k.arn+"|", errNotFound("Consumer %s was deregistered.", k.name))
	return struct{}{}, nil
}
