// Package local is kinspect's built-in Kinesis endpoint: a real HTTP server
// on loopback that the aws-sdk-go-v2 Kinesis client talks to exactly as it
// talks to AWS (Kinesis JSON 1.1 over HTTP/1.1 and h2c, SubscribeToShard as
// an application/vnd.amazon.eventstream response).
//
// Layers: the store (store*.go, shard.go, limits.go, metrics.go,
// backfill.go) holds the streams, their shards, records, consumers and
// settings, and the metrics; it takes its own locks and reports failures
// as store errors of a kind (storeerr.go: not found, in use, invalid, over
// a limit, throttled, …) that name no exception. The protocol (the rest:
// JSON 1.1 and CBOR decoding, the model's checks, one handler per
// operation, SubscribeToShard's event stream) decodes a request, calls
// store methods and renders what they return; it never takes a store lock
// or reads a locked field, and wireError turns a store error into AWS's
// exception type, status and message, in that one place.
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
