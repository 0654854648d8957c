// Package human spells values the way a person reads them, for the command
// line and the screens alike.
package human

import (
	"fmt"
	"time"
)

// Age spells a duration compactly, as a person reads an age: 45s, 12m, 5h
// (up to 47h), 3d. A negative one (clocks that disagree) is 0s.
func Age(d time.Duration) string {
	switch {
	case d < 0:
		return "0s"
	case d < time.Minute:
		return fmt.Sprintf("%ds", int(d.Seconds()))
	case d < time.Hour:
		return fmt.Sprintf("%dm", int(d.Minutes()))
	case d < 48*time.Hour:
		return fmt.Sprintf("%dh", int(d.Hours()))
	}
	return fmt.Sprintf("%dd", int(d.Hours()/24))
}
