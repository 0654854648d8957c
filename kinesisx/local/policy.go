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

// resource resolves a ResourceARN (a stream's or a consumer's, checked
// against the model's pattern) to the stream and, for a consumer ARN, the
// consumer.
func (s *Server) resource(c *call, arnp *string) (*stream, *consumer, error) {
	if arnp == nil {
		return nil, nil, errValidation("1 validation error detected: Value null at 'resourceARN' failed to satisfy constraint: Member must not be null")
	}
	arn := *arnp
	if len(arn) < 1 || len(arn) > 2048 || !resourceARNRE.MatchString(arn) {
		return nil, nil, errValidation("1 validation error detected: Value %q at 'resourceARN' failed to satisfy constraint: Member must satisfy regular expression pattern: arn:aws.*:kinesis:.*:\\d{12}:.*stream/\\S+", arn)
	}
	if !strings.HasPrefix(arn, arnPrefix) {
		return nil, nil, notFound("Resource %s under account %s not found.", arn, account)
	}
	if strings.Contains(arn, "/consumer/") {
		return s.findConsumer(consumerInput{ConsumerARN: arn}, c.now)
	}
	name, err := streamName("", arn)
	if err != nil {
		return nil, nil, notFound("Stream %s under account %s not found.", strings.TrimPrefix(arn, arnPrefix), account)
	}
	st, err := s.store.get(name, c.now)
	return st, nil, err
}

type resourcePolicyInput struct {
	ResourceARN *string `json:"ResourceARN"`
	Policy      *string `json:"Policy"`
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
	st, k, err := s.resource(c, in.ResourceARN)
	if err != nil {
		return nil, err
	}
	return struct{}{}, st.setPolicy(k, *in.ResourceARN, in.Policy, c.now)
}

func (s *Server) getResourcePolicy(c *call) (any, error) {
	var in resourcePolicyInput
	if err := c.decode(&in); err != nil {
		return nil, err
	}
	st, k, err := s.resource(c, in.ResourceARN)
	if err != nil {
		return nil, err
	}
	p, err := st.policy(k, *in.ResourceARN)
	if err != nil {
		return nil, err
	}
	return map[string]string{"Policy": p}, nil
}

func (s *Server) deleteResourcePolicy(c *call) (any, error) {
	var in resourcePolicyInput
	if err := c.decode(&in); err != nil {
		return nil, err
	}
	st, k, err := s.resource(c, in.ResourceARN)
	if err != nil {
		return nil, err
	}
	return struct{}{}, st.setPolicy(k, *in.ResourceARN, nil, c.now)
}
