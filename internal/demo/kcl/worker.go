package kcl

import (
	"context"
	"strconv"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	ddbtypes "github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/aws/aws-sdk-go-v2/service/kinesis"
	"github.com/aws/aws-sdk-go-v2/service/kinesis/types"
)

type kinesisShard = types.Shard

// maxPending bounds the records a slow shard holds before checkpointing
// them: past it the oldest are checkpointed early.
const maxPending = 200_000

// unread is a record read but not yet checkpointed.
type unread struct {
	seq     string
	arrival time.Time
}

// consume reads one shard from its checkpoint until it ends or ctx does,
// checkpointing after every read: at the newest record, or for the slow
// shard at the newest one at least Delay old. At the end of a shard it
// checkpoints SHARD_END with the children, and the next sync starts them.
func (c *Consumer) consume(ctx context.Context, shardID string) {
	c.mu.Lock()
	l := *c.leases[shardID]
	c.mu.Unlock()
	delay := time.Duration(0)
	if shardID == c.o.SlowShard {
		delay = c.o.Delay
	}
	var (
		it      *string
		after   = l.checkpoint // the last record read
		pending []unread
		closed  bool // the shard ended: nothing more to read
	)
	t := time.NewTicker(c.o.Every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		if !closed {
			if it == nil {
				if it = c.iterator(ctx, shardID, after); it == nil {
					continue
				}
			}
			out, err := c.k.GetRecords(ctx, &kinesis.GetRecordsInput{ShardIterator: it, Limit: aws.Int32(10000)})
			if err != nil {
				// Throttled, expired or refused: start again after the
				// last record read, as the KCL does.
				it = nil
				continue
			}
			for _, r := range out.Records {
				after = aws.ToString(r.SequenceNumber)
				pending = append(pending, unread{seq: after, arrival: aws.ToTime(r.ApproximateArrivalTimestamp)})
			}
			if it = out.NextShardIterator; it == nil {
				closed = true
				for _, ch := range out.ChildShards {
					l.children = append(l.children, aws.ToString(ch.ShardId))
				}
			}
		}
		// Every record read is processed at once, except on the slow shard:
		// there only those Delay old (by the arrival the endpoint stamped).
		done := len(pending)
		if delay > 0 {
			cut := c.o.Now().Add(-delay)
			done = 0
			for done < len(pending) && (!pending[done].arrival.After(cut) || len(pending)-done > maxPending) {
				done++
			}
		}
		if done > 0 {
			l.checkpoint = pending[done-1].seq
			pending = append(pending[:0], pending[done:]...)
		}
		// A closed shard whose records wait for the slow worker is not
		// read again, only checkpointed until they are done.
		ended := closed && len(pending) == 0
		if ended {
			l.checkpoint = "SHARD_END"
		}
		l.counter++ // every write is a renewal too
		if err := c.write(ctx, l); err == nil || ended {
			c.mu.Lock()
			c.leases[shardID].checkpoint, c.leases[shardID].counter, c.leases[shardID].children = l.checkpoint, l.counter, l.children
			if ended {
				c.leases[shardID].running = false
			}
			c.mu.Unlock()
		}
		if ended {
			return
		}
	}
}

// iterator starts reading after the last record read, or at the lease's
// checkpoint; nil when the call failed (tried again on the next tick).
func (c *Consumer) iterator(ctx context.Context, shardID, after string) *string {
	in := &kinesis.GetShardIteratorInput{StreamName: aws.String(c.o.Stream), ShardId: aws.String(shardID)}
	switch after {
	case "", "TRIM_HORIZON":
		in.ShardIteratorType = types.ShardIteratorTypeTrimHorizon
	default:
		in.ShardIteratorType = types.ShardIteratorTypeAfterSequenceNumber
		in.StartingSequenceNumber = aws.String(after)
	}
	out, err := c.k.GetShardIterator(ctx, in)
	if err != nil {
		return nil
	}
	return out.ShardIterator
}

// write puts the lease item, every attribute as the KCL 2.x
// DynamoDBLeaseSerializer names and types it.
func (c *Consumer) write(ctx context.Context, l lease) error {
	item := map[string]ddbtypes.AttributeValue{
		"leaseKey":                     &ddbtypes.AttributeValueMemberS{Value: l.shardID},
		"leaseOwner":                   &ddbtypes.AttributeValueMemberS{Value: l.owner},
		"leaseCounter":                 &ddbtypes.AttributeValueMemberN{Value: strconv.FormatInt(l.counter, 10)},
		"ownerSwitchesSinceCheckpoint": &ddbtypes.AttributeValueMemberN{Value: "0"},
		"checkpoint":                   &ddbtypes.AttributeValueMemberS{Value: l.checkpoint},
		"checkpointSubSequenceNumber":  &ddbtypes.AttributeValueMemberN{Value: "0"},
	}
	// DynamoDB has no empty sets: the KCL leaves the attribute out.
	if len(l.parents) > 0 {
		item["parentShardId"] = &ddbtypes.AttributeValueMemberSS{Value: l.parents}
	}
	if len(l.children) > 0 {
		item["childShardIds"] = &ddbtypes.AttributeValueMemberSS{Value: l.children}
	}
	if l.startHash != "" {
		item["startingHashKey"] = &ddbtypes.AttributeValueMemberS{Value: l.startHash}
		item["endingHashKey"] = &ddbtypes.AttributeValueMemberS{Value: l.endHash}
	}
	_, err := c.d.PutItem(ctx, &dynamodb.PutItemInput{TableName: aws.String(c.o.App), Item: item})
	return err
}
