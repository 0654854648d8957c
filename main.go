// Command kinspect is a terminal UI and command-line tool for Amazon Kinesis
// Data Streams. See README.md.
package main

import (
	"os"

	"github.com/kinspect/kinspect/cmd"
)

func main() {
	os.Exit(cmd.Execute(os.Args[1:], cmd.Stdio{In: os.Stdin, Out: os.Stdout, Err: os.Stderr}))
}
