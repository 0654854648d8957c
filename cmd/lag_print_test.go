package cmd

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/kinspect/kinspect/kinesisx/lag"
)

// TestLagTableWorstFirst: applications and, inside each, shards come worst
// lag first, under the retention clock of the laggard.
func TestLagTableWorstFirst(t *testing.T) {
	ms := func(v int64) *int64 { return &v }
	age := 5000.0
	r := lag.Report{Stream: "orders", StreamARN: "arn:aws:kinesis:us-east-1:1:stream/orders", Retention: 24 * time.Hour, Applications: []lag.Application{
		{Name: "quick", Kind: lag.KindKCL, Table: "quick", Workers: map[string]int{"w": 1}, Shards: []lag.ShardLag{
			{ShardID: "shardId-000000000000", Leased: true, Listed: true, State: lag.StateOK, Checkpoint: "1", Owner: "w", MillisBehindLatest: ms(0), BehindRecords: ms(0)},
		}},
		{Name: "enrich", Kind: lag.KindLambda, Function: "arn:aws:lambda:us-east-1:1:function:enrich", MappingState: "Enabled", BatchSize: 100,
			StartingPosition: "LATEST", LastProcessingResult: "OK", IteratorAgeMs: &age,
			EventSourceARN: "arn:aws:kinesis:us-east-1:1:stream/orders/consumer/fan:1"},
		{Name: "slow", Kind: lag.KindKCL, Table: "slow", Workers: map[string]int{"w1": 6, "w2": 1}, Warnings: []string{"worker w1 holds 6 leases; an even share is 4"}, Shards: []lag.ShardLag{
			{ShardID: "shardId-000000000000", Leased: true, Listed: true, State: lag.StateOK, Owner: "w1", MillisBehindLatest: ms(1000), CheckpointAge: 2 * time.Second},
			{ShardID: "shardId-000000000001", Leased: true, Listed: true, State: lag.StateOK, Owner: "w1", MillisBehindLatest: ms(3_600_000), CheckpointAge: 20 * time.Hour},
			{ShardID: "shardId-000000000002", Listed: true, State: lag.StateNoLease},
		}},
	}}
	var b bytes.Buffer
	if err := writeLagTable(&b, r, true); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	order := []string{
		"KCL slow (table slow, 2 workers): laggard shardId-000000000001, oldest unread record 20h0m0s old, trimmed in 4h0m0s",
		"! worker w1 holds 6 leases",
		"shardId-000000000001  ok",
		"shardId-000000000000  ok",
		"shardId-000000000002  no-lease",
		"Lambda enrich  Enabled, batch 100, from LATEST, last result OK, through EFO consumer arn:aws:kinesis:us-east-1:1:stream/orders/consumer/fan:1",
		"iterator age 5s (AWS/Lambda IteratorAge, newest minute's maximum): oldest unread record 5s old, trimmed in 23h59m55s",
		"KCL quick (table quick, 1 worker)",
	}
	at := 0
	for _, s := range order {
		i := strings.Index(out[at:], s)
		if i < 0 {
			t.Fatalf("missing, or out of order: %q\n%s", s, out)
		}
		at += i + len(s)
	}
}
