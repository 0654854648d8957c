package cmd

import (
	"context"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/kinspect/kinspect/kinesisx"
)

type monitoringOptions struct {
	f       *Factory
	Stream  string
	On      bool
	Metrics []string
	Yes     bool
}

func newMonitoringCmd(f *Factory) *cobra.Command {
	return newMonitoringCmdWith(f, runMonitoring)
}

func newMonitoringCmdWith(f *Factory, runF func(context.Context, *monitoringOptions) error) *cobra.Command {
	o := &monitoringOptions{f: f}
	c := &cobra.Command{
		Use:   "monitoring STREAM on|off",
		Short: "Turn shard-level CloudWatch metrics (enhanced monitoring) on or off",
		Long: `Turn shard-level metrics on or off. They show which shard is hot, but they cost
money: CloudWatch bills them as custom metrics, per shard and per metric.

--metrics takes ALL (the default) or names among: ` + strings.Join(kinesisx.ShardLevelMetrics()[:7], ", ") + `.
It shows the equivalent aws command and asks for confirmation (--yes skips it).`,
		Example: `  kinspect monitoring orders on
  kinspect monitoring orders off --yes`,
		Args: cobra.ExactArgs(2),
		RunE: func(c *cobra.Command, args []string) error {
			o.Stream = args[0]
			switch strings.ToLower(args[1]) {
			case "on":
				o.On = true
			case "off":
				o.On = false
			default:
				return usagef("second argument %q: want on or off", args[1])
			}
			metrics, err := kinesisx.NormaliseMetrics(o.Metrics)
			if err != nil {
				return usagef("--metrics: %v", err)
			}
			o.Metrics = metrics
			return runF(c.Context(), o)
		},
	}
	c.Flags().StringSliceVar(&o.Metrics, "metrics", []string{"ALL"}, "shard-level metrics, comma-separated, or ALL")
	c.Flags().BoolVarP(&o.Yes, "yes", "y", false, "do not ask for confirmation")
	return c
}

func runMonitoring(ctx context.Context, o *monitoringOptions) error {
	c, err := o.f.Client(ctx)
	if err != nil {
		return err
	}
	action, verb, note := kinesisx.ActionDisableMonitoring, "turn off", ""
	if o.On {
		action, verb, note = kinesisx.ActionEnableMonitoring, "turn on", kinesisx.MonitoringCostNote
	}
	if err := mayMutate(o.f, o.Yes, action); err != nil {
		return err
	}
	if err := confirm(o.f, o.Yes, confirmation{
		action:  action,
		what:    fmt.Sprintf("%s shard-level metrics %s of stream %s", verb, strings.Join(o.Metrics, ","), o.Stream),
		command: kinesisx.MonitoringCommand(o.Stream, o.On, o.Metrics),
		note:    note,
	}); err != nil {
		return err
	}
	var now []string
	if o.On {
		now, err = c.EnableMonitoring(ctx, o.Stream, o.Metrics)
	} else {
		now, err = c.DisableMonitoring(ctx, o.Stream, o.Metrics)
	}
	if err != nil {
		return err
	}
	if len(now) == 0 {
		fmt.Fprintf(o.f.Out, "shard-level metrics of %s: off\n", o.Stream)
		return nil
	}
	fmt.Fprintf(o.f.Out, "shard-level metrics of %s: %s\n", o.Stream, strings.Join(now, ", "))
	return nil
}
