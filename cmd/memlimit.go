package cmd

import (
	"os"
	"runtime/debug"
)

// demoMemoryLimit is the soft memory limit of the demo, which keeps records
// in memory. The garbage collector otherwise lets the heap grow to twice its
// live size, which made a capped endpoint hold about 190 MiB for 80 MB of
// records (BENCHMARKS.md, Memory). `kinspect local` derives its limit from
// its byte caps (local.MemoryLimit).
const demoMemoryLimit = 160 << 20

// softMemoryLimit sets the runtime's soft memory limit for the command's
// lifetime, unless GOMEMLIMIT already sets one, and returns a func that
// restores the previous limit.
func softMemoryLimit(limit int64) (restore func()) {
	if os.Getenv("GOMEMLIMIT") != "" || limit <= 0 {
		return func() {}
	}
	prev := debug.SetMemoryLimit(limit)
	return func() { debug.SetMemoryLimit(prev) }
}
