package shards

import (
	"time"

	"github.com/kinspect/kinspect/kinesisx/retention"
)

// risks grades every open shard's retention clock: the stream's retention
// minus the iterator age, taken from the running tail's MillisBehindLatest
// when there is one (the freshest), else from CloudWatch's
// IteratorAgeMilliseconds. A shard with neither is left out.
func (m *Model) risks() map[string]retention.Risk {
	keep := retention.Retention(m.stream)
	if keep <= 0 {
		return nil
	}
	ages := make([]retention.ShardAge, 0, len(m.shards))
	for _, s := range m.shards {
		if !s.Open {
			continue
		}
		if p, ok := m.live[s.ID]; ok {
			ages = append(ages, retention.ShardAge{ShardID: s.ID, IteratorAge: time.Duration(p.MillisBehindLatest) * time.Millisecond})
		} else if mt, ok := m.metric[s.ID]; ok {
			ages = append(ages, retention.ShardAge{ShardID: s.ID, IteratorAge: time.Duration(mt.IteratorAgeMs) * time.Millisecond})
		}
	}
	out := make(map[string]retention.Risk, len(ages))
	for _, r := range retention.Assess(keep, m.riskThreshold, ages) {
		out[r.ShardID] = r
	}
	return out
}

// riskMap is the frame's risks while View runs, else freshly assessed.
func (m *Model) riskMap() map[string]retention.Risk {
	if m.frameRisks != nil {
		return m.frameRisks
	}
	return m.risks()
}

// atRisk counts the shards under the threshold or losing data.
func (m *Model) atRisk() int {
	n := 0
	for _, r := range m.riskMap() {
		if r.AtRisk() {
			n++
		}
	}
	return n
}
