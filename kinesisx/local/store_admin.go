package local

import (
	"slices"
	"sort"
	"time"
)

// The store side of tags (of streams and consumers), retention, enhanced
// monitoring and resource policies.

// tagsOf returns the resource's tags (the stream's when k is nil) sorted
// by key.
func (st *stream) tagsOf(k *consumer) [][2]string {
	st.mu.RLock()
	defer st.mu.RUnlock()
	tags := st.tags
	if k != nil {
		tags = k.tags
	}
	out := make([][2]string, 0, len(tags))
	for key, v := range tags {
		out = append(out, [2]string{key, v})
	}
	sort.Slice(out, func(i, j int) bool { return out[i][0] < out[j][0] })
	return out
}

// tag adds tags to the resource (the stream when k is nil), at most
// maxTagsPerResource in all; a consumer being deregistered takes none.
func (st *stream) tag(k *consumer, add map[string]string, now time.Time) error {
	return st.editTags(k, now, func(tags map[string]string, name string) error {
		n := len(tags)
		for key := range add {
			if _, ok := tags[key]; !ok {
				n++
			}
		}
		if n > maxTagsPerResource {
			return overLimit("%s would have %d tags; the limit is %d.", name, n, maxTagsPerResource)
		}
		for key, v := range add {
			tags[key] = v
		}
		return nil
	})
}

// untag removes the keys from the resource's tags.
func (st *stream) untag(k *consumer, keys []string, now time.Time) error {
	return st.editTags(k, now, func(tags map[string]string, _ string) error {
		for _, key := range keys {
			delete(tags, key)
		}
		return nil
	})
}

// editTags calls f with the resource's tag map and name under the
// stream's lock.
func (st *stream) editTags(k *consumer, now time.Time, f func(tags map[string]string, name string) error) error {
	st.mu.Lock()
	defer st.mu.Unlock()
	if k == nil {
		if st.tags == nil {
			st.tags = map[string]string{}
		}
		return f(st.tags, "Stream "+st.name)
	}
	if k.status(now) == "DELETING" {
		return inUse("Consumer %s under account %s is being deregistered.", k.name, account)
	}
	if k.tags == nil {
		k.tags = map[string]string{}
	}
	return f(k.tags, "Consumer "+k.name)
}

// setRetention changes the retention period to h hours: up only when
// increase says so, down only when it does not.
func (st *stream) setRetention(h int, increase bool) error {
	return st.change(true, func() error {
		if increase && h < st.retentionHours {
			return invalid("Requested retention period (%d hours) for stream %s can not be shorter than existing retention period (%d hours). Use DecreaseRetentionPeriod API.", h, st.name, st.retentionHours)
		}
		if !increase && h > st.retentionHours {
			return invalid("Requested retention period (%d hours) for stream %s can not be longer than existing retention period (%d hours). Use IncreaseRetentionPeriod API.", h, st.name, st.retentionHours)
		}
		st.retentionHours = h
		return nil
	})
}

// shardLevelMetrics returns the valid values of ShardLevelMetrics ("ALL"
// aside), in AWS's order.
func shardLevelMetrics() []string {
	return []string{"IncomingBytes", "IncomingRecords", "OutgoingBytes", "OutgoingRecords",
		"WriteProvisionedThroughputExceeded", "ReadProvisionedThroughputExceeded", "IteratorAgeMilliseconds"}
}

// monitor turns the shard-level metrics want on (enable) or off, in the
// stream and in the metric store together, and returns the metrics on
// before and after.
func (s *store) monitor(st *stream, want []string, enable bool) (current, desired []string, err error) {
	err = st.change(true, func() error {
		current = append([]string{}, st.monitoring...)
		for _, m := range shardLevelMetrics() {
			on := slices.Contains(current, m)
			if slices.Contains(want, m) {
				on = enable
			}
			if on {
				desired = append(desired, m)
			}
		}
		st.monitoring = desired
		s.metrics.setMonitoring(st.name, desired)
		return nil
	})
	return current, desired, err
}

// policyKey is the key of a resource's policy in its stream's settings.
func policyKey(st *stream, k *consumer) string {
	if k != nil {
		return k.arn
	}
	return st.arn
}

// policy returns the resource's policy.
func (st *stream) policy(k *consumer, arn string) (string, error) {
	st.mu.RLock()
	defer st.mu.RUnlock()
	p, ok := st.settings.policies[policyKey(st, k)]
	if !ok {
		return "", notFound("No resource policy exists for %s.", arn)
	}
	return p, nil
}

// setPolicy sets (doc) or deletes (nil) the resource's policy; a consumer
// being deregistered takes no change.
func (st *stream) setPolicy(k *consumer, arn string, doc *string, now time.Time) error {
	st.mu.Lock()
	defer st.mu.Unlock()
	if k != nil && k.status(now) == "DELETING" {
		return inUse("Consumer %s under account %s is being deregistered.", k.name, account)
	}
	key := policyKey(st, k)
	if doc == nil {
		if _, ok := st.settings.policies[key]; !ok {
			return notFound("No resource policy exists for %s.", arn)
		}
		delete(st.settings.policies, key)
		return nil
	}
	if st.settings.policies == nil {
		st.settings.policies = map[string]string{}
	}
	st.settings.policies[key] = *doc
	return nil
}
