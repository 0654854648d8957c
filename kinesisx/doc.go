// Package kinesisx is the Kinesis Data Streams domain of kinspect over
// aws-sdk-go-v2: streams and shards with their lineage, a tail that reads a
// stream exactly once by polling or enhanced fan-out, puts, resharding and
// consumers. It knows nothing of the terminal: the CLI and the TUI are both
// clients of it.
//
// A Client is safe for concurrent use. A Tail owns the goroutines it starts
// (one runner per shard and one coalescer); Close stops them all and waits.
// Only the goroutine that sends on a channel closes it.
package kinesisx
