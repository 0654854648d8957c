package screen

import (
	"strconv"
	"strings"
)

// FindQuery is a search of the find screen as another screen hands it
// over (the tail's F: its filter and its window); Command spells it as the
// command line, which the root runs (RunCommandMsg).
type FindQuery struct {
	// Key and Seq match exactly; Data is a regular expression over
	// payloads.
	Key, Data, Seq string
	// Since and Until bound the window in the CLI's --from and --until
	// syntax (trim-horizon, RFC 3339, -1h).
	Since, Until string
	// Shards limits the search (none: the whole stream).
	Shards []string
}

// Command is the find command line ("find data:\"a b\" since:-1h"), a
// value with a space or a quote Go-quoted.
func (q FindQuery) Command() string {
	parts := []string{"find"}
	add := func(name, v string) {
		if v == "" {
			return
		}
		if strings.ContainsAny(v, " \"") {
			v = strconv.Quote(v)
		}
		parts = append(parts, name+":"+v)
	}
	add("key", q.Key)
	add("data", q.Data)
	add("seq", q.Seq)
	add("since", q.Since)
	add("until", q.Until)
	for _, s := range q.Shards {
		add("shard", s)
	}
	return strings.Join(parts, " ")
}
