package cmd

import (
	"bufio"
	"errors"
	"fmt"
	"strings"

	"github.com/kinspect/kinspect/kinesisx"
)

// errDeclined is returned when the user answers no: nothing was changed.
var errDeclined = errors.New("cancelled: nothing was changed")

// confirmation describes a mutation for the prompt.
type confirmation struct {
	action  kinesisx.Action // for the read-only guard
	what    string          // "split shardId-… of orders at …"
	command string          // the equivalent `aws kinesis …` command
	note    string          // optional: a cost or impact note
}

// mayMutate is what a mutating command checks before its first call and
// before it prints anything: the guard (exit 1), then that the mutation can
// be confirmed, by --yes or on a terminal (exit 2, a one-line refusal).
func mayMutate(f *Factory, yes bool, a kinesisx.Action) error {
	if err := f.Guard().Allow(a); err != nil {
		return err
	}
	if yes || (f.IsTerminal != nil && f.IsTerminal()) {
		return nil
	}
	return usagef("%s needs confirmation: pass --yes (there is no terminal to ask on)", a)
}

// confirm shows what is about to happen and the equivalent AWS CLI command
// on stderr, then asks y/N on the terminal. With --yes it only shows. It
// refuses first, saying nothing else, as mayMutate does.
func confirm(f *Factory, yes bool, c confirmation) error {
	if err := mayMutate(f, yes, c.action); err != nil {
		return err
	}
	fmt.Fprintf(f.Err, "About to %s.\n  equivalent: %s\n", c.what, c.command)
	if c.note != "" {
		fmt.Fprintf(f.Err, "  note: %s\n", c.note)
	}
	if yes {
		return nil
	}
	fmt.Fprint(f.Err, "Proceed? [y/N] ")
	line, err := bufio.NewReader(f.In).ReadString('\n')
	if err != nil && line == "" {
		fmt.Fprintln(f.Err)
		return errDeclined
	}
	switch strings.ToLower(strings.TrimSpace(line)) {
	case "y", "yes":
		return nil
	}
	return errDeclined
}
