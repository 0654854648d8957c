package kinesisx

import (
	"errors"
	"fmt"
)

// ErrReadOnly is returned by every mutation of a read-only client.
var ErrReadOnly = errors.New("read-only mode refused it")

// Action names a mutation for the guard and for messages.
type Action string

// The mutations kinspect can make. Each one passes through Guard.Allow.
const (
	ActionPut                Action = "put records"
	ActionSplit              Action = "split shard"
	ActionMerge              Action = "merge shards"
	ActionScale              Action = "update shard count"
	ActionRegisterConsumer   Action = "register consumer"
	ActionDeregisterConsumer Action = "deregister consumer"
	ActionEnableMonitoring   Action = "enable enhanced monitoring"
	ActionDisableMonitoring  Action = "disable enhanced monitoring"
)

// Guard is the one place that decides whether a mutation may run. Every
// mutating method of Client calls Allow before it sends anything.
type Guard struct {
	ReadOnly bool
	// Why says why the run is read-only, for the refusal; empty means it
	// was started with --read-only.
	Why string
}

// Allow returns nil when the action may run, or an error wrapping
// ErrReadOnly that says why.
func (g Guard) Allow(a Action) error {
	if g.ReadOnly {
		why := g.Why
		if why == "" {
			why = "started with --read-only"
		}
		return fmt.Errorf("%s: %w (%s)", a, ErrReadOnly, why)
	}
	return nil
}
