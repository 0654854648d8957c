// Package local is kinspect's built-in Kinesis endpoint: a real HTTP server
// on loopback that the aws-sdk-go-v2 Kinesis client talks to exactly as it
// talks to AWS (Kinesis JSON 1.1 over HTTP/1.1 and h2c, SubscribeToShard as
// an application/vnd.amazon.eventstream response).
//
// Concurrency and ownership: the Server owns a store of streams. The store's
// map is guarded by one RWMutex that is held only for lookups, creation and
// deletion. Each stream has its own RWMutex for its metadata (status, shard
// list, consumers, tags) and each shard its own mutex for its records, so
// writes and reads of different shards run in parallel. Lock order is
// store → stream → shard, and no code holds two shard locks at once.
// A shard's records live in an append-only slice with a trim offset;
// sequence numbers come from a per-stream atomic counter and so increase per
// shard. State transitions (CREATING → ACTIVE, UPDATING → ACTIVE, DELETING
// → gone, consumer CREATING → ACTIVE) are applied lazily by the clock on the
// next call that looks at the stream, so the server starts no timers or
// goroutines of its own; the only long-lived goroutines are the HTTP
// server's and the SubscribeToShard sessions, which Close ends and waits for.
package local
