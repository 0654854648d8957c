package kinesisx_test

import (
	"context"
	"testing"
	"time"

	"github.com/kinspect/kinspect/internal/testenv"
	"github.com/kinspect/kinspect/kinesisx"
)

// EnsureConsumer registers and waits for ACTIVE, reuses on the second call,
// and CleanupConsumers deregisters only what this client registered.
func TestConsumersIntegration(t *testing.T) {
	for _, b := range writeBackends() {
		t.Run(b.name, func(t *testing.T) {
			sdk := testenv.KinesisClient(t, b.url(t))
			stream := testenv.StreamName(t)
			testenv.CreateStream(t, sdk, stream, 1)
			ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
			defer cancel()
			c := kinesisx.New(sdk)
			st, err := c.DescribeStream(ctx, stream)
			if err != nil {
				t.Fatal(err)
			}
			foreignARN := testenv.RegisterConsumer(t, sdk, stream, "someone-else")

			name := kinesisx.NewConsumerName()
			cons, created, err := c.EnsureConsumer(ctx, st.ARN, name)
			if err != nil || !created || cons.Status != kinesisx.ConsumerActive || !cons.Kinspect {
				t.Fatalf("first EnsureConsumer: %+v created=%v err=%v", cons, created, err)
			}
			again, created, err := kinesisx.New(sdk).EnsureConsumer(ctx, st.ARN, name)
			if err != nil || created || again.ARN != cons.ARN {
				t.Fatalf("second EnsureConsumer: %+v created=%v err=%v", again, created, err)
			}
			list, err := c.ListConsumers(ctx, st.ARN)
			if err != nil || len(list) != 2 {
				t.Fatalf("list %+v, %v", list, err)
			}

			// Cleanup runs with a fresh context even after the caller's ended.
			cctx, ccancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer ccancel()
			if err := c.CleanupConsumers(cctx); err != nil {
				t.Fatal(err)
			}
			deadline := time.Now().Add(10 * time.Second)
			for {
				list, err = c.ListConsumers(ctx, st.ARN)
				if err != nil {
					t.Fatal(err)
				}
				if len(list) == 1 && list[0].ARN == foreignARN {
					break
				}
				if time.Now().After(deadline) {
					t.Fatalf("after cleanup: %+v", list)
				}
				time.Sleep(50 * time.Millisecond)
			}
		})
	}
}
