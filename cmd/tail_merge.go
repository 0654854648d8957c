package cmd

import (
	"time"
)

// mergeDefault settles --merge: on when stdout is a terminal (a person
// reads one timeline), off in a pipe (records as soon as they are read);
// given, it wins. A --until window is read without it: the window ends by
// each shard's progress, which a merge would run ahead of.
func (o *tailOptions) mergeDefault(given bool) error {
	if o.Watermark < 0 {
		return usagef("--watermark must not be negative")
	}
	if o.Until != "" {
		if given && o.Merge {
			return usagef("--merge goes without --until")
		}
		o.Merge = false
		return nil
	}
	if !given {
		o.Merge = isTerminal(o.f.Out)
	}
	return nil
}

// watermark maps --watermark to the tail's option, where 0 is the default
// and a strict order is negative.
func watermark(d time.Duration) time.Duration {
	if d == 0 {
		return -1
	}
	return d
}
