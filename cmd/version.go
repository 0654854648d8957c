package cmd

import (
	"fmt"
	"runtime"
	"runtime/debug"
	"strings"

	"github.com/spf13/cobra"
)

// versionLine says which kinspect this is, from the build information the
// Go toolchain embeds: the module version (the release tag when built from
// a tagged checkout or `go install ...@vX.Y.Z`, "(devel)" otherwise), the
// VCS commit with "+dirty" when the work tree had changes, and the commit
// time. ok is debug.ReadBuildInfo's second result.
func versionLine(bi *debug.BuildInfo, ok bool) string {
	if !ok || bi == nil {
		return fmt.Sprintf("kinspect (unknown version: no build information) %s %s/%s", runtime.Version(), runtime.GOOS, runtime.GOARCH)
	}
	version := bi.Main.Version
	if version == "" {
		version = "(devel)"
	}
	settings := map[string]string{}
	for _, s := range bi.Settings {
		settings[s.Key] = s.Value
	}
	var vcs string
	if rev := settings["vcs.revision"]; rev != "" {
		if len(rev) > 12 {
			rev = rev[:12]
		}
		if settings["vcs.modified"] == "true" {
			rev += "+dirty"
		}
		vcs = "commit " + rev
		if t := settings["vcs.time"]; t != "" {
			vcs += " " + t
		}
	} else {
		vcs = "no commit recorded (built with -buildvcs=false or outside a git checkout)"
	}
	goVersion := bi.GoVersion
	if goVersion == "" {
		goVersion = runtime.Version()
	}
	osArch := runtime.GOOS + "/" + runtime.GOARCH
	if goos, arch := settings["GOOS"], settings["GOARCH"]; goos != "" && arch != "" {
		osArch = goos + "/" + arch
	}
	return strings.Join([]string{"kinspect", version, vcs, goVersion, osArch}, ", ")
}

// buildVersion is this binary's versionLine.
func buildVersion() string { return versionLine(debug.ReadBuildInfo()) }

// setVersion gives root its --version flag, which prints the same line as
// `kinspect version`.
func setVersion(root *cobra.Command) {
	root.Version = buildVersion()
	root.SetVersionTemplate("{{.Version}}\n")
}

func newVersionCmd(f *Factory) *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print kinspect's version, commit and Go version (as --version does)",
		Long: `Print the module version, the VCS commit (+dirty when the tree had changes)
and its time, the Go version and the platform, from the build information
embedded in the binary. A release archive or go install ...@vX.Y.Z says its
tag; a local go build says (devel).`,
		Args: cobra.NoArgs,
		RunE: func(c *cobra.Command, _ []string) error {
			_, err := fmt.Fprintln(f.Out, buildVersion())
			return err
		},
	}
}
