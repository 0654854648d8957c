package local

import "time"

// The account-level operations: DescribeLimits, DescribeAccountSettings and
// UpdateAccountSettings (the minimum throughput billing commitment, which
// on-demand warm throughput needs).

// json is the MinimumThroughputBillingCommitmentOutput of v.
func (v commitment) json() map[string]any {
	out := map[string]any{"Status": "DISABLED"}
	if v.status != "" {
		out["Status"] = v.status
	}
	for k, t := range map[string]time.Time{"StartedAt": v.started, "EndedAt": v.ended, "EarliestAllowedEndAt": v.earliest} {
		if !t.IsZero() {
			out[k] = epoch(t)
		}
	}
	return map[string]any{"MinimumThroughputBillingCommitment": out}
}

func (s *Server) describeAccountSettings(c *call) (any, error) {
	if err := c.decode(&struct{}{}); err != nil {
		return nil, err
	}
	return s.store.account.view(c.now).json(), nil
}

type updateAccountSettingsInput struct {
	MinimumThroughputBillingCommitment struct {
		Status string `json:"Status"`
	} `json:"MinimumThroughputBillingCommitment"`
}

func (s *Server) updateAccountSettings(c *call) (any, error) {
	var in updateAccountSettingsInput
	if err := c.decode(&in); err != nil { // the model checks Status is given, ENABLED or DISABLED
		return nil, err
	}
	return s.store.account.update(in.MinimumThroughputBillingCommitment.Status, c.now).json(), nil
}

func (s *Server) describeLimits(c *call) (any, error) {
	if err := c.decode(&struct{}{}); err != nil {
		return nil, err
	}
	return map[string]int{
		"ShardLimit":               accountShardLimit,
		"OpenShardCount":           s.store.openShards(),
		"OnDemandStreamCount":      s.store.onDemandCount(c.now),
		"OnDemandStreamCountLimit": onDemandStreamLimit,
	}, nil
}
