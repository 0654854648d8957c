package local

// MemoryLimit is the soft memory limit (runtime/debug.SetMemoryLimit) that
// suits an endpoint keeping at most maxBytes of records over all streams:
// the records (counted with their overhead) are most of the live heap; half
// as much again and 64 MiB leave the garbage collector room, so it never
// runs constantly once the streams are full (BENCHMARKS.md, "Endpoint
// memory limit and the global cap").
func MemoryLimit(maxBytes int64) int64 {
	if maxBytes <= 0 {
		maxBytes = DefaultMaxBytes
	}
	return maxBytes + maxBytes/2 + 64<<20
}
