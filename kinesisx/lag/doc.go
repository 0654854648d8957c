// Package lag answers "how far behind is each consumer of a stream, on each
// shard": it reads the applications' own state, the DynamoDB lease tables
// of Kinesis Client Library (KCL) applications and the Lambda event source
// mappings on the stream, and measures each checkpoint against the tip of
// its shard with one GetRecords.
//
// It only reads: DynamoDB ListTables, DescribeTable and Scan; Lambda
// ListEventSourceMappings; Kinesis GetShardIterator and GetRecords;
// CloudWatch GetMetricData. kinspect never writes to a lease table.
//
// # The KCL lease format
//
// Attribute names are those of the KCL's DynamoDBLeaseSerializer and
// DynamoDBMultiStreamLeaseSerializer (awslabs/amazon-kinesis-client,
// software.amazon.kinesis.leases.dynamodb), which every KCL port copies:
//
//	leaseKey                      S   the hash key: the shard ID, or in a multi-stream
//	                                  table "account:stream:creationEpoch:shardId"
//	leaseOwner                    S   the worker holding the lease; absent when nobody does
//	leaseCounter                  N   bumped by every renewal; a stuck counter is a dead owner
//	ownerSwitchesSinceCheckpoint  N   times the lease changed hands since the last checkpoint
//	checkpoint                    S   a sequence number, or a sentinel: TRIM_HORIZON,
//	                                  LATEST, AT_TIMESTAMP (not started), SHARD_END (done)
//	checkpointSubSequenceNumber   N   the KPL sub-record inside that sequence number
//	pendingCheckpoint             S   a checkpoint being taken (2.x), not yet durable
//	parentShardId                 SS  the parents of the shard (one, or two after a merge)
//	childShardId / childShardIds  SS  the children, once the shard ended (2.x / 3.x name)
//	streamName, shardId           S   multi-stream tables only: the stream identifier
//	                                  "account:stream:creationEpoch" and the shard
//	checkpointOwner, throughputKBps   KCL 3.x only (graceful handoff, load balancing)
//
// A lease table is recognised by its key schema: one HASH key named
// leaseKey. KCL 3.x's other tables (the coordinator state table, key "key";
// the worker metrics table, key "wid") do not match.
//
// # Concurrency
//
// A Reader is safe for concurrent use; it holds no state between calls.
// Each read measures shards with a bounded number of goroutines
// (errgroup), all of which return before the read does.
package lag
