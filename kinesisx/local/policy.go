package local

import (
	"encoding/json"
	"strings"
)

// The resource-policy operations (PutResourcePolicy, GetResourcePolicy,
// DeleteResourcePolicy) on a stream or a consumer ARN. The endpoint has one
// account and no IAM: a policy is kept and returned, never enforced.

// maxPolicyBytes is the largest policy document IAM takes for a resource
// policy (20 KiB).
const maxPolicyBytes = 20 << 10

// withResource resolves a ResourceARN (a stream's or a consumer's, checked
// against the model's pattern) and calls f under the stream's lock with
// the stream and, for a consumer ARN, the consumer. write says whether f
// changes the resource (a consumer being deregistered takes no changes).
func (s *Server) withResource(c *call, arnp *string, write bool, f func(st *stream, k *consumer) (any, error)) (any, error) {
	if arnp == nil {
		return nil, errValidation("1 validation error detected: Value null at 'resourceARN' failed to satisfy constraint: Member must not be null")
	}
	arn := *arnp
	if len(arn) < 1 || len(arn) > 2048 || !resourceARNRE.MatchString(arn) {
		return nil, errValidation("1 validation error detected: Value %q at 'resourceARN' failed to satisfy constraint: Member must satisfy regular expression pattern: arn:aws.*:kinesis:.*:\\d{12}:.*stream/\\S+", arn)
	}
	if !strings.HasPrefix(arn, arnPrefix) {
		return nil, errNotFound("Resource %s under account %s not found.", arn, account)
	}
	if strings.Contains(arn, "/consumer/") {
		st, k, err := s.findConsumer(consumerInput{ConsumerARN: arn}, c.now)
		if err != nil {
			return nil, err
		}
		st.mu.Lock()
		defer st.mu.Unlock()
		if write && k.status(c.now) == "DELETING" {
			return nil, errInUse("Consumer %s under account %s is being deregistered.", k.name, account)
		}
		return f(st, k)
	}
	name, err := streamName("", arn)
	if err != nil {
		return nil, errNotFound("Stream %s under account %s not found.", strings.TrimPrefix(arn, arnPrefix), account)
	}
	st, err := s.store.get(name, c.now)
	if err != nil {
		return nil, err
	}
	st.mu.Lock()
	defer st.mu.Unlock()
	return f(st, nil)
}

type resourcePolicyInput struct {
	ResourceARN *string `json:"ResourceARN"`
	Policy      *string `json:"Policy"`
}

// policyKey is the key of a resource's policy in its stream's settings.
func policyKey(st *stream, k *consumer) string {
	if k != nil {
		return k.arn
	}
	return st.arn
}

func (s *Server) putResourcePolicy(c *call) (any, error) {
	var in resourcePolicyInput
	if err := c.decode(&in); err != nil { // the model checks Policy is given
		return nil, err
	}
	var doc map[string]any
	if len(*in.Policy) > maxPolicyBytes {
		return nil, errInvalid("Policy is %d bytes, above the limit of %d.", len(*in.Policy), maxPolicyBytes)
	}
	if err := json.Unmarshal([]byte(*in.Policy), &doc); err != nil || doc["Statement"] == nil {
		return nil, errInvalid("Policy is not a valid policy document: a JSON object with a Statement.")
	}
	return s.withResource(c, in.ResourceARN, true, func(st *stream, k *consumer) (any, error) {
		if st.settings.policies == nil {
			st.settings.policies = map[string]string{}
		}
		st.settings.policies[policyKey(st, k)] = *in.Policy
		return struct{}{}, nil
	})
}

func (s *Server) getResourcePolicy(c *call) (any, error) {
	var in resourcePolicyInput
	if err := c.decode(&in); err != nil {
		return nil, err
	}
	return s.withResource(c, in.ResourceARN, false, func(st *stream, k *consumer) (any, error) {
		p, ok := st.settings.policies[policyKey(st, k)]
		if !ok {
			return nil, errNotFound("No resource policy exists for %s.", *in.ResourceARN)
		}
		return map[string]string{"Policy": p}, nil
	})
}

func (s *Server) deleteResourcePolicy(c *call) (any, error) {
	var in resourcePolicyInput
	if err := c.decode(&in); err != nil {
		return nil, err
	}
	return s.withResource(c, in.ResourceARN, true, func(st *stream, k *consumer) (any, error) {
		key := policyKey(st, k)
		if _, ok := st.settings.policies[key]; !ok {
			return nil, errNotFound("No resource policy exists for %s.", *in.ResourceARN)
		}
		delete(st.settings.policies, key)
		return struct{}{}, nil
	})
}
