package local

import (
	"strconv"
	"strings"
	"time"
)

// json is the Consumer (or ConsumerDescription, less StreamARN) of v.
func (v consumerView) json() map[string]any {
	return map[string]any{"ConsumerName": v.name, "ConsumerARN": v.arn,
		"ConsumerStatus": v.status, "ConsumerCreationTimestamp": epoch(v.created)}
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
	return s.store.consumer(sn, name, in.ConsumerARN, now)
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
	k, err := st.register(in.ConsumerName, c.now)
	if err != nil {
		return nil, err
	}
	return map[string]any{"Consumer": k.json()}, nil
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
	d := st.consumerView(k, c.now).json()
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
	live := st.liveConsumers(c.now)
	list := []map[string]any{}
	for i := skip; i < len(live) && len(list) < limit; i++ {
		list = append(list, st.consumerView(live[i], c.now).json())
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
	st.deregister(k, c.now)
	s.efo.endPrefix(k.arn+"|", notFound("Consumer %s was deregistered.", k.name))
	return struct{}{}, nil
}
