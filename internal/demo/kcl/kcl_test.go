package kcl_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/kinesis"
	"go.uber.org/goleak"

	"github.com/kinspect/kinspect/internal/demo/kcl"
	"github.com/kinspect/kinspect/internal/testenv"
	"github.com/kinspect/kinspect/kinesisx"
	"github.com/kinspect/kinspect/kinesisx/lag"
	"github.com/kinspect/kinspect/kinesisx/lag/lagtest"
	"github.com/kinspect/kinspect/kinesisx/local"
	"github.com/kinspect/kinspect/kinesisx/local/localtest"
)

// TestMain fails the package if a test leaves a goroutine behind: the
// consumer's shard readers must all stop when Run returns.
func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// TestLeaseTableReadsBack runs the demo consumer on a 4-shard stream of the
// built-in endpoint with live traffic, its lease table in moto, and reads
// the table back with kinesisx/lag: the one application, its two workers,
// every shard ok and leased, the slow shard seconds behind with records
// unread, the others caught up.
func TestLeaseTableReadsBack(t *testing.T) {
	motoURL := lagtest.Moto(t)
	url := localtest.URL(t, local.Options{})
	k := testenv.KinesisClient(t, url)
	ddb := dynamodb.New(dynamodb.Options{Region: testenv.Region, BaseEndpoint: aws.String(motoURL),
		Credentials: credentials.NewStaticCredentialsProvider("a", "b", "")})
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if _, err := k.CreateStream(ctx, &kinesis.CreateStreamInput{StreamName: aws.String("orders"), ShardCount: aws.Int32(4)}); err != nil {
		t.Fatal(err)
	}
	if err := testenv.WaitStreamActive(ctx, k, "orders"); err != nil {
		t.Fatal(err)
	}
	c := kinesisx.New(k)
	shards, err := c.ListShards(ctx, "orders")
	if err != nil {
		t.Fatal(err)
	}
	slow := shards[1].ID

	// Traffic: a record on every shard every 50 ms.
	var wg sync.WaitGroup
	defer wg.Wait()
	pctx, stopProducer := context.WithCancel(ctx)
	defer stopProducer()
	wg.Add(1)
	go func() {
		defer wg.Done()
		for n := 0; pctx.Err() == nil; n++ {
			for _, s := range shards {
				_, _ = k.PutRecord(pctx, &kinesis.PutRecordInput{StreamName: aws.String("orders"), PartitionKey: aws.String("k"),
					ExplicitHashKey: aws.String(s.HashRange.Start.String()), Data: []byte(fmt.Sprint(n))})
			}
			select {
			case <-pctx.Done():
			case <-time.After(50 * time.Millisecond):
			}
		}
	}()
	cctx, stopConsumer := context.WithCancel(ctx)
	defer stopConsumer()
	consumer := kcl.New(k, ddb, kcl.Options{App: "orders-billing", Stream: "orders", Workers: []string{"worker-a", "worker-b"},
		SlowShard: slow, Delay: 3 * time.Second, Every: 100 * time.Millisecond})
	runErr := make(chan error, 1)
	wg.Add(1)
	go func() { defer wg.Done(); runErr <- consumer.Run(cctx) }()

	st, err := c.DescribeStream(ctx, "orders")
	if err != nil {
		t.Fatal(err)
	}
	r := lag.New(k, ddb, nil, nil)
	var app lag.Application
	deadline := time.Now().Add(30 * time.Second)
	for {
		apps, err := r.KCL(ctx, st, shards, nil)
		if err == nil && len(apps) == 1 {
			app = apps[0]
			if ms := app.Shards[1].MillisBehindLatest; ms != nil && *ms >= 2000 && started(app) {
				break
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("the slow shard never fell 2 s behind: %v %+v", err, apps)
		}
		time.Sleep(200 * time.Millisecond)
	}
	if app.Name != "orders-billing" || app.Table != "orders-billing" || app.Kind != lag.KindKCL || app.MultiStream {
		t.Fatalf("application %+v", app)
	}
	if len(app.Workers) != 2 || app.Workers["worker-a"] != 2 || app.Workers["worker-b"] != 2 || len(app.Warnings) != 0 {
		t.Errorf("workers %v warnings %v", app.Workers, app.Warnings)
	}
	for _, s := range app.Shards {
		if s.State != lag.StateOK || !s.Leased || s.LeaseCounter < 1 || !lag.IsSequenceNumber(s.Checkpoint) || s.MillisBehindLatest == nil {
			t.Errorf("%s: %+v", s.ShardID, s)
			continue
		}
		behind := *s.MillisBehindLatest
		if s.ShardID == slow {
			if s.BehindRecords == nil || *s.BehindRecords < 20 || s.CheckpointAge < 2*time.Second {
				t.Errorf("slow %s: behind %d ms, records %v, checkpoint age %s", s.ShardID, behind, s.BehindRecords, s.CheckpointAge)
			}
			continue
		}
		if behind >= 1500 {
			t.Errorf("%s is %d ms behind; only %s should be", s.ShardID, behind, slow)
		}
	}
	stopConsumer()
	if err := <-runErr; err != nil {
		t.Fatal(err)
	}
}

// started reports whether every shard has a sequence-number checkpoint.
func started(app lag.Application) bool {
	for _, s := range app.Shards {
		if !lag.IsSequenceNumber(s.Checkpoint) {
			return false
		}
	}
	return len(app.Shards) > 0
}
