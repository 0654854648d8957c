package find

import (
	"fmt"
	"strconv"
	"strings"

	kfind "github.com/kinspect/kinspect/kinesisx/find"
	"github.com/kinspect/kinspect/ui/screen"
)

// Words is what the command line may say after :find.
const Words = "key:K data:RE seq:SEQ since:-1h until:TIME shard:ID max:N"

// DefaultMax caps a search whose max: is not given, so a pattern that
// matches everything does not fill the memory; max:0 lifts it.
const DefaultMax = 1000

// Args is a parsed :find command line.
type Args struct {
	Spec   kfind.Spec
	Shards []string
}

// fieldName is how the command line names a field of kfind.Spec.
func fieldName(field string) string {
	switch field {
	case "from":
		return "since"
	case "grep":
		return "data"
	}
	return field
}

// ParseArgs reads the words after :find: key:K, data:RE (a value may be
// Go-quoted: data:"level=ERROR disk"), seq:SEQ, since: (or from:) and
// until: (the CLI's --from and --until syntax), shard:ID (repeatable) and
// max:N. At least one of key:, data: and seq: must be given. The error is
// one line.
func ParseArgs(args []string) (Args, error) {
	words, err := split(strings.Join(args, " "))
	if err != nil {
		return Args{}, err
	}
	a := Args{Spec: kfind.Spec{Max: DefaultMax}}
	for _, w := range words {
		name, value, ok := strings.Cut(w, ":")
		if !ok || value == "" {
			return Args{}, fmt.Errorf("find: %q: want word:value, one of %s", w, Words)
		}
		switch strings.ToLower(name) {
		case "key":
			a.Spec.Key = value
		case "data", "grep":
			a.Spec.Grep = value
		case "seq":
			a.Spec.Seq = value
		case "since", "from":
			a.Spec.From = value
		case "until":
			a.Spec.Until = value
		case "shard":
			a.Shards = append(a.Shards, value)
		case "max":
			n, err := strconv.Atoi(value)
			if err != nil || n < 0 {
				return Args{}, fmt.Errorf("find: max:%s: want a number of matches, 0 for no limit", value)
			}
			a.Spec.Max = n
		default:
			return Args{}, fmt.Errorf("find: unknown word %q: want %s", name+":", Words)
		}
	}
	if a.Spec.Key == "" && a.Spec.Grep == "" && a.Spec.Seq == "" {
		return Args{}, fmt.Errorf("find: say what to look for: %s", Words)
	}
	return a, nil
}

// split cuts a command line into words at spaces; a value that starts
// with a double quote runs to its closing quote (Go syntax, so \" and \\
// escape).
func split(line string) ([]string, error) {
	var words []string
	for line = strings.TrimLeft(line, " "); line != ""; line = strings.TrimLeft(line, " ") {
		name, rest, ok := strings.Cut(line, ":")
		if !ok || strings.Contains(name, " ") || !strings.HasPrefix(rest, `"`) {
			w, tail, _ := strings.Cut(line, " ")
			words, line = append(words, w), tail
			continue
		}
		q, err := strconv.QuotedPrefix(rest)
		if err != nil {
			return nil, fmt.Errorf("find: %s: the quoted value does not end", name)
		}
		v, _ := strconv.Unquote(q)
		words, line = append(words, name+":"+v), rest[len(q):]
	}
	return words, nil
}

// Command is the :find command line that searches for a spec; ParseArgs
// reads it back.
func Command(sp kfind.Spec, shards []string) string {
	line := screen.FindQuery{Key: sp.Key, Data: sp.Grep, Seq: sp.Seq, Since: sp.From, Until: sp.Until, Shards: shards}.Command()
	if sp.Max != DefaultMax {
		line += " max:" + strconv.Itoa(sp.Max)
	}
	return line
}
