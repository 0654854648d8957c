package cmd

import "github.com/spf13/cobra"

type cobraCommand = cobra.Command

// allCommands lists the subcommands in the order help shows them.
func allCommands() []func(*Factory) *cobraCommand {
	return []func(*Factory) *cobraCommand{
		newDemoCmd,
		newLocalCmd,
		newLsCmd,
		newShardsCmd,
		newTailCmd,
		newFindCmd,
		newPutCmd,
		newSplitCmd,
		newMergeCmd,
		newScaleCmd,
		newConsumersCmd,
		newMetricsCmd,
		newLagCmd,
		newMonitoringCmd,
		newBenchCmd,
	}
}
