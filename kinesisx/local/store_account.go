package local

import (
	"sync"
	"time"
)

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

// commitment is the account's billing commitment at one instant.
type commitment struct {
	status                   string // "" (DISABLED), ENABLED or ENABLED_UNTIL_EARLIEST_ALLOWED_END
	started, ended, earliest time.Time
}

// view returns the commitment now.
func (a *accountSettings) view(now time.Time) commitment {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.settle(now)
	return commitment{a.status, a.started, a.ended, a.earliest}
}

// update applies a requested status (ENABLED or DISABLED).
func (a *accountSettings) update(status string, now time.Time) commitment {
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
	return commitment{a.status, a.started, a.ended, a.earliest}
}
