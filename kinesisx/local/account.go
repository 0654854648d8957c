package local

import (
	"sync"
	"time"
)

// The account-level operations: DescribeLimits, DescribeAccountSettings and
// UpdateAccountSettings (the minimum throughput billing commitment, which
// on-demand warm throughput needs).

// commitmentMinimum is how long a minimum throughput billing commitment
// lasts at least: disabling it sooner schedules its end for then.
const commitmentMinimum = 24 * time.Hour

// accountSettings is the account's minimum throughput billing commitment.
type accountSettings struct {
	mu       sync.Mutex
	status   string // "" (DISABLED), ENABLED or ENABLED_UNTIL_EARLIEST_ALLOWED_END
	started  time.Time
	ended    time.Time
	earliest time.Time // the earliest allowed end
}

// settle ends a commitment whose scheduled end has come. The caller holds
// a.mu.
func (a *accountSettings) settle(now time.Time) {
	if a.status == "ENABLED_UNTIL_EARLIEST_ALLOWED_END" && !now.Before(a.earliest) {
		a.status, a.ended = "", a.earliest
	}
}

// committed reports whether the commitment is in force.
func (a *accountSettings) committed() bool {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.status != "" // a scheduled end still holds until it comes
}

// json is the MinimumThroughputBillingCommitmentOutput. The caller holds
// a.mu.
func (a *accountSettings) json() map[string]any {
	out := map[string]any{"Status": "DISABLED"}
	if a.status != "" {
		out["Status"] = a.status
	}
	for k, t := range map[string]time.Time{"StartedAt": a.started, "EndedAt": a.ended, "EarliestAllowedEndAt": a.earliest} {
		if !t.IsZero() {
			out[k] = epoch(t)
		}
	}
	return map[string]any{"MinimumThroughputBillingCommitment": out}
}

// update applies a requested status (ENABLED or DISABLED).
func (a *accountSettings) update(status string, now time.Time) map[string]any {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.settle(now)
	switch {
	case status == "ENABLED" && a.status == "":
		a.status, a.started, a.ended, a.earliest = "ENABLED", now, time.Time{}, now.Add(commitmentMinimum)
	case status == "ENABLED": // cancels a scheduled end
		a.status = "ENABLED"
	case status == "DISABLED" && a.status != "" && now.Before(a.earliest):
		a.status = "ENABLED_UNTIL_EARLIEST_ALLOWED_END"
	case status == "DISABLED" && a.status != "":
		a.status, a.ended = "", now
	}
	return a.json()
}

func (s *Server) describeAccountSettings(c *call) (any, error) {
	if err := c.decode(&struct{}{}); err != nil {
		return nil, err
	}
	a := &s.store.account
	a.mu.Lock()
	defer a.mu.Unlock()
	a.settle(c.now)
	return a.json(), nil
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
	return s.store.account.update(in.MinimumThroughputBillingCommitment.Status, c.now), nil
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
