package cmd

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/kinspect/kinspect/internal/human"
	"github.com/kinspect/kinspect/kinesisx"
)

type consumersOptions struct {
	f          *Factory
	Stream     string
	Prune      bool
	OlderThan  time.Duration
	Register   string
	Deregister string
	Yes        bool
	Output     string
}

func newConsumersCmd(f *Factory) *cobra.Command {
	return newConsumersCmdWith(f, runConsumers)
}

func newConsumersCmdWith(f *Factory, runF func(context.Context, *consumersOptions) error) *cobra.Command {
	o := &consumersOptions{f: f}
	c := &cobra.Command{
		Use:   "consumers STREAM",
		Short: "List, register, deregister and prune enhanced fan-out consumers",
		Long: `List a stream's enhanced fan-out consumers (name, status, created, age, and
whether kinspect made it), or change them: --register NAME, --deregister NAME,
or --prune, which deregisters stale kinspect consumers.

A registered consumer is billed per shard-hour even when idle. kinspect
deregisters the consumers of its own tails on every exit it can handle
(Ctrl-C, SIGTERM, a closed terminal); one left behind by a kill -9 stays
ACTIVE. While a kinspect uses a consumer it refreshes a heartbeat tag on it
(kinspect:heartbeat, every minute). --prune deregisters the ACTIVE
"kinspect-" consumers whose heartbeat is over 3 minutes old, and never one
with a fresher heartbeat, whatever --older-than says. The heartbeat holds
its writer's clock, which may be behind: one under 15 minutes old is first
watched for 75 seconds, and kept if it changes meanwhile. A "kinspect-" consumer
with no heartbeat (an older kinspect, another tool) is deregistered only with
--older-than, when it is older than that. The output names each consumer
kept and why. Changes ask for confirmation (--yes skips it).`,
		Example: `  kinspect consumers orders
  kinspect consumers orders --prune --yes
  kinspect consumers orders --prune --older-than 24h`,
		Args: cobra.ExactArgs(1),
		RunE: func(c *cobra.Command, args []string) error {
			o.Stream = args[0]
			if err := outputFlag(o.Output, "table", "json"); err != nil {
				return err
			}
			n := 0
			for _, set := range []bool{o.Prune, o.Register != "", o.Deregister != ""} {
				if set {
					n++
				}
			}
			if n > 1 {
				return usagef("choose one of --prune, --register and --deregister")
			}
			if o.Register != "" {
				if err := kinesisx.ValidateConsumerName(o.Register); err != nil {
					return usagef("--register: %v", err)
				}
			}
			if c.Flags().Changed("older-than") && o.OlderThan <= 0 {
				return usagef("--older-than must be positive")
			}
			return runF(c.Context(), o)
		},
	}
	fl := c.Flags()
	fl.BoolVar(&o.Prune, "prune", false, "deregister stale kinspect consumers")
	fl.DurationVar(&o.OlderThan, "older-than", 0, "with --prune: also deregister kinspect consumers with no heartbeat that are older than this")
	fl.StringVar(&o.Register, "register", "", "register a consumer with this name")
	fl.StringVar(&o.Deregister, "deregister", "", "deregister the consumer with this name")
	fl.BoolVarP(&o.Yes, "yes", "y", false, "do not ask for confirmation")
	fl.StringVarP(&o.Output, "output", "o", "table", "table or json")
	return c
}

// consumerJSON is one consumer in `consumers -o json`.
type consumerJSON struct {
	Name       string    `json:"name"`
	ARN        string    `json:"arn"`
	Status     string    `json:"status"`
	Created    time.Time `json:"created"`
	AgeSeconds int64     `json:"ageSeconds"`
	Kinspect   bool      `json:"kinspect"`
	// Heartbeat is the last heartbeat of a kinspect consumer (omitted:
	// none).
	Heartbeat *time.Time `json:"heartbeat,omitempty"`
}

func runConsumers(ctx context.Context, o *consumersOptions) error {
	c, err := o.f.Client(ctx)
	if err != nil {
		return err
	}
	st, err := c.DescribeStream(ctx, o.Stream)
	if err != nil {
		return err
	}
	switch {
	case o.Register != "":
		return registerConsumer(ctx, o, c, st.ARN)
	case o.Deregister != "":
		return deregisterConsumer(ctx, o, c, st.ARN)
	case o.Prune:
		return pruneConsumers(ctx, o, c, st.ARN)
	}
	list, err := c.ListConsumers(ctx, st.ARN)
	if err != nil {
		return err
	}
	list = c.ReadHeartbeats(ctx, list)
	if hint := kinesisx.StaleHintFor(o.Stream, list, time.Now(), noHeartbeatStale); hint != "" {
		fmt.Fprintln(o.f.Err, "kinspect: "+hint)
	}
	return printConsumers(o, list)
}

// noHeartbeatStale is the age from which the start-up hint counts a
// kinspect consumer without heartbeat as leaked.
const noHeartbeatStale = 24 * time.Hour

