package cmd

import (
	"time"
)

// mergeDefault settles --merge: on when stdout is a terminal (a person
// reads one timeline), off in a pipe (records as soon as they are read);
// given, it wins, and a --watermark given alone asks for it (a watermark
// means nothing without the merge, and ignoring it would surprise). A
// --until window is read without it: the window ends by each shard's
// progress, which a merge would run ahead of.
func (o *tailOptions) mergeDefault(given, watermarkGiven bool) error {
	if o.Watermark < 0 {
		return usagef("--watermark must not be negative")
	}
	if watermarkGiven && given && !o.Merge {
		return usagef("--watermark orders a merged tail: it goes without --merge=false")
	}
	if o.Until != "" {
		if given && o.Merge {
			return usagef("--merge goes without --until")
		}
		if watermarkGiven {
			return usagef("--watermark orders a merged tail, which goes without --until")
		}
		o.Merge = false
		return nil
	}
	switch {
	case watermarkGiven:
		o.Merge = true
	case !given:
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