// noticeStaleConsumers prints, in the background, the one-line hint about
// stale kinspect consumers of the stream whose consumer consumerARN is
// (the caller's own, left out). The returned stop gives the look up to
// two more seconds, then ends it and waits; call it before exiting.
func noticeStaleConsumers(ctx context.Context, f *Factory, c *kinesisx.Client, stream, consumerARN string) (stop func()) {
	streamARN, _, ok := strings.Cut(consumerARN, "/consumer/")
	if !ok {
		return func() {}
	}
	ctx, cancel := context.WithTimeout(ctx, 15*time.Second)
	done := make(chan struct{})
	go func() {
		defer close(done)
		if hint, err := c.StaleHint(ctx, stream, streamARN, consumerARN, noHeartbeatStale); err == nil && hint != "" && ctx.Err() == nil {
			fmt.Fprintln(f.Err, "kinspect: "+hint)
		}
	}()
	return func() {
		select {
		case <-done:
		case <-time.After(2 * time.Second):
		}
		cancel()
		<-done
	}
}

func printConsumers(o *consumersOptions, list []kinesisx.Consumer) error {
	now := time.Now()
	if o.Output == "json" {
		out := make([]consumerJSON, 0, len(list))
		for _, cons := range list {
			j := consumerJSON{Name: cons.Name, ARN: cons.ARN, Status: cons.Status, Created: cons.CreatedAt.UTC(),
				AgeSeconds: int64(now.Sub(cons.CreatedAt).Seconds()), Kinspect: cons.Kinspect}
			if !cons.Heartbeat.IsZero() {
				hb := cons.Heartbeat.UTC()
				j.Heartbeat = &hb
			}
			out = append(out, j)
		}
		return writeJSON(o.f.Out, out)
	}
	t := newTable(o.f.Out, "NAME", "STATUS", "CREATED", "AGE", "KINSPECT", "HEARTBEAT")
	for _, cons := range list {
		mine, beat := "no", "-"
		if cons.Kinspect {
			mine = "yes"
		}
		if !cons.Heartbeat.IsZero() {
			beat = human.Age(now.Sub(cons.Heartbeat)) + " ago"
		}
		t.row(cons.Name, cons.Status, cons.CreatedAt.UTC().Format(time.RFC3339), human.Age(now.Sub(cons.CreatedAt)), mine, beat)
	}
	return t.flush()
}

func registerConsumer(ctx context.Context, o *consumersOptions, c *kinesisx.Client, streamARN string) error {
	if err := confirm(o.f, o.Yes, confirmation{
		action:  kinesisx.ActionRegisterConsumer,
		what:    fmt.Sprintf("register consumer %s on stream %s", o.Register, o.Stream),
		command: kinesisx.RegisterConsumerCommand(streamARN, o.Register),
		note:    "a registered consumer is billed per shard-hour until it is deregistered",
	}); err != nil {
		return err
	}
	cons, err := c.RegisterConsumer(ctx, streamARN, o.Register)
	if err != nil {
		return err
	}
	fmt.Fprintf(o.f.Out, "registered %s (%s)\n%s\n", cons.Name, cons.Status, cons.ARN)
	return nil
}

func deregisterConsumer(ctx context.Context, o *consumersOptions, c *kinesisx.Client, streamARN string) error {
	list, err := c.ListConsumers(ctx, streamARN)
	if err != nil {
		return err
	}
	var target *kinesisx.Consumer
	for i := range list {
		if list[i].Name == o.Deregister {
			target = &list[i]
		}
	}
	if target == nil {
		return fmt.Errorf("stream %s has no consumer named %s (see `kinspect consumers %s`)", o.Stream, o.Deregister, o.Stream)
	}
	if err := confirm(o.f, o.Yes, confirmation{
		action:  kinesisx.ActionDeregisterConsumer,
		what:    fmt.Sprintf("deregister consumer %s of stream %s (its readers stop at once)", target.Name, o.Stream),
		command: kinesisx.DeregisterConsumerCommand(target.ARN),
	}); err != nil {
		return err
	}
	if err := c.DeregisterConsumer(ctx, target.ARN); err != nil {
		return err
	}
	fmt.Fprintf(o.f.Out, "deregistered %s\n", target.Name)
	return nil
}

func pruneConsumers(ctx context.Context, o *consumersOptions, c *kinesisx.Client, streamARN string) error {
	plan, err := c.PlanStreamPrune(ctx, streamARN, o.OlderThan, func(msg string) { fmt.Fprintln(o.f.Err, msg) })
	if err != nil {
		return err
	}
	printKept(o, plan.Kept)
	if len(plan.Prune) == 0 {
		fmt.Fprintf(o.f.Out, "no stale kinspect consumers on %s\n", o.Stream)
		return nil
	}
	for i, cons := range plan.Prune {
		fmt.Fprintf(o.f.Out, "stale  %s: %s\n", cons.Name, plan.Reasons[i])
	}
	if err := confirm(o.f, o.Yes, confirmation{
		action:  kinesisx.ActionDeregisterConsumer,
		what:    fmt.Sprintf("deregister these %d stale kinspect consumers of stream %s", len(plan.Prune), o.Stream),
		command: kinesisx.DeregisterConsumerCommand(plan.Prune[0].ARN) + " (and so on for each)",
	}); err != nil {
		return err
	}
	done, kept, err := c.ApplyPrune(ctx, plan)
	printKept(o, kept)
	for _, cons := range done {
		fmt.Fprintf(o.f.Out, "deregistered %s\n", cons.Name)
	}
	return err
}

// printKept says which consumers a prune keeps and why.
func printKept(o *consumersOptions, kept []kinesisx.KeptConsumer) {
	for _, k := range kept {
		fmt.Fprintf(o.f.Out, "kept   %s: %s\n", k.Name, k.Why)
	}
}
